import { describe, expect, it } from 'vitest';
import { loadResolverConfig } from './config.ts';

const servers = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7' };

describe('resolver config', () => {
  it('has defaults tuned for latency, and is frozen', () => {
    const config = loadResolverConfig(servers);
    expect(config).toMatchObject({ groupId: 'dauntless-resolver', topics: ['cad.incidents.v1', 'justice.events.v1'], graphNamespace: 'dauntless:{g}', maxWaitTimeInMs: 20 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps a mirror of the candidate index of up to 3 million keys, or none when told 0', () => {
    expect(loadResolverConfig(servers).graphMirrorKeys).toBe(3_000_000);
    expect(loadResolverConfig({ ...servers, DAUNTLESS_GRAPH_MIRROR_KEYS: '0' }).graphMirrorKeys).toBe(0);
    expect(() => loadResolverConfig({ ...servers, DAUNTLESS_GRAPH_MIRROR_KEYS: '-1' })).toThrow(/DAUNTLESS_GRAPH_MIRROR_KEYS=-1/);
  });

  it('announces recorded events on graph.events.v1 for the scorer, unless told "off"', () => {
    expect(loadResolverConfig(servers).graphEventsTopic).toBe('graph.events.v1');
    expect(loadResolverConfig({ ...servers, DAUNTLESS_GRAPH_EVENTS_TOPIC: 'test.graph.events.x.v1' }).graphEventsTopic).toBe('test.graph.events.x.v1');
    expect(loadResolverConfig({ ...servers, DAUNTLESS_GRAPH_EVENTS_TOPIC: 'off' }).graphEventsTopic).toBeNull();
  });

  it('writes uncompressed unless DAUNTLESS_KAFKA_COMPRESSION names a codec, and refuses one Kafka lacks', () => {
    expect(loadResolverConfig(servers).compression).toBe('none');
    expect(loadResolverConfig({ ...servers, DAUNTLESS_KAFKA_COMPRESSION: 'lz4' }).compression).toBe('lz4');
    expect(() => loadResolverConfig({ ...servers, DAUNTLESS_KAFKA_COMPRESSION: 'zip' })).toThrow(/DAUNTLESS_KAFKA_COMPRESSION=zip is not a codec Kafka has/);
  });

  it('reads calls and justice events from the topics whose names say so', () => {
    const config = loadResolverConfig({ ...servers, DAUNTLESS_RESOLVER_TOPICS: 'test.cad.incidents.x.v1, test.justice.events.x.v1' });
    expect(config.incidentTopics).toEqual(['test.cad.incidents.x.v1']);
    expect(config.justiceTopics).toEqual(['test.justice.events.x.v1']);
    expect(loadResolverConfig({ ...servers, DAUNTLESS_RESOLVER_TOPICS: 'cad.incidents.v1' }).justiceTopics).toEqual([]);
  });

  it('says what to change when a setting is wrong', () => {
    expect(() => loadResolverConfig({ ...servers, DAUNTLESS_GRAPH: 'nohashtag' })).toThrow(/has no \{hash tag\}/);
    expect(() => loadResolverConfig({ ...servers, DAUNTLESS_MAX_WAIT_MS: '5000' })).toThrow('DAUNTLESS_MAX_WAIT_MS=5000 is not a whole number from 1 to 1000.');
    expect(() => loadResolverConfig({ ...servers, DAUNTLESS_RETRY_INITIAL_MS: '500', DAUNTLESS_RETRY_MAX_MS: '100' })).toThrow(/is below/);
    expect(() => loadResolverConfig({ ...servers, DAUNTLESS_RESOLVER_TOPICS: 'cad.incidents.v1,custody.v1' })).toThrow(/names custody\.v1: .* must contain "cad\.incidents" \(calls\) or "justice\.events"/);
  });

  it('starts calls in call order across both topics\' twelve partitions by default, or in partition order when told "off"', () => {
    expect(loadResolverConfig(servers)).toMatchObject({ callOrder: true, partitionsConcurrently: 12 });
    expect(loadResolverConfig({ ...servers, DAUNTLESS_CALL_ORDER: 'off' }).callOrder).toBe(false);
    expect(() => loadResolverConfig({ ...servers, DAUNTLESS_CALL_ORDER: 'yes' })).toThrow(/DAUNTLESS_CALL_ORDER=yes is not "on" or "off"/);
  });
});
