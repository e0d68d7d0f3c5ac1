// A consumer that kafkajs gives up on stops the process, end to end: the
// resolver service as production runs it (a child process), consuming, has its
// group taken from it on the broker (a DENY on its consumer group, as a wrong
// ACL change would), so its next heartbeat is refused with
// GROUP_AUTHORIZATION_FAILED, which kafkajs does not retry: its consumer
// crashes and will not restart. The process must exit non-zero with one
// sentence saying so, for its supervisor to start it again (and an operator to
// read why), rather than answer /healthz while consuming nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { startResolverProcess, type ResolverProcess } from '../../scripts/pipeline/resolver-process.ts';
import { adminRedis } from '../helpers/redis.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';

const calls = `${uniqueName('crash.cad.incidents')}.v1`;
const intelTopic = `${uniqueName('crash.dispatch.intel')}.v1`;
const { endpoints, kafka, codec, producer, admin, security } = kafkaTestKit('e2e-consumer-crash', () => [
  { topic: calls, partitions: 1, valueSchema: 'incident-reported.avsc' },
  { topic: deadLetterTopicOf(calls), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: intelTopic, partitions: 1, valueSchema: 'pre-arrival-intelligence.avsc' },
]);
const groupId = uniqueName('crash.resolver');
const namespace = `${uniqueName('e2e-crash')}:{g}`;
const redis = adminRedis();
/** The resolver's own group refused to it: a deny wins over the tests' grant of every `test.` group. */
const deny = {
  resourceType: AclResourceTypes.GROUP,
  resourceName: groupId,
  resourcePatternType: ResourcePatternTypes.LITERAL,
  principal: 'User:dauntless-resolver',
  host: '*',
  operation: AclOperationTypes.ALL,
  permissionType: AclPermissionTypes.DENY,
};

let resolver: ResolverProcess;
let intel: Awaited<ReturnType<typeof collectDecoded>>;

beforeAll(async () => {
  resolver = await startResolverProcess({ endpoints, inputTopic: calls, intelTopic, groupId, graphNamespace: namespace, env: { DAUNTLESS_SESSION_TIMEOUT_MS: '6000' } });
  intel = await collectDecoded(kafka, codec, intelTopic);
}, 90_000);

afterAll(async () => {
  await resolver?.kill('SIGKILL');
  await intel?.stop();
  if (security.sasl) await admin.deleteAcls({ filters: [deny] }).catch(() => undefined);
  await clearNamespace(redis, namespace);
  redis.disconnect();
});

describe('a Kafka consumer kafkajs gives up on', () => {
  it.runIf(security.sasl)('stops the resolver: it exits 1, saying in one sentence that its consumer crashed and why', async () => {
    // Consuming first: the crash comes to a running service, not one starting.
    const call = sampleIncident({ incidentId: 'CAD-CRASH-1', eventId: 'evt-crash-1' });
    await producer.send({ topic: calls, messages: [{ key: 'CAD-CRASH-1', value: await codec.encode(valueSubject(calls), call) }] });
    await waitFor('the call answered', () => intel.values.find((i) => i.incidentId === 'CAD-CRASH-1'), { timeoutMs: 30_000 });

    await admin.createAcls({ acl: [deny] });
    const exit = await Promise.race([resolver.exited, new Promise<string>((done) => setTimeout(() => done('still running after 60 s'), 60_000))]);

    expect(exit).toBe(1);
    const fatal = resolver.logs.filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ code: 'KAFKA_CONSUMER_CRASHED' });
    expect(fatal[0]!.msg).toMatch(
      new RegExp(`^resolver cannot go on: The Kafka consumer of group ${groupId.replaceAll('.', '\\.')} crashed and will not restart \\(KafkaJSNonRetriableError: Not authorized to access group: Group authorization failed\\): exiting so the supervisor starts the service again\\.$`),
    );
  }, 120_000);
});
