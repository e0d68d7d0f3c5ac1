// Hostile calls against the real servers: schema-valid calls built to make
// the resolver work without bound (a 20,000-character e-mail, a megabyte in
// a string field, 10,000 phones, a call of nearly a megabyte) are
// dead-lettered in seconds, naming the field and never its value, while
// ordinary calls sent after them, on the same partitions and on others, get
// their intelligence. And a dead letter the broker refuses as too large is
// written reduced rather than stopping its partition.
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_MAX_BYTES, deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { createStageConsumer } from '../../shared/kafka/stage-consumer.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { TOPICS } from '../../deploy/topics.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { createIncidentStage, type ResolvedIncident } from '../../services/resolver/incident-stage.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { collectDecoded, createTestTopics } from '../helpers/topics.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';

// The declared limits of cad.incidents.v1 and its dead-letter topic.
const { logger, kafka, registry, codec, admin, producer } = kafkaTestKit('hostile-calls-test', () => [
  { topic: input, partitions: 3, valueSchema: 'incident-reported.avsc', config: { 'max.message.bytes': declared('cad.incidents.v1')['max.message.bytes']! } },
  { topic: dlq, partitions: 1, valueSchema: 'dead-letter.avsc', config: { 'max.message.bytes': declared('cad.incidents.dlq.v1')['max.message.bytes']! } },
]);
const redis = adminRedis();
const namespace = `${uniqueName('hostile-calls')}:{g}`;
const store = createRedisIdentityStore({ redis, namespace });
const graph = createIncidentGraph({ redis, namespace });
const input = `${uniqueName('cad.incidents')}.v1`;
const dlq = deadLetterTopicOf(input);
const declared = (name: string) => TOPICS.find((t) => t.name === name)!.config;

afterAll(async () => {
  await store.clear();
  redis.disconnect();
});

const base = sampleIncident();
const [victim, suspect] = base.parties as any[];
const receivedAt = base.receivedAt as number;
const NEAR_MB = 900_000;
const call = (n: string, overrides: Record<string, unknown> = {}) => sampleIncident({ incidentId: `CAD-H-${n}`, eventId: `evt-h-${n}`, ...overrides });
const withVictim = (n: string, change: Record<string, unknown>) => call(n, { parties: [{ ...victim, ...change }, suspect] });
const big = (c: string) => c.repeat(NEAR_MB);

/** Each hostile call, the partition it goes to, and the field its reason must name. */
const hostile: [string, Record<string, unknown>, string][] = [
  ['a 20,000-character e-mail', withVictim('email', { emails: ['x'.repeat(19_990) + '@mail.com'] }), 'parties[0].emails[0] is 19999 characters long'],
  ['a megabyte of e-mail with an @ and no dot', withVictim('email-mb', { emails: ['a@' + big('a')] }), 'parties[0].emails[0] is 900002 characters long'],
  ['a megabyte of phone', withVictim('phone-mb', { phones: [big('7')] }), 'parties[0].phones[0] is 900000 characters long'],
  ['a megabyte of given name', withVictim('given-mb', { name: { ...victim.name, given: big('a-') .slice(0, NEAR_MB) } }), 'parties[0].name.given is 900000 characters long'],
  ['a megabyte of full name', withVictim('full-mb', { name: { ...victim.name, full: big("o'") .slice(0, NEAR_MB) } }), 'parties[0].name.full is 900000 characters long'],
  ['a megabyte of alias', withVictim('alias-mb', { name: { ...victim.name, aliases: [big('b')] } }), 'parties[0].name.aliases[0] is 900000 characters long'],
  ['a megabyte of address', withVictim('address-mb', { addresses: [big('1/')] .map((a) => a.slice(0, NEAR_MB)) }), 'parties[0].addresses[0] is 900000 characters long'],
  ['a megabyte of date of birth', withVictim('dob-mb', { dateOfBirth: big('1') }), 'parties[0].dateOfBirth is 900000 characters long'],
  ['a megabyte of gender', withVictim('gender-mb', { gender: big('f') }), 'parties[0].gender is 900000 characters long'],
  ['a megabyte of relationship', withVictim('rel-mb', { relationshipToVictim: big('p') }), 'parties[0].relationshipToVictim is 900000 characters long'],
  ['a megabyte of party id', withVictim('pid-mb', { partyId: big('P') }), 'parties[0].partyId is 900000 characters long'],
  ['a megabyte of event id', call('eid-mb', { eventId: big('e') }), 'eventId is 900000 characters long'],
  ['a megabyte of location line', call('loc-mb', { location: { ...(base.location as object), addressLines: [big(' ')] } }), 'location.addressLines[0] is 900000 characters long'],
  ['a megabyte of postcode', call('pc-mb', { location: { ...(base.location as object), postcode: big('S') } }), 'location.postcode is 900000 characters long'],
  ['a megabyte of weapon description', call('weapon-mb', { weapons: [{ kind: 'KNIFE', description: big('k') }] }), 'weapons[0].description is 900000 characters long'],
  ['a megabyte of injury description', call('injury-mb', { injuries: [{ partyId: 'P1', severity: 'MINOR', description: big('i') }] }), 'injuries[0].description is 900000 characters long'],
  ['10,000 phones', withVictim('phones', { phones: Array.from({ length: 10_000 }, (_, i) => `0770090${String(i).padStart(4, '0')}`) }), 'parties[0].phones has 10000 items'],
  ['10,000 e-mails', withVictim('emails', { emails: Array.from({ length: 10_000 }, (_, i) => `p${i}@example.com`) }), 'parties[0].emails has 10000 items'],
  // Nearly a megabyte in all (about 1,040,000 bytes, the input topic's limit is 1,048,588): 2,085 addresses of 500 characters, each within its cap.
  ['a call of nearly a megabyte', withVictim('near-mb', { addresses: Array.from({ length: 2_085 }, (_, i) => `${i} ${'Acacia Road '.repeat(41)}`.slice(0, 500)) }), 'parties[0].addresses has 2085 items'],
];

