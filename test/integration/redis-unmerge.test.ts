import { adminRedis } from '../helpers/redis.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entityIdFor, type GraphChange, type MatchScore, type PersonFields } from '../../shared/er/identity-store.ts';
import { createRedisIdentityStore, type RedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { uniqueName } from '../helpers/unique.ts';
import { createIdentityAdmin, type IdentityAdmin } from '../../shared/graph/identity-admin.ts';
import { reverseMerge } from '../../shared/graph/reverse-merge.ts';
import { resolveRecord } from '../../shared/er/resolve-record.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { graphSnapshot } from '../helpers/graph-snapshot.ts';

const redis = adminRedis();
const stores: RedisIdentityStore[] = [];
const SCORE: MatchScore = { matchWeight: 9.5, probability: 0.9986, evidence: [{ field: 'phone', level: 'exact', weight: 9.5 }] };

afterAll(async () => {
  for (const store of stores) await store.clear();
  redis.disconnect();
});

function change(recordId: string, blockKeys: string[], decision: GraphChange['decision']): GraphChange {
  return {
    recordId,
    record: { recordId, source: 'test', fields: { phones: ['07700 900000'] } },
    features: { recordId, source: 'test' },
    blockKeys,
    terms: [`t:${recordId}`],
    decision,
    possible: [],
    modelVersion: 'test',
  };
}

async function resolveAs(store: RedisIdentityStore, c: GraphChange) {
  const view = await store.candidates({ blockKeys: c.blockKeys, terms: [], maxPerKey: 20 });
  return store.apply(c, view.token);
}

describe('reversing a merge in the Redis identity graph', () => {
  let store: RedisIdentityStore;
  let admin: IdentityAdmin;
  const e1 = entityIdFor('r1');
  const e2 = entityIdFor('r2');

  beforeEach(async () => {
    store = createRedisIdentityStore({ redis, namespace: `${uniqueName('unmerge')}:{g}` });
    admin = createIdentityAdmin({ redis, namespace: store.namespace });
    stores.push(store);
    await resolveAs(store, change('r1', ['ph:1'], { outcome: 'new' }));
    await resolveAs(store, change('r2', ['em:2'], { outcome: 'new' }));
    await resolveAs(store, change('r3', ['ph:1'], { outcome: 'link', entityId: e1, score: SCORE }));
    // r4 bridges the two: a wrong merge, say.
    await resolveAs(store, change('r4', ['ph:1', 'em:2'], { outcome: 'merge', entityIds: [e1, e2], scores: { [e1]: SCORE, [e2]: SCORE } }));
    await resolveAs(store, change('r5', ['em:2'], { outcome: 'link', entityId: e1, score: SCORE }));
  });

  it('records the merge with its evidence, and the merged-away id answers for its survivor', async () => {
    const explanation = (await admin.explain(e2))!;
    expect(explanation.entityId).toBe(e1);
    expect(explanation.records.map((r) => r.recordId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(explanation.merges).toHaveLength(1);
    expect(explanation.merges[0]).toMatchObject({ survivor: e1, absorbed: e2, recordId: 'r4', absorbedRecordIds: ['r2'], reversedAt: undefined });
    expect(explanation.records.find((r) => r.recordId === 'r3')!.score).toEqual(SCORE);
  });

  it('restores both entities, keeps them apart, and hands back the bridging and later records to resolve again', async () => {
    const mergeId = (await admin.explain(e1))!.merges[0]!.mergeId;
    const result = await admin.unmerge(mergeId);

    expect(result.survivor).toBe(e1);
    expect(result.absorbed).toBe(e2);
    expect(result.restored).toBe(1);
    expect(result.toResolveAgain.map((r) => r.recordId).sort()).toEqual(['r4', 'r5']);
    expect(result.toResolveAgain[0]!.fields.phones).toEqual(['07700 900000']);

    const entities = await admin.entities();
    expect(entities.get(e1)!.sort()).toEqual(['r1', 'r3']);
    expect(entities.get(e2)).toEqual(['r2']);
    expect(await store.entityOfRecord('r2')).toBe(e2);
    expect(await store.entityOfRecord('r4')).toBeUndefined();

    // Both come back as candidates, each marked never to merge with the other. Read as a resolver
    // reads the graph after another writer (the admin) changed it: this store's mirror of the index is
    // of the graph before the unmerge, so its next apply would be refused and the decision made again.
    const view = await createRedisIdentityStore({ redis, namespace: store.namespace }).candidates({ blockKeys: ['ph:1', 'em:2'], terms: ['t:r4', 't:r1'], maxPerKey: 20 });
    expect(new Set(view.entities.map((e) => e.entityId))).toEqual(new Set([e1, e2]));
    expect(view.entities.find((e) => e.entityId === e2)!.notWith).toContain(e1);
    expect(view.entities.find((e) => e.entityId === e1)!.notWith).toContain(e2);
    // The records taken out no longer count for term frequencies or totals.
    expect(view.termCounts).toEqual({ 't:r4': 0, 't:r1': 1 });
    expect(view.totalRecords).toBe(3);

    // Resolving r4 again is a fresh decision, not a duplicate.
    expect(await store.apply(change('r4', ['ph:1'], { outcome: 'link', entityId: e1, score: SCORE }), view.token)).toEqual({
      status: 'applied',
      entityId: e1,
      mergedEntityIds: [],
    });
  });

  it('hands the records back again while they are on no entity, and refuses a merge reversed in full, or one it never made', async () => {
    const mergeId = (await admin.explain(e1))!.merges[0]!.mergeId;
    await admin.unmerge(mergeId);
    // Stopped before resolving any again (a crash): asked again, it hands back the same records, and undoes nothing twice.
    const again = await admin.unmerge(mergeId);
    expect(again).toMatchObject({ survivor: e1, absorbed: e2, restored: 1, resumed: true });
    expect(again.toResolveAgain.map((r) => r.recordId)).toEqual(['r4', 'r5']);
    expect((await admin.entities()).get(e2)).toEqual(['r2']);
    // r4 is on an entity again (say a replay of its event resolved it) but still pending: it is not handed back.
    await resolveAs(store, change('r4', ['ph:1'], { outcome: 'link', entityId: e1, score: SCORE }));
    expect((await admin.unmerge(mergeId)).toResolveAgain.map((r) => r.recordId)).toEqual(['r5']);
    await resolveAs(store, change('r5', ['em:2'], { outcome: 'link', entityId: e2, score: SCORE }));
    await admin.resolvedAgain(mergeId, 'r5');
    await admin.resolvedAgain(mergeId, 'r5');
    await expect(admin.unmerge(mergeId)).rejects.toThrow(/already reversed/);
    expect(await redis.exists(`${store.namespace}:merge:${mergeId}:pending`)).toBe(0);
    await expect(admin.unmerge('M999.1')).rejects.toThrow(/No merge/);
    expect((await admin.explain(e2))!.merges[0]!.reversedAt).toBeGreaterThan(0);
  });
});

describe('reversing a merge with the resolver', () => {
  it('restores both people, resolves the bridging record again, and never merges them again', async () => {
    const store = createRedisIdentityStore({ redis, namespace: `${uniqueName('reverse')}:{g}` });
    const admin = createIdentityAdmin({ redis, namespace: store.namespace });
    stores.push(store);
    const referenceDate = new Date('2026-11-25T00:00:00Z');
    const resolve = (recordId: string, fields: PersonFields) =>
      resolveRecord({ recordId, source: 'test', fields }, { store, model: defaultPersonModel, referenceDate });

    // Two different people, resolved by the model.
    const a = await resolve('a1', { given_name: 'Priya', family_name: 'Raman', dob: '02/05/1990', phones: ['07700 900111'] });
    await resolve('a2', { full_name: 'RAMAN Priya', dob: '2.5.90', phones: ['+447700900111'] });
    const b = await resolve('b1', { given_name: 'Kwame', family_name: 'Mensah', dob: '17/10/1972', phones: ['07700 900222'] });
    expect(a.entityId).not.toBe(b.entityId);

    // A wrong merge (say, by an older model): a record carrying Priya's name and both phones joined them.
    const bridgeRecord = { recordId: 'x1', source: 'test', fields: { given_name: 'Priya', family_name: 'Raman', phones: ['07700 900111', '07700 900222'] } };
    const view = await store.candidates({ blockKeys: ['wrong:bridge'], terms: [], maxPerKey: 20 });
    const wrong = await store.apply(
      {
        recordId: 'x1',
        record: bridgeRecord,
        features: { recordId: 'x1', source: 'test' },
        blockKeys: ['wrong:bridge'],
        terms: [],
        decision: { outcome: 'merge', entityIds: [a.entityId, b.entityId], scores: {} },
        possible: [],
        modelVersion: 'older-model',
      },
      view.token,
    );
    expect(wrong).toMatchObject({ status: 'applied', entityId: a.entityId, mergedEntityIds: [b.entityId] });

    const mergeId = (await admin.explain(b.entityId))!.merges[0]!.mergeId;
    const result = await reverseMerge(mergeId, { admin, store, model: defaultPersonModel, referenceDate });

    expect(result).toMatchObject({ survivor: a.entityId, restored: b.entityId, restoredRecords: 1 });
    expect(result.resolvedAgain.map((r) => r.recordId)).toEqual(['x1']);
    // Resolved again by today's model: Priya's name and phone take it to Priya, and Kwame stays apart.
    expect(result.resolvedAgain[0]!.entityId).toBe(a.entityId);
    const entities = await admin.entities();
    expect(entities.get(a.entityId)!.sort()).toEqual(['a1', 'a2', 'x1']);
    expect(entities.get(b.entityId)).toEqual(['b1']);
    expect(entities.size).toBe(2);
    expect((await admin.explain(b.entityId))!.notWith).toContain(a.entityId);
  });
});

describe('a crash while reversing a merge', () => {
  const referenceDate = new Date('2026-11-25T00:00:00Z');

  /** Two people, Priya and Kwame, wrongly merged by a record with her name and both phones; then Kwame again, to the merged entity. */
  async function wronglyMerged() {
    const store = createRedisIdentityStore({ redis, namespace: `${uniqueName('crash-unmerge')}:{g}` });
    const admin = createIdentityAdmin({ redis, namespace: store.namespace });
    stores.push(store);
    const resolve = (recordId: string, fields: PersonFields) => resolveRecord({ recordId, source: 'test', fields }, { store, model: defaultPersonModel, referenceDate });
    const a = await resolve('a1', { given_name: 'Priya', family_name: 'Raman', dob: '02/05/1990', phones: ['07700 900111'] });
    const b = await resolve('b1', { given_name: 'Kwame', family_name: 'Mensah', dob: '17/10/1972', phones: ['07700 900222'] });
    const bridge = { recordId: 'x1', source: 'test', fields: { given_name: 'Priya', family_name: 'Raman', phones: ['07700 900111', '07700 900222'] } };
    const view = await store.candidates({ blockKeys: ['wrong:bridge'], terms: [], maxPerKey: 20 });
    const decision = { outcome: 'merge' as const, entityIds: [a.entityId, b.entityId], scores: {} };
    const change = { recordId: 'x1', record: bridge, features: { recordId: 'x1', source: 'test' }, blockKeys: ['wrong:bridge'], terms: [], decision, possible: [], modelVersion: 'older-model' };
    await store.apply(change, view.token);
    const later = await resolve('b2', { given_name: 'Kwame', family_name: 'Mensah', dob: '17/10/1972', phones: ['+447700900222'] });
    expect(later.entityId).toBe(a.entityId);
    const mergeId = (await admin.explain(b.entityId))!.merges[0]!.mergeId;
    return { store, admin, mergeId, reverse: () => reverseMerge(mergeId, { admin, store, model: defaultPersonModel, referenceDate }), resolve };
  }

  /** The graph with what a snapshot leaves out: term counts and totals. */
  async function state(namespace: string) {
    const [graph, tf, meta] = await Promise.all([graphSnapshot(redis, namespace), redis.hgetall(`${namespace}:tf`), redis.hmget(`${namespace}:meta`, 'seq', 'records', 'entities')]);
    return { graph, tf, meta };
  }

  let uninterrupted: Awaited<ReturnType<typeof state>>;
  beforeAll(async () => {
    const { store, reverse } = await wronglyMerged();
    const result = await reverse();
    expect(result.resolvedAgain.map((r) => r.recordId)).toEqual(['x1', 'b2']);
    expect(result.resumed).toBe(false);
    uninterrupted = await state(store.namespace);
  });

  it('between reversing and resolving again: run again, it resolves every record again and the graph is as one uninterrupted reversal leaves it', async () => {
    const { store, admin, mergeId, reverse } = await wronglyMerged();
    await admin.unmerge(mergeId);
    expect(await store.entityOfRecord('x1')).toBeUndefined();
    const result = await reverse();
    expect(result).toMatchObject({ resumed: true });
    expect(result.resolvedAgain.map((r) => [r.recordId, r.duplicate])).toEqual([['x1', false], ['b2', false]]);
    expect(await state(store.namespace)).toEqual(uninterrupted);
    await expect(reverse()).rejects.toThrow(/already reversed/);
  });

  it('part-way through resolving again, before the record resolved left the pending list: run again, it resolves only the rest', async () => {
    const { store, admin, mergeId, reverse, resolve } = await wronglyMerged();
    const { toResolveAgain } = await admin.unmerge(mergeId);
    await resolve(toResolveAgain[0]!.recordId, toResolveAgain[0]!.fields);
    const result = await reverse();
    expect(result.resolvedAgain.map((r) => r.recordId)).toEqual(['b2']);
    expect(await state(store.namespace)).toEqual(uninterrupted);
  });
});
