// Calls resolved in the order they were made, against the real servers: the
// same calls produced one at a time (each answered before the next is sent,
// as a quiet control room) and produced as one backlog spread over
// partitions (as after a pause) must give the same people and the same
// earlier incidents for every call. The backlog is laid out to go wrong when
// partitions go at their own pace: a long run of calls on one partition, and
// later calls about some of the same people alone on others.
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { createDeadLetterWriter } from '../../shared/kafka/dead-letter-writer.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { createStageConsumer } from '../../shared/kafka/stage-consumer.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { createIncidentStage, type ResolvedIncident } from '../../services/resolver/incident-stage.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const paced = `${uniqueName('cad.incidents.paced')}.v1`;
const backlog = `${uniqueName('cad.incidents.backlog')}.v1`;
const { kafka, codec, producer, logger } = kafkaTestKit('call-order-test', () => [
  { topic: paced, partitions: 1, valueSchema: 'incident-reported.avsc' },
  { topic: deadLetterTopicOf(paced), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: backlog, partitions: 3, valueSchema: 'incident-reported.avsc' },
  { topic: deadLetterTopicOf(backlog), partitions: 1, valueSchema: 'dead-letter.avsc' },
]);
const redis = adminRedis();
const namespaces: string[] = [];

afterAll(async () => {
  for (const ns of namespaces) await clearNamespace(redis, ns);
  redis.disconnect();
});

const base = sampleIncident();
const [victimTemplate, suspectTemplate] = base.parties as any[];
const START = Date.UTC(2026, 9, 1, 8, 0, 0);
const MINUTE = 60_000;

/** A victim and a suspect of their own: person n, always typed the same way. */
function people(n: number) {
  const digits = String(900_000 + n * 7).padStart(6, '0');
  return [
    { ...victimTemplate, name: { ...victimTemplate.name, given: `Alex${String.fromCharCode(97 + n)}`, family: `ORDERTEST${String.fromCharCode(65 + n)}` }, phones: [`07700 ${digits}`], dateOfBirth: `${(n % 27) + 1}/5/1990` },
    { ...suspectTemplate, name: { ...suspectTemplate.name, full: `SUSPECT${String.fromCharCode(65 + n)}, Sam` }, phones: [`07911 ${digits}`] },
  ];
}

/** The calls: twelve first calls about twelve households, then later calls about households 3, 7 and 11. */
const calls = [...Array.from({ length: 12 }, (_, n) => n), 3, 7, 11, 11].map((household, i) =>
  sampleIncident({ incidentId: `CAD-ORD-${i}`, eventId: `evt-ord-${i}`, receivedAt: START + i * MINUTE, reportedAt: START + i * MINUTE - 1000, parties: people(household) }),
);
// The backlog's partitions: the first twelve calls on partition 0, each later call alone on partition 1 or 2.
const partitionOf = (i: number) => (i < 12 ? 0 : 1 + (i % 2));

type Answer = { incidentId: string; people: string[][] };
const answerOf = (r: ResolvedIncident): Answer => ({
  incidentId: r.incident.incidentId,
  people: r.intelligence.persons.map((p) => [p.partyId, p.entityId, ...p.previousIncidents.map((i) => i.incidentId)]),
});

function resolverOn(topic: string, namespace: string, answers: Answer[], callOrder: boolean) {
  namespaces.push(namespace);
  return createStageConsumer({
    kafka,
    groupId: uniqueName('call-order'),
    topics: [topic],
    service: 'resolver',
    logger,
    partitionsConcurrently: 3,
    callOrder,
    stage: createIncidentStage({
      codec,
      store: createRedisIdentityStore({ redis, namespace }),
      graph: createIncidentGraph({ redis, namespace }),
      model: defaultPersonModel,
      logger,
      now: () => START + 86_400_000,
      onResolved: async (r) => void answers.push(answerOf(r)),
    }),
    deadLetters: createDeadLetterWriter({ producer, codec }),
  });
}

const message = async (topic: string, call: Record<string, unknown>, partition?: number) => ({
  key: call.incidentId as string,
  value: await codec.encode(valueSubject(topic), call),
  // The call's own time: what call order goes by, as a CAD producer would stamp it.
  timestamp: String(call.receivedAt),
  ...(partition === undefined ? {} : { partition }),
});

describe('calls in call order', () => {
  it('gives a backlog spread over partitions the same people and earlier incidents as the same calls sent one at a time', async () => {
    const pacedAnswers: Answer[] = [];
    const one = resolverOn(paced, `${uniqueName('order-paced')}:{g}`, pacedAnswers, true);
    await one.start();
    try {
      for (const [i, call] of calls.entries()) {
        await producer.send({ topic: paced, messages: [await message(paced, call)] });
        await waitFor(`call ${i} answered`, () => pacedAnswers.length === i + 1);
      }
    } finally {
      await one.stop();
    }

    const backlogAnswers: Answer[] = [];
    await producer.send({ topic: backlog, messages: await Promise.all(calls.map((call, i) => message(backlog, call, partitionOf(i)))) });
    const all = resolverOn(backlog, `${uniqueName('order-backlog')}:{g}`, backlogAnswers, true);
    await all.start();
    try {
      await waitFor('every call of the backlog answered', () => backlogAnswers.length === calls.length);
    } finally {
      await all.stop();
    }

    const byIncident = (answers: Answer[]) => [...answers].sort((a, b) => a.incidentId.localeCompare(b.incidentId));
    expect(byIncident(backlogAnswers)).toEqual(byIncident(pacedAnswers));
    // And the later calls do name the earlier ones: the comparison is not of two empty histories.
    const last = pacedAnswers.find((a) => a.incidentId === 'CAD-ORD-15')!;
    expect(last.people[0]).toEqual(expect.arrayContaining(['CAD-ORD-14', 'CAD-ORD-11']));
  });
});
