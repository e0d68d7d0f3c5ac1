import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { TOPIC, valueSubject } from '../../shared/contracts/topics.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { optionsOf } from '../../services/cli/command.ts';
import { command as tailCommand, tail } from '../../services/cli/tail.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { testKafkaSecurity } from '../helpers/kafka-security.ts';
import { createTestTopics } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { accessTokenFor, seededUser } from '../helpers/sign-in.ts';
import { collector } from '../helpers/collector.ts';

const execFileAsync = promisify(execFile);
// The tail reads as the CLI does, as the operator (deploy/principals.ts).
const operator = testKafkaSecurity('dauntless-operator');
const endpoints = testEndpoints();
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'tail-cli-test', logger, security: testKafkaSecurity() });
const registry = createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const intelTopic = `${uniqueName('tail-intel')}.v1`;
const dlqTopic = `${uniqueName('tail')}.dlq.v1`;
// The `dlq` case's own pair, so it reads only its letters whatever order the tests run in.
const incidentsDlqTopic = `${uniqueName('tail-incidents')}.dlq.v1`;
const justiceDlqTopic = `${uniqueName('tail-justice')}.dlq.v1`;
let admin: Admin;
let producer: Producer;
let removeTopics: () => Promise<void>;

const RECEIVED = Date.UTC(2026, 10, 25, 14, 3, 7);

// Synthetic: a call with no history, and one with a repeat victim and a serial suspect.
const noHistory: PreArrivalIntelligence = {
  incidentId: 'CAD-T-1',
  sourceEventId: 'evt-t-1',
  boroughCode: 'E09000008',
  receivedAt: RECEIVED,
  generatedAt: RECEIVED + 420,
  summary: 'No previous incidents known for anyone in this call.',
  hasHistory: false,
  incomplete: [],
  warningMarkers: [],
  persons: [
    {
      partyId: 'P1', roles: ['VICTIM', 'CALLER'], entityId: 'E-T1', match: 'NEW_PERSON', matchProbability: null, matchEvidence: [],
      previousIncidents: [], incidentsLast12Months: 0, incidentsAllTime: 0, highestRiskLevel: null, latestRiskLevel: null,
      maracLast12Months: false, repeatMarac: false, serialPerpetrator: false, otherVictimEntityIds: [], weaponsMentionedBefore: [],
      activeOrders: [], bailConditions: [], childrenAtAddress: false, counterAllegation: false,
    },
  ],
};

const rich: PreArrivalIntelligence = {
  incidentId: 'CAD-T-2',
  sourceEventId: 'evt-t-2',
  boroughCode: 'E09000022',
  receivedAt: RECEIVED,
  generatedAt: RECEIVED + 1_250,
  summary: 'Victim: 2 previous incidents (1 in 12 months, highest risk HIGH). FIREARM mentioned before.',
  hasHistory: true,
  incomplete: [],
  warningMarkers: ['FIREARM_MENTIONED_BEFORE', 'REPEAT_VICTIM'],
  persons: [
    {
      partyId: 'P1', roles: ['VICTIM'], entityId: 'E-T2', match: 'MATCHED', matchProbability: 0.9987,
      matchEvidence: [{ field: 'phone', level: 'exact', weight: 9.8 }],
      previousIncidents: [
        { incidentId: 'CAD-T-0', occurredAt: Date.UTC(2026, 5, 1), boroughCode: 'E09000022', roles: ['VICTIM'], abuseTypes: ['PHYSICAL'], riskLevel: 'HIGH', otherPartyEntityIds: ['E-T3'] },
      ],
      incidentsLast12Months: 1, incidentsAllTime: 2, highestRiskLevel: 'HIGH', latestRiskLevel: 'HIGH',
      maracLast12Months: true, repeatMarac: false, serialPerpetrator: false, otherVictimEntityIds: [], weaponsMentionedBefore: [],
      activeOrders: [], bailConditions: [], childrenAtAddress: true, counterAllegation: false,
    },
    {
      partyId: 'P2', roles: ['SUSPECT'], entityId: 'E-T3', match: 'POSSIBLE_MATCH', matchProbability: 0.71, matchEvidence: [],
      previousIncidents: [], incidentsLast12Months: 1, incidentsAllTime: 3, highestRiskLevel: 'HIGH', latestRiskLevel: 'MEDIUM',
      maracLast12Months: false, repeatMarac: false, serialPerpetrator: true, otherVictimEntityIds: ['E-T9'], weaponsMentionedBefore: ['FIREARM'],
      activeOrders: [{ orderType: 'NON_MOLESTATION', expiresAt: Date.UTC(2027, 2, 3), conditions: ['NO_CONTACT'] }],
      bailConditions: [{ kind: 'NO_CONTACT', description: 'not to contact the victim', expiresAt: null }],
      childrenAtAddress: false, counterAllegation: true,
    },
  ],
};

