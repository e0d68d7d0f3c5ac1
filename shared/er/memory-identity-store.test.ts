import { describe, expect, it } from 'vitest';
import type { GraphChange } from './identity-store.ts';
import { createMemoryIdentityStore, newEntityId } from './memory-identity-store.ts';
import { describeIdentityStoreContract } from '../../test/helpers/identity-store-contract.ts';

// The behaviour every store shares, as test/integration runs it against Redis.
describeIdentityStoreContract('the memory identity store', createMemoryIdentityStore);

const change = (recordId: string, blockKeys: string[], decision: GraphChange['decision'] = { outcome: 'new' }, terms: string[] = []): GraphChange => ({
  recordId,
  features: { recordId, source: 'test' },
  blockKeys,
  terms,
  decision,
  possible: [],
  modelVersion: 'test',
});

const score = { matchWeight: 10, probability: 0.999, evidence: [] };

describe('memory identity store', () => {
  it('names a new entity P + 20 hex characters of sha256(recordId)', () => {
    expect(newEntityId('r1')).toMatch(/^P[0-9a-f]{20}$/);
    expect(newEntityId('r1')).toBe(newEntityId('r1'));
  });

  it('refuses a change when a key it read has moved since, and counts terms and records', async () => {
    const store = createMemoryIdentityStore();
    const view = await store.candidates({ blockKeys: ['k1'], terms: ['t'], maxPerKey: 10 });
    expect(view).toMatchObject({ entities: [], termCounts: { t: 0 }, totalRecords: 0 });
    expect(await store.apply(change('r1', ['k1'], { outcome: 'new' }, ['t']), view.token)).toEqual({ status: 'applied', entityId: newEntityId('r1'), mergedEntityIds: [] });
    expect(await store.apply(change('r2', ['k1']), view.token)).toEqual({ status: 'conflict' });
    expect(await store.apply(change('r1', ['k1']), view.token)).toEqual({ status: 'duplicate', entityId: newEntityId('r1') });
    const after = await store.candidates({ blockKeys: ['k1'], terms: ['t'], maxPerKey: 10 });
    expect(after).toMatchObject({ termCounts: { t: 1 }, totalRecords: 1 });
    expect(after.entities.map((e) => e.entityId)).toEqual([newEntityId('r1')]);
  });

  it('returns at most maxPerKey entities per key, most recently filed first', async () => {
    const store = createMemoryIdentityStore();
    for (const id of ['r1', 'r2', 'r3']) {
      const view = await store.candidates({ blockKeys: ['k'], terms: [], maxPerKey: 10 });
      await store.apply(change(id, ['k']), view.token);
    }
    const view = await store.candidates({ blockKeys: ['k'], terms: [], maxPerKey: 2 });
    expect(view.entities.map((e) => e.entityId)).toEqual([newEntityId('r3'), newEntityId('r2')]);
  });

  it('merges into the first entity, points the absorbed id at it, and refuses a decision on a merged-away entity', async () => {
    const store = createMemoryIdentityStore();
    let view = await store.candidates({ blockKeys: ['a', 'b'], terms: [], maxPerKey: 10 });
    await store.apply(change('r1', ['a']), view.token);
    view = await store.candidates({ blockKeys: ['b'], terms: [], maxPerKey: 10 });
    await store.apply(change('r2', ['b']), view.token);
    const [e1, e2] = [newEntityId('r1'), newEntityId('r2')];
    view = await store.candidates({ blockKeys: ['a', 'b'], terms: [], maxPerKey: 10 });
    const stale = await store.candidates({ blockKeys: ['c'], terms: [], maxPerKey: 10 });
    expect(await store.apply(change('r3', ['a', 'b'], { outcome: 'merge', entityIds: [e1, e2], scores: { [e1]: score, [e2]: score } }), view.token)).toEqual({
      status: 'applied',
      entityId: e1,
      mergedEntityIds: [e2],
    });
    expect(await store.entityOfRecord('r2')).toBe(e1);
    expect(store.entities()).toEqual(new Map([[e1, ['r1', 'r2', 'r3']]]));
    const merged = await store.candidates({ blockKeys: ['b'], terms: [], maxPerKey: 10 });
    expect(merged.entities.map((e) => [e.entityId, e.memberCount])).toEqual([[e1, 3]]);
    expect(await store.apply(change('r4', ['c'], { outcome: 'link', entityId: e2, score }), stale.token)).toEqual({ status: 'conflict' });
  });
});
