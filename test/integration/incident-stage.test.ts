import { adminRedis } from '../helpers/redis.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { createStageConsumer } from '../../shared/kafka/stage-consumer.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { createIncidentStage, type ResolvedIncident } from '../../services/resolver/incident-stage.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { createDeadLetterWriter } from '../../shared/kafka/dead-letter-writer.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';

const { logger, kafka, codec, producer } = kafkaTestKit('incident-stage-test', () => [
  { topic: input, partitions: 2, valueSchema: 'incident-reported.avsc' },
  { topic: dlq, partitions: 1, valueSchema: 'dead-letter.avsc' },
]);
const redis = adminRedis();
const namespace = `${uniqueName('incident-stage')}:{g}`;
const store = createRedisIdentityStore({ redis, namespace });
const graph = createIncidentGraph({ redis, namespace });
const input = `${uniqueName('cad.incidents')}.v1`;
const dlq = deadLetterTopicOf(input);

afterAll(async () => {
  await store.clear();
  redis.disconnect();
});

describe('the incident stage over Kafka', () => {
  it('resolves a victim typed differently on a second call to the same person, and dead-letters what it cannot read', async () => {
    const first = sampleIncident({ incidentId: 'CAD-S-1', eventId: 'evt-s-1' });
    const [victim, suspect] = first.parties as any[];
    const second = sampleIncident({
      incidentId: 'CAD-S-2',
      eventId: 'evt-s-2',
      receivedAt: (first.receivedAt as number) + 86_400_000 * 30,
      reportedAt: (first.receivedAt as number) + 86_400_000 * 30,
      parties: [
        { ...victim, name: { ...victim.name, title: null, given: null, family: null, full: 'EXAMPLE-TESTER, Jo' }, dateOfBirth: '03/04/1991', phones: ['+447700900123'], addresses: ['2/10 Acacia Road SE114AA'] },
        suspect,
      ],
    });
    const resolved: ResolvedIncident[] = [];
    const consumer = createStageConsumer({
      kafka,
      groupId: uniqueName('resolver'),
      topics: [input],
      service: 'resolver',
      logger,
      // The synthetic incidents happen on fixed dates: "now" is just after the second.
      stage: createIncidentStage({ codec, store, graph, model: defaultPersonModel, logger, now: () => (second.receivedAt as number) + 60_000, onResolved: async (r) => void resolved.push(r) }),
      deadLetters: createDeadLetterWriter({ producer, codec }),
    });
    await producer.send({
      topic: input,
      messages: [
        { key: 'CAD-S-1', value: await codec.encode(valueSubject(input), first) },
        { key: 'CAD-S-X', value: Buffer.from('not avro at all') },
        { key: 'CAD-S-Y', value: await codec.encode(valueSubject(input), sampleIncident({ incidentId: 'CAD-S-Y', eventId: 'evt-s-y', boroughCode: 'E09000001' })) },
        { key: 'CAD-S-1', value: await codec.encode(valueSubject(input), second) },
      ],
    });
    // The bad messages may sit on another partition than the good ones: read
    // the dead letters while the stage still runs, and stop only when both are in.
    const { values: letters, stop: stopReading } = await collectDecoded(kafka, codec, dlq);
    await consumer.start();
    try {
      await waitFor('both good incidents to be resolved', () => resolved.length === 2);
      await waitFor('two dead letters', () => letters.length === 2);
    } finally {
      await Promise.all([consumer.stop(), stopReading()]);
    }
    const [one, two] = resolved;
    const victimOf = (r: ResolvedIncident) => r.parties.find((p) => p.roles.includes('VICTIM'))!.resolution.entityId;
    const suspectOf = (r: ResolvedIncident) => r.parties.find((p) => p.roles.includes('SUSPECT'))!.resolution.entityId;
    expect(victimOf(two!)).toBe(victimOf(one!));
    expect(suspectOf(two!)).toBe(suspectOf(one!));
    expect(suspectOf(one!)).not.toBe(victimOf(one!));
    expect(await store.entityOfRecord('evt-s-2:P1')).toBe(victimOf(one!));
    // The first call had no history; the second names the first, with the same suspect.
    expect(one!.intelligence.hasHistory).toBe(false);
    const victimIntel = two!.intelligence.persons.find((p) => p.roles.includes('VICTIM'))!;
    expect(victimIntel.previousIncidents.map((p) => [p.incidentId, p.otherPartyEntityIds])).toEqual([['CAD-S-1', [suspectOf(one!)]]]);
    expect(two!.intelligence.warningMarkers).toContain('REPEAT_VICTIM');
    expect(await graph.counts()).toEqual({ incidents: 2, events: 2 });

    expect(letters.map((l) => [l.errorCode, l.sourceTopic]).sort()).toEqual([
      ['DECODE_FAILED', input],
      ['VALIDATION_FAILED', input],
    ]);
    expect(letters.find((l) => l.errorCode === 'VALIDATION_FAILED').reason).toContain('boroughCode "E09000001" is not the ONS code of a Met borough');
  });

  /**
   * Sends `calls` (key and value) to the input topic and runs the stage over them with the clock `now` until `done`
   * holds of what was resolved and the dead letters written since: both, for the test to look at.
   */
  async function handled(
    group: string,
    now: () => number,
    calls: [string, Record<string, unknown>][],
    done: (resolved: ResolvedIncident[], letters: any[]) => boolean,
  ): Promise<{ resolved: ResolvedIncident[]; letters: any[] }> {
    const resolved: ResolvedIncident[] = [];
    const consumer = createStageConsumer({
      kafka,
      groupId: uniqueName(group),
      topics: [input],
      service: 'resolver',
      logger,
      stage: createIncidentStage({ codec, store, graph, model: defaultPersonModel, logger, now, onResolved: async (r) => void resolved.push(r) }),
      deadLetters: createDeadLetterWriter({ producer, codec }),
    });
    const { values: letters, stop: stopReading } = await collectDecoded(kafka, codec, dlq);
    const before = letters.length;
    await producer.send({ topic: input, messages: await Promise.all(calls.map(async ([key, call]) => ({ key, value: await codec.encode(valueSubject(input), call) }))) });
    await consumer.start();
    try {
      await waitFor(`${group}: the calls handled`, () => done(resolved, letters.slice(before)));
    } finally {
      await Promise.all([consumer.stop(), stopReading()]);
    }
    return { resolved, letters: letters.slice(before) };
  }

  it("takes a call sent now though this resolver's clock runs ten minutes slow, and still refuses one from the future", async () => {
    const sentNow = Date.now();
    const onTime = sampleIncident({ incidentId: 'CAD-K-1', eventId: 'evt-k-1', receivedAt: sentNow - 1_000, reportedAt: sentNow - 2_000 });
    const fromTheFuture = sampleIncident({ incidentId: 'CAD-K-2', eventId: 'evt-k-2', receivedAt: sentNow + 86_400_000, reportedAt: sentNow + 86_400_000 });
    const { resolved, letters } = await handled(
      'slow-clock',
      () => Date.now() - 10 * 60_000,
      [
        ['CAD-K-1', onTime],
        ['CAD-K-2', fromTheFuture],
      ],
      (resolved, letters) => resolved.some((r) => r.incident.incidentId === 'CAD-K-1') && letters.some((l) => String(l.reason).includes('future')),
    );
    expect(resolved.map((r) => r.incident.incidentId)).not.toContain('CAD-K-2');
    expect(letters.some((l) => l.errorCode === 'VALIDATION_FAILED' && String(l.reason).includes('receivedAt is in the future'))).toBe(true);
  });

  it('answers a call naming a party nobody could resolve ("a male neighbour") for its other parties, and refuses one naming nobody resolvable', async () => {
    const base = sampleIncident({ incidentId: 'CAD-U-1', eventId: 'evt-u-1' });
    const [victim, suspect] = base.parties as any[];
    const nobody = { title: null, given: null, middle: null, family: null, full: null, aliases: [] };
    const neighbour = { ...suspect, partyId: 'P3', roles: ['WITNESS'], name: nobody, dateOfBirth: null, ageYears: null, phones: [], emails: [], addresses: [], relationshipToVictim: 'neighbour' };
    const noOne = sampleIncident({ incidentId: 'CAD-U-2', eventId: 'evt-u-2', parties: [{ ...neighbour, partyId: 'P1', roles: ['VICTIM'] }] });
    const { resolved } = await handled(
      'unidentified',
      () => (base.receivedAt as number) + 60_000,
      [
        ['CAD-U-1', { ...base, parties: [victim, suspect, neighbour] }],
        ['CAD-U-2', noOne],
      ],
      (resolved, letters) => resolved.some((r) => r.incident.incidentId === 'CAD-U-1') && letters.some((l) => String(l.reason).includes('no party has')),
    );
    const answered = resolved.find((r) => r.incident.incidentId === 'CAD-U-1')!;
    expect(answered.parties.map((p) => p.partyId)).toEqual(['P1', 'P2']);
    expect(answered.intelligence.persons.map((p) => p.partyId)).toEqual(['P1', 'P2']);
    expect(await store.entityOfRecord('evt-u-1:P3')).toBeUndefined();
    expect(resolved.map((r) => r.incident.incidentId)).not.toContain('CAD-U-2');
  });
});
