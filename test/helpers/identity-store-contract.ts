// One suite of behaviour every IdentityStore must show (shared/er/identity-store.ts):
// run against the memory store in the unit tests and against real Redis in
// test/integration, so the two cannot drift apart.
import { beforeEach, describe, expect, it } from 'vitest';
import { entityIdFor, type GraphChange, type IdentityStore, type MatchScore } from '../../shared/er/identity-store.ts';

type StoreUnderTest = IdentityStore & { entities(): Promise<Map<string, string[]>> | Map<string, string[]> };

const SCORE: MatchScore = { matchWeight: 12, probability: 0.9998, evidence: [{ field: 'phone', level: 'exact', weight: 12 }] };

function change(recordId: string, blockKeys: string[], decision: GraphChange['decision'], terms: string[] = []): GraphChange {
  return {
    recordId,
    record: { recordId, source: 'test', fields: { full_name: `synthetic ${recordId}` } },
    features: { recordId, source: 'test' },
    blockKeys,
    terms,
    decision,
    possible: [],
    modelVersion: 'test',
  };
}

async function resolveAs(store: IdentityStore, c: GraphChange) {
  const view = await store.candidates({ blockKeys: c.blockKeys, terms: c.terms, maxPerKey: 20 });
  return store.apply(c, view.token);
}

