import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scorerNamespaceFor } from '../../shared/boards/namespaces.ts';
import { loadScorerConfig } from './config.ts';

const servers = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7' };

describe('scorer config', () => {
  it('reads the graph events and writes the top five and alerts, on a namespace of its own beside the graph, and is frozen', () => {
    const config = loadScorerConfig(servers);
    expect(config).toMatchObject({
      groupId: 'dauntless-scorer',
      inputTopic: 'graph.events.v1',
      topFiveTopic: 'dauntless.topfive.v1',
      alertsTopic: 'dauntless.alerts.v1',
      graphNamespace: 'dauntless:{g}',
      stateNamespace: 'dauntless:{g-top5}',
      tickMs: 60_000,
      metricsPort: 9465,
      compression: 'none',
    });
    expect(loadScorerConfig({ ...servers, DAUNTLESS_KAFKA_COMPRESSION: 'zstd' }).compression).toBe('zstd');
    expect(config.harm.halfLifeDays).toBe(180);
    expect(Object.isFrozen(config)).toBe(true);
    expect(loadScorerConfig({ ...servers, DAUNTLESS_GRAPH: 'test.x:{g}' }).stateNamespace).toBe('test.x:{g-top5}');
  });

  it('takes harm overrides from a JSON file, validated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'harm-'));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ halfLifeDays: 90 }));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ halfLifeDays: -1 }));
    writeFileSync(join(dir, 'not.json'), '{ halfLife');
    expect(loadScorerConfig({ ...servers, DAUNTLESS_HARM_CONFIG: join(dir, 'ok.json') }).harm.halfLifeDays).toBe(90);
    expect(() => loadScorerConfig({ ...servers, DAUNTLESS_HARM_CONFIG: join(dir, 'bad.json') })).toThrow(/halfLifeDays/);
    expect(() => loadScorerConfig({ ...servers, DAUNTLESS_HARM_CONFIG: join(dir, 'not.json') })).toThrow(/could not be read as JSON/);
  });

  it('says what to change when a setting is wrong', () => {
    expect(() => scorerNamespaceFor('nohashtag')).toThrow(/has no \{hash tag\}/);
    expect(() => loadScorerConfig({ ...servers, DAUNTLESS_SCORER_STATE: 'dauntless:{g}' })).toThrow(/give the scorer a namespace of its own, e.g. "dauntless:\{g-top5\}"/);
    expect(() => loadScorerConfig({ ...servers, DAUNTLESS_SCORER_STATE: 'flat' })).toThrow(/DAUNTLESS_SCORER_STATE=flat has no \{hash tag\}/);
    expect(() => loadScorerConfig({ ...servers, DAUNTLESS_SCORER_TICK_MS: '10' })).toThrow('DAUNTLESS_SCORER_TICK_MS=10 is not a whole number from 100 to 3600000.');
    expect(() => loadScorerConfig({ ...servers, DAUNTLESS_ALERTS_TOPIC: 'dauntless.topfive.v1' })).toThrow(/need topics of their own/);
    expect(() => loadScorerConfig({ ...servers, DAUNTLESS_SCORER_METRICS_PORT: 'x' })).toThrow(/is not a port/);
  });
});
