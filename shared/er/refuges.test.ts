import { describe, expect, it } from 'vitest';
import { featuresOf } from './features.ts';
import { createMemoryIdentityStore } from './memory-identity-store.ts';
import { defaultPersonModel } from './model.ts';
import { resolveRecord } from './resolve-record.ts';
import { refugeHashesOf, withoutRefuges, EMPTY_REGISTER, type RefugeRegister } from './refuges.ts';
import type { PersonRecord } from './identity-store.ts';

const referenceDate = new Date(Date.UTC(2026, 11, 1));
const register: RefugeRegister = { hashes: new Set([...refugeHashesOf({ address: '10 Harbour Lane, SE1 7PB' }), ...refugeHashesOf({ phone: '020 7946 0000' })]) };
const record = (id: string, fields: PersonRecord['fields']): PersonRecord => ({ recordId: id, source: 'cad', fields });

describe('refuges', () => {
  it('takes a refuge address and phone out of a record however they were typed, and keeps the rest', () => {
    const r = record('r1', { given_name: 'Ann', family_name: 'Example', phones: ['+44 20 7946 0000', '07700 900111'], addresses: ['Flat 3, 10 harbour ln, se17pb', '4 Other Street SE11 4AA'] });
    const out = withoutRefuges(r, featuresOf(r, { referenceDate }), register, referenceDate);
    expect(out.removed).toEqual({ phones: 1, addresses: 1 });
    expect(out.record.fields.phones).toEqual(['07700 900111']);
    expect(out.record.fields.addresses).toEqual(['4 Other Street SE11 4AA']);
    expect(out.features.ph).toEqual(['digits:447700900111']);
    expect(out.features.ad).toHaveLength(1);
  });

  it('leaves a record without one untouched, and an empty register costs nothing', () => {
    const r = record('r2', { given_name: 'Bea', phones: ['07700 900222'], addresses: ['12 Harbour Lane SE1 7PB'] });
    const f = featuresOf(r, { referenceDate });
    expect(withoutRefuges(r, f, register, referenceDate).record).toBe(r);
    expect(withoutRefuges(r, f, EMPTY_REGISTER, referenceDate).features).toBe(f);
  });

  it('never links two different people through the refuge they both gave', async () => {
    const store = createMemoryIdentityStore();
    const resolve = async (r: PersonRecord) => {
      const { record: kept, features } = withoutRefuges(r, featuresOf(r, { referenceDate }), register, referenceDate);
      return resolveRecord(kept, { store, model: defaultPersonModel, referenceDate, features });
    };
    // Two women at the same refuge, with its phone and address and nothing else in common.
    const first = await resolve(record('a', { given_name: 'Kerry', family_name: 'Smith', dob: '1990-02-01', phones: ['020 7946 0000'], addresses: ['10 Harbour Lane SE1 7PB'] }));
    const second = await resolve(record('b', { given_name: 'Kerry', family_name: 'Smyth', dob: '1988-07-12', phones: ['02079460000'], addresses: ['flat 2 10 harbour lane se17pb'] }));
    expect(second.decision.outcome).toBe('new');
    expect(second.entityId).not.toBe(first.entityId);
    // The same two records, with no register: the refuge's phone and address alone link them.
    const plain = createMemoryIdentityStore();
    const a = await resolveRecord(record('a', { given_name: 'Kerry', family_name: 'Smith', dob: '1990-02-01', phones: ['020 7946 0000'], addresses: ['10 Harbour Lane SE1 7PB'] }), { store: plain, model: defaultPersonModel, referenceDate });
    const b = await resolveRecord(record('b', { given_name: 'Kerry', family_name: 'Smyth', dob: '1988-07-12', phones: ['02079460000'], addresses: ['flat 2 10 harbour lane se17pb'] }), { store: plain, model: defaultPersonModel, referenceDate });
    expect(b.entityId).toBe(a.entityId);
  });
});
