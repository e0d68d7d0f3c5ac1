// Refuges: an address (and its phones) where victims are sheltered. A record
// that carries one must never link two people through it, and must never
// show it: a perpetrator matched to the refuge's phone or address would learn
// where the victim is. So a refuge's phone and address are taken out of a
// record before anything reads it (its features, its blocking keys, what the
// graph stores), and the removal is reported so it can be audited.
//
// The register holds no address in clear: only the SHA-256 of each refuge's
// canonical keys ("phone:+447700900123", "address:SE114AA|10"), so a copy of
// it does not list where the refuges are. Pure.
import { createHash } from 'node:crypto';
import type { PersonRecord } from './identity-store.ts';
import { featuresOf, type AddressFeature, type ErFeatures } from './features.ts';

export type RefugeRegister = {
  /** Hashed keys (refugeHash) of every refuge phone and address. */
  readonly hashes: ReadonlySet<string>;
};

export const EMPTY_REGISTER: RefugeRegister = { hashes: new Set() };

export function refugeHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A building is a refuge whatever flat is typed: its postcode (or UPRN) and house number or name. */
export function addressKeys(a: AddressFeature): string[] {
  const keys: string[] = [];
  if (a.u) keys.push(`address:uprn:${a.u}`);
  const door = a.hn ?? a.hnm;
  if (a.pc && door) keys.push(`address:${a.pc}|${door}`);
  return keys;
}

export const phoneKey = (e164: string) => `phone:${e164}`;

/** The hashed keys of one phone or address as typed: what `dauntless refuge add` files. */
export function refugeHashesOf(what: { phone?: string; address?: string }, referenceDate = new Date()): string[] {
  const f = featuresOf({ recordId: 'refuge', source: 'refuge', fields: { ...(what.phone ? { phones: [what.phone] } : {}), ...(what.address ? { addresses: [what.address] } : {}) } }, { referenceDate });
  return [...(f.ph ?? []).map(phoneKey), ...(f.ad ?? []).flatMap(addressKeys)].map(refugeHash);
}

const isRefugePhone = (register: RefugeRegister, key: string) => register.hashes.has(refugeHash(phoneKey(key)));
const isRefugeAddress = (register: RefugeRegister, a: AddressFeature) => addressKeys(a).some((k) => register.hashes.has(refugeHash(k)));

export type WithoutRefuges = { record: PersonRecord; features: ErFeatures; removed: { phones: number; addresses: number } };

/**
 * The record and its features with every refuge phone and address taken out; the same objects when it has none (the
 * common case costs one hash per phone and address key).
 */
export function withoutRefuges(record: PersonRecord, features: ErFeatures, register: RefugeRegister, referenceDate: Date): WithoutRefuges {
  const none = { record, features, removed: { phones: 0, addresses: 0 } };
  if (register.hashes.size === 0) return none;
  const refugePhones = (features.ph ?? []).filter((p) => isRefugePhone(register, p));
  const refugeAddresses = (features.ad ?? []).filter((a) => isRefugeAddress(register, a));
  if (refugePhones.length === 0 && refugeAddresses.length === 0) return none;
  // Which typed values they came from: each read on its own, as the record's features read it.
  const single = (fields: PersonRecord['fields']) => featuresOf({ recordId: record.recordId, source: record.source, fields }, { referenceDate });
  const phones = (record.fields.phones ?? []).filter((raw) => !(single({ phones: [raw] }).ph ?? []).some((p) => isRefugePhone(register, p)));
  const addresses = (record.fields.addresses ?? []).filter((raw) => !(single({ addresses: [raw] }).ad ?? []).some((a) => isRefugeAddress(register, a)));
  const fields = { ...record.fields, phones, addresses };
  // Address parts typed apart (house number, street, postcode) are one address: all go when it is a refuge.
  const partsAddress = single({ ...(fields.house_number ? { house_number: fields.house_number } : {}), ...(fields.street ? { street: fields.street } : {}), ...(fields.town ? { town: fields.town } : {}), ...(fields.postcode ? { postcode: fields.postcode } : {}) }).ad ?? [];
  if (partsAddress.some((a) => isRefugeAddress(register, a))) {
    delete fields.house_number;
    delete fields.street;
    delete fields.town;
    delete fields.postcode;
  }
  const kept = { ...record, fields };
  const keptFeatures = featuresOf(kept, { referenceDate });
  // Whatever the raw fields still say, the features keep no refuge key.
  if (keptFeatures.ph) keptFeatures.ph = keptFeatures.ph.filter((p) => !isRefugePhone(register, p));
  if (keptFeatures.ad) keptFeatures.ad = keptFeatures.ad.filter((a) => !isRefugeAddress(register, a));
  if (keptFeatures.ph?.length === 0) delete keptFeatures.ph;
  if (keptFeatures.ad?.length === 0) delete keptFeatures.ad;
  return { record: kept, features: keptFeatures, removed: { phones: refugePhones.length, addresses: refugeAddresses.length } };
}
