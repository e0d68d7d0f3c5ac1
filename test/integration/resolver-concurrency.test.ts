import type { Redis } from 'ioredis';
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, describe, expect, it } from 'vitest';
import type { PersonRecord } from '../../shared/er/identity-store.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { resolveRecord } from '../../shared/er/resolve-record.ts';
import { createRedisIdentityStore, type RedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { uniqueName } from '../helpers/unique.ts';
import { createIdentityAdmin } from '../../shared/graph/identity-admin.ts';

// Synthetic people, each typed differently from call to call: phone formats,
// nicknames, swapped name order, postcode spacing, a missing date of birth.
const RECORDS: PersonRecord[] = [
  { recordId: 'a1', source: 'cad', fields: { given_name: 'Rebecca', family_name: 'Ashworth', dob: '14/02/1988', phones: ['07700 900321'], addresses: ['12 Larch Road, London SE11 4AA'] } },
  { recordId: 'a2', source: 'cad', fields: { full_name: 'ASHWORTH, Becky', dob: '14.2.88', phones: ['+44 7700-900321'] } },
  { recordId: 'a3', source: 'cad', fields: { given_name: 'Becky', family_name: 'Ashworth', phones: ['0770 0900 321'], addresses: ['12 Larch Rd, se114aa'] } },
  { recordId: 'a4', source: 'cad', fields: { full_name: 'Rebecca Ashworth', dob: '1988-02-14', addresses: ['12 LARCH ROAD SE11 4AA'] } },
  { recordId: 'b1', source: 'cad', fields: { given_name: 'Tomasz', family_name: 'Wieczorek', dob: '03/07/1979', phones: ['07700 900654'] } },
  { recordId: 'b2', source: 'cad', fields: { full_name: 'Tom WIECZOREK', dob: '3/7/79', phones: ['(07700) 900654'] } },
  { recordId: 'b3', source: 'cad', fields: { given_name: 'Tomasz', family_name: 'Wieczorek', dob: '1979-07-03', emails: ['t.wieczorek@example.org'] } },
  { recordId: 'b4', source: 'cad', fields: { given_name: 'Tomek', family_name: 'Wieczorek', phones: ['447700900654'], emails: ['T.Wieczorek@example.org'] } },
  { recordId: 'c1', source: 'cad', fields: { given_name: 'Margaret', family_name: 'Okonkwo', dob: '22/11/1961', addresses: ['Flat 3, 40 Elm Grove, N16 7QP'] } },
  { recordId: 'c2', source: 'cad', fields: { given_name: 'Peggy', family_name: 'Okonkwo', dob: '22/11/1961', phones: ['020 7946 0111'] } },
  { recordId: 'c3', source: 'cad', fields: { full_name: 'Okonkwo Margaret', dob: '22-Nov-1961', phones: ['02079460111'], addresses: ['3/40 Elm Grove N167QP'] } },
  // Someone else who shares a surname and a street: must stay apart.
  { recordId: 'd1', source: 'cad', fields: { given_name: 'Daniel', family_name: 'Ashworth', dob: '30/09/1990', phones: ['07700 900999'], addresses: ['14 Larch Road, London SE11 4AA'] } },
];

const EXPECTED = [['a1', 'a2', 'a3', 'a4'], ['b1', 'b2', 'b3', 'b4'], ['c1', 'c2', 'c3'], ['d1']];
const referenceDate = new Date('2026-11-25T00:00:00Z');
const clients: Redis[] = [];
const stores: RedisIdentityStore[] = [];

function store(namespace: string): RedisIdentityStore {
  const redis = adminRedis();
  clients.push(redis);
  const s = createRedisIdentityStore({ redis, namespace });
  stores.push(s);
  return s;
}

async function partition(s: RedisIdentityStore): Promise<string[][]> {
  return [...(await createIdentityAdmin({ redis: clients[0]!, namespace: s.namespace }).entities()).values()].map((ids) => ids.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

// A deterministic shuffle, different for each instance.
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

afterAll(async () => {
  await stores[0]?.clear();
  for (const s of stores.slice(1)) await s.clear();
  for (const c of clients) c.disconnect();
});

describe('resolving against the Redis identity graph', () => {
  it('puts each synthetic person in one entity, and the namesake at the same street apart', async () => {
    const s = store(`${uniqueName('er-one')}:{g}`);
    for (const record of RECORDS) await resolveRecord(record, { store: s, model: defaultPersonModel, referenceDate });
    expect(await partition(s)).toEqual(EXPECTED);
  });

  it('changes nothing when the whole stream is replayed', async () => {
    const s = store(`${uniqueName('er-replay')}:{g}`);
    for (const record of RECORDS) await resolveRecord(record, { store: s, model: defaultPersonModel, referenceDate });
    const before = await createIdentityAdmin({ redis: clients[0]!, namespace: s.namespace }).entities();
    const results = [];
    for (const record of RECORDS) results.push(await resolveRecord(record, { store: s, model: defaultPersonModel, referenceDate }));
    expect(results.every((r) => r.duplicate)).toBe(true);
    expect(await createIdentityAdmin({ redis: clients[0]!, namespace: s.namespace }).entities()).toEqual(before);
    const view = await s.candidates({ blockKeys: [], terms: [], maxPerKey: 1 });
    expect(view.totalRecords).toBe(RECORDS.length);
  });

  it('gives the same entities when four resolver instances race over the same stream as when one resolves it alone', async () => {
    const namespace = `${uniqueName('er-race')}:{g}`;
    // Four instances, each its own Redis connection, each resolving every
    // record (in its own order), all at once: conflicts and duplicates galore.
    const instances = [1, 2, 3, 4].map(() => store(namespace));
    const outcomes = await Promise.all(
      instances.map(async (s, i) => {
        const seen = [];
        for (const record of shuffled(RECORDS, i + 7)) seen.push(await resolveRecord(record, { store: s, model: defaultPersonModel, referenceDate }));
        return seen;
      }),
    );
    expect(await partition(instances[0]!)).toEqual(EXPECTED);
    // Each record was written exactly once; every other attempt saw a duplicate.
    const applied = outcomes.flat().filter((r) => !r.duplicate);
    expect(applied.map((r) => r.recordId).sort()).toEqual(RECORDS.map((r) => r.recordId).sort());
    const view = await instances[0]!.candidates({ blockKeys: [], terms: [], maxPerKey: 1 });
    expect(view.totalRecords).toBe(RECORDS.length);
  });

  it('one store resolving several people at once (a resolver with partitions in flight) decides each once, unless a key it read moved', async () => {
    const s = store(`${uniqueName('er-inflight')}:{g}`);
    // The first record of each person seeds the graph (and the store's own mirror of the candidate index).
    const firsts = ['a1', 'b1', 'c1', 'd1'];
    for (const record of RECORDS.filter((r) => firsts.includes(r.recordId))) await resolveRecord(record, { store: s, model: defaultPersonModel, referenceDate });
    // Then one more record of each of three different people, all in flight
    // together: each apply moves the graph's seq under the others, but none
    // files under a key another read, so none is refused.
    const apart = await Promise.all(['a2', 'b2', 'c2'].map((id) => resolveRecord(RECORDS.find((r) => r.recordId === id)!, { store: s, model: defaultPersonModel, referenceDate })));
    expect(apart.map((r) => r.attempts)).toEqual([1, 1, 1]);
    // Two records of one person in flight together read the same keys: the
    // second decision was made before the first was filed, so it is refused
    // and made again, and both end in the one entity.
    const together = await Promise.all(['a3', 'a4'].map((id) => resolveRecord(RECORDS.find((r) => r.recordId === id)!, { store: s, model: defaultPersonModel, referenceDate })));
    expect(together.map((r) => r.attempts)).toEqual([1, 2]);
    const rest = RECORDS.filter((r) => !['a1', 'b1', 'c1', 'd1', 'a2', 'b2', 'c2', 'a3', 'a4'].includes(r.recordId));
    for (const record of rest) await resolveRecord(record, { store: s, model: defaultPersonModel, referenceDate });
    expect(await partition(s)).toEqual(EXPECTED);
  });
});
