import { describe, expect, it } from 'vitest';
import type { IdentityStore } from './identity-store.ts';
import { createMemoryIdentityStore, newEntityId } from './memory-identity-store.ts';
import { defaultPersonModel } from './model.ts';
import { resolveRecord } from './resolve-record.ts';
import { person, REFERENCE_DATE, testModel } from './test-support/records.ts';

// Names alone (≈ 6.4 bits with the prior) stay below the link threshold; names with a date of birth or a phone pass it.
const model = testModel({ thresholds: { link: 8, possible: 2 } });
const opts = (store: IdentityStore) => ({ store, model, referenceDate: REFERENCE_DATE });

const gaster = (id: string, extra: Record<string, unknown> = {}) =>
  person(id, { given_name: 'Moses', family_name: 'Gaster', dob: '1856-09-17', postcode: 'EX20 3PZ', ...extra });

describe('resolveRecord with the memory store', () => {
  it('founds an entity with a deterministic id, then links the same person to it', async () => {
    const store = createMemoryIdentityStore();
    const first = await resolveRecord(gaster('r1'), opts(store));
    expect(first).toMatchObject({ entityId: newEntityId('r1'), decision: { outcome: 'new' }, duplicate: false });
    const second = await resolveRecord(gaster('r2', { given_name: 'Moshe' }), opts(store));
    expect(second).toMatchObject({ entityId: first.entityId, decision: { outcome: 'link', entityId: first.entityId } });
    expect(store.entities()).toEqual(new Map([[first.entityId, ['r1', 'r2']]]));
  });

  it('changes nothing when the same record is replayed', async () => {
    const store = createMemoryIdentityStore();
    const first = await resolveRecord(gaster('r1'), opts(store));
    const before = JSON.stringify([...store.entities()]);
    const replay = await resolveRecord(gaster('r1'), opts(store));
    expect(replay).toMatchObject({ entityId: first.entityId, duplicate: true });
    expect(JSON.stringify([...store.entities()])).toBe(before);
    expect(store.record('r1')?.sequence).toBe(1);
  });

  it('merges two entities when a record links both, keeping the larger', async () => {
    const store = createMemoryIdentityStore();
    // One person known twice, apart: by name and date of birth, and by name and phone.
    const a1 = await resolveRecord(person('a1', { given_name: 'Agnes', family_name: 'Beaumont', dob: '1652-01-21' }), opts(store));
    await resolveRecord(person('a2', { given_name: 'Agnes', family_name: 'Beaumont', dob: '1652-01-21' }), opts(store));
    const b1 = await resolveRecord(person('b1', { given_name: 'Agnes', family_name: 'Beaumont', phones: ['07700 900123'] }), opts(store));
    expect(b1.entityId).not.toBe(a1.entityId);
    const bridge = await resolveRecord(person('c1', { given_name: 'Agnes', family_name: 'Beaumont', dob: '1652-01-21', phones: ['07700 900123'] }), opts(store));
    expect(bridge.decision).toMatchObject({ outcome: 'merge', entityIds: [a1.entityId, b1.entityId] });
    expect(bridge).toMatchObject({ entityId: a1.entityId, mergedEntityIds: [b1.entityId] });
    expect(store.entities()).toEqual(new Map([[a1.entityId, ['a1', 'a2', 'b1', 'c1']]]));
    expect(await store.entityOfRecord('b1')).toBe(a1.entityId);
    expect(store.merges()).toMatchObject([{ survivor: a1.entityId, absorbed: [b1.entityId], absorbedMembers: { [b1.entityId]: ['b1'] }, byRecordId: 'c1' }]);
  });

  it('reports a replayed record as first resolved: its decision, possible matches and the entities its merge took in', async () => {
    const store = createMemoryIdentityStore();
    await resolveRecord(person('a1', { given_name: 'Agnes', family_name: 'Beaumont', dob: '1652-01-21' }), opts(store));
    await resolveRecord(person('b1', { given_name: 'Agnes', family_name: 'Beaumont', phones: ['07700 900123'] }), opts(store));
    const bridgeRecord = person('c1', { given_name: 'Agnes', family_name: 'Beaumont', dob: '1652-01-21', phones: ['07700 900123'] });
    const bridge = await resolveRecord(bridgeRecord, opts(store));
    const replay = await resolveRecord(bridgeRecord, opts(store));
    expect(replay).toEqual({ ...bridge, duplicate: true, candidates: 0, attempts: 0 });
    expect(replay.mergedEntityIds).toHaveLength(1);
  });

  it('reports the decision of a resolver that placed the record between its read and its write, not its own', async () => {
    const inner = createMemoryIdentityStore();
    await resolveRecord(gaster('r1'), opts(inner));
    let raced = false;
    const store: IdentityStore = {
      ...inner,
      async apply(change, token) {
        if (!raced) {
          // The other resolver: the same record, filed first, with possible matches of its own.
          raced = true;
          const view = await inner.candidates({ blockKeys: change.blockKeys, terms: [], maxPerKey: 10 });
          await inner.apply({ ...change, possible: [{ entityId: newEntityId('r1'), score: { matchWeight: 1, probability: 0.67, evidence: [] } }] }, view.token);
        }
        return inner.apply(change, token);
      },
    };
    const result = await resolveRecord(gaster('r2', { dob: undefined }), opts(store));
    expect(result).toMatchObject({ duplicate: true, attempts: 1, possible: [{ entityId: newEntityId('r1'), score: { probability: 0.67 } }] });
  });

  it('keeps different people apart', async () => {
    const store = createMemoryIdentityStore();
    const a = await resolveRecord(gaster('r1'), opts(store));
    const b = await resolveRecord(person('r2', { given_name: 'Agnes', family_name: 'Beaumont', dob: '1652-01-21', postcode: 'SG18 9TB' }), opts(store));
    expect(b.entityId).not.toBe(a.entityId);
    expect(store.entities().size).toBe(2);
  });

  it('keeps a father and son of one name at one address apart with the shipped model, and still links a typo', async () => {
    const store = createMemoryIdentityStore();
    const shipped = { store, model: defaultPersonModel, referenceDate: REFERENCE_DATE };
    const home = { given_name: 'Mahad', family_name: 'Farah', addresses: ['1 Saddler Close, London'], postcode: 'W2 5YE', gender: 'M' };
    const father = await resolveRecord(person('f1', { ...home, dob: '1961-04-22' }), shipped);
    const son = await resolveRecord(person('s1', { ...home, dob: '1989-09-18' }), shipped);
    expect(son.decision).toEqual({ outcome: 'new' });
    expect(son.possible.map((p) => p.entityId)).toEqual([father.entityId]);
    expect(son.possible[0]!.score.evidence).toContainEqual(expect.objectContaining({ field: 'dob', level: 'far_apart' }));
    const fatherAgain = await resolveRecord(person('f2', { ...home, dob: '1961-04-12' }), shipped);
    expect(fatherAgain.entityId).toBe(father.entityId);
  });

  it('resolves again after a conflict, and gives up with a retriable error after too many', async () => {
    const inner = createMemoryIdentityStore();
    await resolveRecord(gaster('r1'), opts(inner));
    let conflicts = 1;
    const flaky: IdentityStore = {
      candidates: (r) => inner.candidates(r),
      entityOfRecord: (id) => inner.entityOfRecord(id),
      apply: async (change, token) => (conflicts-- > 0 ? { status: 'conflict' } : inner.apply(change, token)),
    };
    const result = await resolveRecord(gaster('r2'), opts(flaky));
    expect(result).toMatchObject({ attempts: 2, decision: { outcome: 'link' } });
    expect(inner.entities().size).toBe(1);

    const alwaysConflict: IdentityStore = { ...flaky, apply: async () => ({ status: 'conflict' }) };
    await expect(resolveRecord(gaster('r3'), { ...opts(alwaysConflict), maxAttempts: 3 })).rejects.toMatchObject({ code: 'RESOLVE_CONFLICT', retriable: true });
  });
});
