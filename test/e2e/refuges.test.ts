// A refuge's phone and address, end to end through the resolver service: two
// women who gave the same refuge and nothing else in common stay two people,
// nothing of the refuge is stored on the graph, and each withholding is on
// the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueSubject } from '../../shared/contracts/topics.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { refugeHashesOf } from '../../shared/er/refuges.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { createRefugeRegisterStore } from '../../shared/graph/refuge-register.ts';
import { clearNamespace, scanKeys } from '../../shared/redis/keys.ts';
import { startResolverProcess, type ResolverProcess } from '../../scripts/pipeline/resolver-process.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { adminRedis } from '../helpers/redis.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const input = `${uniqueName('cad.incidents')}.v1`;
const intelTopic = `${uniqueName('dispatch.intel')}.v1`;
const audit = `${uniqueName('audit')}.v1`;
const { endpoints, kafka, codec, producer } = kafkaTestKit('e2e-refuges', () => [
  { topic: input, partitions: 1, valueSchema: 'incident-reported.avsc' },
  { topic: deadLetterTopicOf(input), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: intelTopic, partitions: 1, valueSchema: 'pre-arrival-intelligence.avsc' },
  { topic: audit, partitions: 1, valueSchema: 'audit-entry.avsc' },
]);
const redis = adminRedis();
const namespace = `${uniqueName('e2e-refuge')}:{g}`;
let resolver: ResolverProcess;
let intel: { values: PreArrivalIntelligence[]; stop(): Promise<void> };
let entries: { values: any[]; stop(): Promise<void> };

const REFUGE_PHONE = '020 7946 0000';
const REFUGE_ADDRESS = '10 Harbour Lane, London SE1 7PB';
const base = sampleIncident() as any;
const woman = (n: number, given: string, family: string, dob: string, phone: string, address: string) =>
  sampleIncident({
    incidentId: `CAD-REFUGE-${n}`,
    eventId: `evt-refuge-${n}`,
    receivedAt: Date.now() - (3 - n) * 3_600_000,
    reportedAt: Date.now() - (3 - n) * 3_600_000 - 60_000,
    location: { addressLines: [], postcode: null, uprn: null, latitude: null, longitude: null },
    parties: [{ ...base.parties[0], partyId: 'V', name: { title: null, given, middle: null, family, full: null, aliases: [] }, dateOfBirth: dob, phones: [phone], addresses: [address] }, { ...base.parties[1], partyId: `S${n}`, name: { ...base.parties[1].name, full: `Suspect Number${n}` }, phones: [`0770090${n}${n}${n}${n}`] }],
  });

beforeAll(async () => {
  await createRefugeRegisterStore({ redis, namespace }).add([...refugeHashesOf({ address: REFUGE_ADDRESS }), ...refugeHashesOf({ phone: REFUGE_PHONE })]);
  intel = (await collectDecoded(kafka, codec, intelTopic)) as typeof intel;
  entries = await collectDecoded(kafka, codec, audit);
  resolver = await startResolverProcess({ endpoints, inputTopic: input, intelTopic, groupId: uniqueName('resolver'), graphNamespace: namespace, auditTopic: audit });
}, 90_000);

afterAll(async () => {
  await resolver?.kill('SIGTERM');
  await Promise.all([intel?.stop(), entries?.stop()]);
  await clearNamespace(redis, namespace);
  redis.disconnect();
});

describe('refuges', () => {
  it('links nobody through a refuge, stores none of it, and audits each withholding', async () => {
    for (const incident of [woman(1, 'Kerry', 'Smith', '1990-02-01', REFUGE_PHONE, REFUGE_ADDRESS), woman(2, 'Kerry', 'Smyth', '1988-07-12', '02079460000', 'Flat 4, 10 harbour ln, se17pb')]) {
      await producer.send({ topic: input, messages: [{ key: incident.incidentId as string, value: await codec.encode(valueSubject(input), incident) }] });
      await waitFor(`intelligence for ${incident.incidentId}`, () => intel.values.some((i) => i.incidentId === incident.incidentId), { timeoutMs: 30_000 });
    }
    const victimOf = (id: string) => intel.values.find((i) => i.incidentId === id)!.persons.find((p) => p.roles.includes('VICTIM'))!;
    expect(victimOf('CAD-REFUGE-2').entityId).not.toBe(victimOf('CAD-REFUGE-1').entityId);
    expect(victimOf('CAD-REFUGE-2').match).toBe('NEW_PERSON');
    // Nothing of the refuge on the graph: not in a stored record, its features or a blocking key.
    const stored: string[] = [];
    for await (const keys of scanKeys(redis, `${namespace}:`)) {
      for (const key of keys) {
        const type = await redis.type(key);
        stored.push(key);
        if (type === 'hash') stored.push(...Object.values(await redis.hgetall(key)));
        if (type === 'set') stored.push(...(await redis.smembers(key)));
        if (type === 'zset') stored.push(...(await redis.zrange(key, 0, -1)));
        if (type === 'string') stored.push((await redis.get(key)) ?? '');
      }
    }
    const text = stored.filter((s) => !s.startsWith(`${namespace}:refuges`)).join('\n');
    expect(text).toContain('Kerry');
    for (const needle of ['7946', 'Harbour', 'harbour', 'SE17PB', 'SE1 7PB', 'se17pb']) expect(text, needle).not.toContain(needle);
    await waitFor('both withholdings audited', () => entries.values.filter((e) => e.action === 'refuge.withheld').length >= 2);
    const withheld = entries.values.filter((e) => e.action === 'refuge.withheld');
    expect(withheld.map((e) => e.subjectIds[0]).sort()).toEqual(['evt-refuge-1:V', 'evt-refuge-2:V']);
    expect(JSON.stringify(withheld)).not.toContain('Harbour');
  });
});