describe('hostile calls', () => {
  it('are dead-lettered in seconds, by field, while ordinary calls on every partition get their intelligence', async () => {
    const resolved: ResolvedIncident[] = [];
    const consumer = createStageConsumer({
      kafka,
      groupId: uniqueName('resolver'),
      topics: [input],
      service: 'resolver',
      logger,
      partitionsConcurrently: 3,
      stage: createIncidentStage({ codec, store, graph, model: defaultPersonModel, logger, now: () => receivedAt + 60_000, onResolved: async (r) => void resolved.push(r) }),
      deadLetters: async (topic, key, letter) => {
        await producer.send({ topic, messages: [{ key, value: await codec.encode(valueSubject(topic), letter) }] });
      },
    });
    // Hostile calls first, on partitions 0 and 1; then twenty ordinary calls on all three.
    const hostileSizes: number[] = [];
    for (const [i, [, value]] of hostile.entries()) {
      const encoded = await codec.encode(valueSubject(input), value);
      hostileSizes.push(encoded.length);
      await producer.send({ topic: input, messages: [{ key: value.incidentId as string, value: encoded, partition: i % 2 }] });
    }
    expect(Math.max(...hostileSizes)).toBeGreaterThan(1_000_000);
    const ordinary = Array.from({ length: 20 }, (_, i) => call(`ok-${i}`));
    await producer.send({
      topic: input,
      messages: await Promise.all(ordinary.map(async (c, i) => ({ key: c.incidentId as string, value: await codec.encode(valueSubject(input), c), partition: i % 3 }))),
    });

    const { values: letters, stop: stopReading } = await collectDecoded(kafka, codec, dlq);
    await consumer.start();
    try {
      await waitFor('every ordinary call to get its intelligence', () => resolved.length === ordinary.length, { timeoutMs: 30_000 });
      await waitFor('every hostile call to be dead-lettered', () => letters.length === hostile.length, { timeoutMs: 30_000 });
    } finally {
      await Promise.all([consumer.stop(), stopReading()]);
    }
    expect(resolved.map((r) => r.incident.incidentId).sort()).toEqual(ordinary.map((c) => c.incidentId).sort());
    expect(resolved.every((r) => r.intelligence.persons.length === 2)).toBe(true);
    for (const [what, value, reason] of hostile) {
      const letter = letters.find((l) => l.key === value.incidentId);
      expect(letter, what).toBeDefined();
      expect(letter.errorCode, what).toBe('VALIDATION_FAILED');
      expect(letter.reason, what).toContain(reason);
      // No value in a reason: not even a run of the hostile characters.
      expect(letter.reason.length, what).toBeLessThan(4_000);
      expect(letter.reason, what).not.toMatch(/(.)\1{40}/);
      // Small enough to carry: the original, byte for byte.
      expect(letter.originalValue, what).not.toBeNull();
      expect(letter.originalValueSha256, what).toBeNull();
    }
    expect(letters.find((l) => l.key === 'CAD-H-near-mb').originalValue.length).toBe(Math.max(...hostileSizes));
  });

  it('writes a dead letter the broker refuses as too large reduced to a digest, and goes on', async () => {
    const small = `${uniqueName('cad.incidents')}.v1`;
    const smallDlq = deadLetterTopicOf(small);
    // A dead-letter topic configured smaller than its input: the letter of a 300 kB message cannot be written whole.
    const remove = await createTestTopics(admin, registry, [
      { topic: small, partitions: 1, valueSchema: 'incident-reported.avsc' },
      { topic: smallDlq, partitions: 1, valueSchema: 'dead-letter.avsc', config: { 'max.message.bytes': '100000' } },
    ]);
    try {
      const resolved: ResolvedIncident[] = [];
      const consumer = createStageConsumer({
        kafka,
        groupId: uniqueName('resolver'),
        topics: [small],
        service: 'resolver',
        logger,
        stage: createIncidentStage({ codec, store, graph, model: defaultPersonModel, logger, now: () => receivedAt + 60_000, onResolved: async (r) => void resolved.push(r) }),
        deadLetters: async (topic, key, letter) => {
          await producer.send({ topic, messages: [{ key, value: await codec.encode(valueSubject(topic), letter) }] });
        },
      });
      const junk = Buffer.alloc(300_000, 0x41);
      const after = call('after-junk');
      await producer.send({
        topic: small,
        messages: [
          { key: 'CAD-JUNK', value: junk },
          { key: after.incidentId as string, value: await codec.encode(valueSubject(small), after) },
        ],
      });
      const { values: letters, stop: stopReading } = await collectDecoded(kafka, codec, smallDlq);
      await consumer.start();
      try {
        await waitFor('the call after the junk to be resolved', () => resolved.length === 1, { timeoutMs: 30_000 });
        await waitFor('the reduced dead letter', () => letters.length === 1, { timeoutMs: 30_000 });
      } finally {
        await Promise.all([consumer.stop(), stopReading()]);
      }
      expect(DEAD_LETTER_MAX_BYTES).toBeGreaterThan(junk.length); // so it was the broker that refused the whole letter
      expect(letters[0]).toMatchObject({ key: 'CAD-JUNK', errorCode: 'DECODE_FAILED', originalValue: null, originalValueBytes: junk.length, sourceTopic: small, sourcePartition: 0, sourceOffset: '0' });
      expect(letters[0].originalValueSha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await remove();
    }
  });
});