beforeAll(async () => {
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  removeTopics = await createTestTopics(admin, registry, [
    { topic: intelTopic, partitions: 1, valueSchema: 'pre-arrival-intelligence.avsc' },
    { topic: dlqTopic, partitions: 1, valueSchema: 'dead-letter.avsc' },
    { topic: incidentsDlqTopic, partitions: 1, valueSchema: 'dead-letter.avsc' },
    { topic: justiceDlqTopic, partitions: 1, valueSchema: 'dead-letter.avsc' },
  ]);
  await producer.send({
    topic: intelTopic,
    messages: await Promise.all([noHistory, rich].map(async (intel) => ({ key: intel.incidentId, value: await codec.encode(valueSubject(intelTopic), intel) }))),
  });
});

afterAll(async () => {
  await removeTopics();
  await Promise.all([admin.disconnect(), producer.disconnect()]);
});


describe('dauntless tail', () => {
  it('decodes pre-arrival intelligence to exactly the PreArrivalIntelligence type: timestamps as ms numbers, nullable fields as null, enums as strings', async () => {
    const { value } = await codec.decode(await codec.encode(valueSubject(intelTopic), rich));
    expect(value).toEqual(rich);
    expect(typeof value.receivedAt).toBe('number');
    expect(typeof value.persons[0].previousIncidents[0].occurredAt).toBe('number');
    expect(value.persons[1].bailConditions[0].expiresAt).toBeNull();
    expect(value.persons[1].match).toBe('POSSIBLE_MATCH');
  });

  it('prints a topic from the beginning as JSON lines and stops after --max messages', async () => {
    const { stdout } = await execFileAsync('node', ['bin/dauntless.js', 'tail', intelTopic, '--from-beginning', '--max', '2', '--json', '--purpose', 'checking the test topic decodes'], {
      // A topic of a test's own is not the intelligence feed: a supervisor with a purpose may watch it.
      env: { ...process.env, KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), REDIS_URL: endpoints.redisUrl, SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl, DAUNTLESS_ACCESS_TOKEN: await accessTokenFor(seededUser('supervisor')) },
      timeout: 30_000,
    });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ topic: intelTopic, partition: 0, offset: '0', key: 'CAD-T-1', value: noHistory });
    expect(lines[1]).toMatchObject({ topic: intelTopic, partition: 0, offset: '1', key: 'CAD-T-2', value: rich });
    expect(lines[1].value).toEqual(rich);
    expect(typeof lines[1].timestamp).toBe('number');
  });

  it('prints intelligence as a dispatcher reads it when not asked for JSON, whatever the topic is called', async () => {
    const out = collector();
    const code = await tail({ topics: [intelTopic], fromBeginning: true, json: false, max: 2 }, { endpoints, kafkaSecurity: operator, out, err: collector(), logger });
    expect(code).toBe(0);
    const text = out.text();
    expect(text).toContain('== CAD-T-1  Croydon  received 2026-11-25 14:03:07  intel after 420 ms\n  No previous incidents known for anyone in this call.');
    expect(text).toContain('  !! FIREARM_MENTIONED_BEFORE  REPEAT_VICTIM');
    expect(text).toContain('  * SUSPECT  entity E-T3  POSSIBLE match p=0.710: check identity');
    expect(text).not.toContain('{');
  });

  it('prints a dead letter with its code, reason and source, never its original bytes', async () => {
    const letter = {
      sourceTopic: 'cad.incidents.v1', sourcePartition: 3, sourceOffset: '41',
      originalKey: Buffer.from('CAD-T-3'), originalValue: Buffer.from('synthetic bad bytes'), originalHeaders: [{ key: 'trace', value: Buffer.from('t1') }],
      errorCode: 'VALIDATION_FAILED', reason: 'boroughCode E09000001 is not a Met borough', failedAt: RECEIVED, service: 'resolver', stage: 'resolve-incident',
    };
    await producer.send({ topic: dlqTopic, messages: [{ key: 'CAD-T-3', value: await codec.encode(valueSubject(dlqTopic), letter) }] });

    const out = collector();
    expect(await tail({ topics: [dlqTopic], fromBeginning: true, json: false, max: 1 }, { endpoints, kafkaSecurity: operator, out, err: collector(), logger })).toBe(0);
    const line = JSON.parse(out.text());
    expect(line).toEqual({
      topic: dlqTopic,
      partition: 0,
      offset: '0',
      key: 'CAD-T-3',
      timestamp: expect.any(Number),
      value: {
        sourceTopic: 'cad.incidents.v1', sourcePartition: 3, sourceOffset: '41', errorCode: 'VALIDATION_FAILED', reason: 'boroughCode E09000001 is not a Met borough', failedAt: RECEIVED, service: 'resolver', stage: 'resolve-incident',
        // Set only for a letter reduced to fit: the digest and length of a value too large to carry.
        originalValueSha256: null, originalValueBytes: null,
      },
    });
    expect(out.text()).not.toContain(Buffer.from('synthetic bad bytes').toString('base64'));
  });

  it('reads every dead-letter topic at once for `dlq`, each line naming the topic its letter came from', async () => {
    expect(optionsOf(tailCommand, ['dlq']).topics).toEqual([TOPIC.incidentsDeadLetters, TOPIC.justiceEventsDeadLetters, TOPIC.graphEventsDeadLetters]);
    expect(optionsOf(tailCommand, ['incidents']).topics).toEqual([TOPIC.incidents]);

    const incidentLetter = {
      sourceTopic: 'cad.incidents.v1', sourcePartition: 2, sourceOffset: '19',
      originalKey: Buffer.from('CAD-T-5'), originalValue: Buffer.from('synthetic incident bytes'), originalHeaders: [],
      errorCode: 'VALIDATION_FAILED', reason: 'party 1 has no name, phone, email, date of birth or address to resolve', failedAt: RECEIVED, service: 'resolver', stage: 'resolve-incident',
    };
    const justiceLetter = {
      sourceTopic: 'justice.events.v1', sourcePartition: 1, sourceOffset: '7',
      originalKey: Buffer.from('SUBJ-T-4'), originalValue: Buffer.from('synthetic justice bytes'), originalHeaders: [],
      errorCode: 'DECODE_FAILED', reason: 'The message starts with byte 115, not the schema-registry magic byte 0', failedAt: RECEIVED, service: 'resolver', stage: 'decode',
    };
    await producer.send({ topic: incidentsDlqTopic, messages: [{ key: 'CAD-T-5', value: await codec.encode(valueSubject(incidentsDlqTopic), incidentLetter) }] });
    await producer.send({ topic: justiceDlqTopic, messages: [{ key: 'SUBJ-T-4', value: await codec.encode(valueSubject(justiceDlqTopic), justiceLetter) }] });

    const out = collector();
    expect(await tail({ topics: [incidentsDlqTopic, justiceDlqTopic], fromBeginning: true, json: true, max: 2 }, { endpoints, kafkaSecurity: operator, out, err: collector(), logger })).toBe(0);
    const lines = out.text().trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    const byTopic = Object.fromEntries(lines.map((line) => [line.topic, line]));
    expect(Object.keys(byTopic).sort()).toEqual([incidentsDlqTopic, justiceDlqTopic].sort());
    expect(byTopic[incidentsDlqTopic]).toMatchObject({ key: 'CAD-T-5', value: { sourceTopic: 'cad.incidents.v1', sourcePartition: 2, sourceOffset: '19', errorCode: 'VALIDATION_FAILED' } });
    expect(byTopic[justiceDlqTopic]).toMatchObject({ key: 'SUBJ-T-4', value: { sourceTopic: 'justice.events.v1', sourcePartition: 1, sourceOffset: '7', errorCode: 'DECODE_FAILED' } });
    for (const line of lines) expect(line.value).not.toHaveProperty('originalValue');
    for (const bytes of ['synthetic incident bytes', 'synthetic justice bytes']) expect(out.text()).not.toContain(Buffer.from(bytes).toString('base64'));
  });

  it('stops cleanly when its signal aborts, and says so when the topic does not exist', async () => {
    const stop = new AbortController();
    const running = tail({ topics: [intelTopic], fromBeginning: false, json: true, max: undefined }, { endpoints, kafkaSecurity: operator, out: collector(), err: collector(), logger, signal: stop.signal });
    setTimeout(() => stop.abort(), 500);
    expect(await running).toBe(0);

    const err = collector();
    expect(await tail({ topics: [`${uniqueName('absent')}.v1`], fromBeginning: true, json: true, max: 1 }, { endpoints, kafkaSecurity: operator, out: collector(), err, logger })).toBe(1);
    expect(err.text()).toMatch(/^dauntless tail: there is no topic "test\.absent\.[^"]+" on /);
  });
});