async function partition(store: StoreUnderTest): Promise<string[][]> {
  return [...(await store.entities()).values()].map((ids) => [...ids].sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

export function describeIdentityStoreContract(name: string, makeStore: () => Promise<StoreUnderTest> | StoreUnderTest): void {
  describe(`${name} (IdentityStore contract)`, () => {
    let store: StoreUnderTest;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('creates a new entity with an id derived from its first record', async () => {
      const result = await resolveAs(store, change('r1', ['ph:+447700900001'], { outcome: 'new' }));
      expect(result).toEqual({ status: 'applied', entityId: entityIdFor('r1'), mergedEntityIds: [] });
      expect(await store.entityOfRecord('r1')).toBe(entityIdFor('r1'));
      expect(await store.entityOfRecord('never-seen')).toBeUndefined();
      // Asking for candidates for a resolved record answers with its entity at once.
      expect((await store.candidates({ recordId: 'r1', blockKeys: ['ph:+447700900001'], terms: [], maxPerKey: 20 })).known?.entityId).toBe(entityIdFor('r1'));
      expect((await store.candidates({ recordId: 'r2', blockKeys: ['ph:+447700900001'], terms: [], maxPerKey: 20 })).known).toBeUndefined();
    });

    it('answers a resolved record with its entity now and the decision and possible matches kept for it, to the last digit', async () => {
      const e1 = entityIdFor('r1');
      const e2 = entityIdFor('r2');
      const fine: MatchScore = { matchWeight: 3.141592653589793, probability: 0.8983205267848753, evidence: [{ field: 'dob', level: 'exact', weight: 3.141592653589793 }] };
      await resolveAs(store, change('r1', ['ph:1'], { outcome: 'new' }));
      await resolveAs(store, change('r2', ['em:b'], { outcome: 'new' }));
      const linked: GraphChange = { ...change('r3', ['ph:1'], { outcome: 'link', entityId: e1, score: SCORE }), possible: [{ entityId: e2, score: fine }] };
      await resolveAs(store, linked);
      const merge: GraphChange['decision'] = { outcome: 'merge', entityIds: [e2, e1], scores: { [e2]: fine, [e1]: SCORE } };
      await resolveAs(store, change('r4', ['ph:1', 'em:b'], merge));
      const known = async (recordId: string) => (await store.candidates({ recordId, blockKeys: ['ph:1'], terms: [], maxPerKey: 20 })).known;
      // r3 joined e1, which r4 merged into e2 since: its entity now is e2; its decision is as made.
      expect(await known('r3')).toEqual({ entityId: e2, decision: linked.decision, possible: linked.possible });
      expect(await known('r4')).toEqual({ entityId: e2, decision: merge, possible: [] });
      expect(await known('r1')).toEqual({ entityId: e2, decision: { outcome: 'new' }, possible: [] });
    });

    it('files the entity under the record keys and returns it, with its members, as a candidate', async () => {
      await resolveAs(store, change('r1', ['ph:1', 'em:a'], { outcome: 'new' }, ['family_name:khan']));
      const view = await store.candidates({ blockKeys: ['em:a', 'ph:unrelated'], terms: ['family_name:khan', 'family_name:ortiz'], maxPerKey: 20 });
      expect(view.entities.map((e) => e.entityId)).toEqual([entityIdFor('r1')]);
      expect(view.entities[0]!.members.map((m) => m.recordId)).toEqual(['r1']);
      expect(view.termCounts).toEqual({ 'family_name:khan': 1, 'family_name:ortiz': 0 });
      expect(view.totalRecords).toBe(1);
    });

    it('changes nothing when the same record is applied twice', async () => {
      const first = change('r1', ['ph:1'], { outcome: 'new' }, ['family_name:khan']);
      await resolveAs(store, first);
      const again = await resolveAs(store, { ...first, decision: { outcome: 'new' } });
      expect(again).toEqual({ status: 'duplicate', entityId: entityIdFor('r1') });
      const view = await store.candidates({ blockKeys: ['ph:1'], terms: ['family_name:khan'], maxPerKey: 20 });
      expect(view.totalRecords).toBe(1);
      expect(view.termCounts['family_name:khan']).toBe(1);
      expect(await partition(store)).toEqual([['r1']]);
    });

    it('refuses a decision made before another record was filed under the same key', async () => {
      const stale = await store.candidates({ blockKeys: ['ph:1'], terms: [], maxPerKey: 20 });
      await resolveAs(store, change('r1', ['ph:1'], { outcome: 'new' }));
      expect(await store.apply(change('r2', ['ph:1'], { outcome: 'new' }), stale.token)).toEqual({ status: 'conflict' });
      expect(await store.entityOfRecord('r2')).toBeUndefined();
    });

    it('links a record to an entity, and merges entities a record links, keeping the first as survivor', async () => {
      await resolveAs(store, change('r1', ['ph:1'], { outcome: 'new' }));
      await resolveAs(store, change('r2', ['em:b'], { outcome: 'new' }));
      await resolveAs(store, change('r3', ['ph:1'], { outcome: 'link', entityId: entityIdFor('r1'), score: SCORE }));
      const e1 = entityIdFor('r1');
      const e2 = entityIdFor('r2');
      const merged = await resolveAs(store, change('r4', ['ph:1', 'em:b'], { outcome: 'merge', entityIds: [e1, e2], scores: { [e1]: SCORE, [e2]: SCORE } }));
      expect(merged).toEqual({ status: 'applied', entityId: e1, mergedEntityIds: [e2] });
      expect(await partition(store)).toEqual([['r1', 'r2', 'r3', 'r4']]);
      // The merged-away id points to its survivor, for consumers that kept it.
      expect(await store.entityOfRecord('r2')).toBe(e1);
      const view = await store.candidates({ blockKeys: ['em:b', 'ph:1'], terms: [], maxPerKey: 20 });
      expect(view.entities.map((e) => e.entityId)).toEqual([e1]);
      expect(view.entities[0]!.memberCount).toBe(4);
    });

    it('refuses to link to an entity that was merged away since the decision was made', async () => {
      await resolveAs(store, change('r1', ['ph:1'], { outcome: 'new' }));
      await resolveAs(store, change('r2', ['em:b'], { outcome: 'new' }));
      const e1 = entityIdFor('r1');
      const e2 = entityIdFor('r2');
      const stale = await store.candidates({ blockKeys: ['zz:other'], terms: [], maxPerKey: 20 });
      await resolveAs(store, change('r3', ['ph:1', 'em:b'], { outcome: 'merge', entityIds: [e1, e2], scores: {} }));
      expect(await store.apply(change('r4', ['zz:other'], { outcome: 'link', entityId: e2, score: SCORE }), stale.token)).toEqual({ status: 'conflict' });
    });

    it('returns at most maxPerKey entities per key, most recently filed first', async () => {
      for (const id of ['a', 'b', 'c']) await resolveAs(store, change(id, ['dob:1990'], { outcome: 'new' }));
      const view = await store.candidates({ blockKeys: ['dob:1990'], terms: [], maxPerKey: 2 });
      expect(view.entities.map((e) => e.entityId)).toEqual([entityIdFor('c'), entityIdFor('b')]);
    });
  });
}
