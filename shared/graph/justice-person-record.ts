// A person named in a justice event, as a person record for the resolver.
// Record ids: `<eventId>:subject` and `<eventId>:related-<i>` (i from 0, the
// index in relatedPersons), of the same form as a call's (record-id.ts), so
// no call's record can take one (event ids are one space across both topics): a replay of the event is the same records, so
// nothing changes. Pure.
//
// The source's own reference (systemRef) is used only when it is a person
// identifier: a PNC id or a CRO number, compared exactly and blocked on
// (shared/er/features.ts IDENTIFIER_ATTRS). A custody record number names a
// detention, not a person: the same person arrested twice has two, so
// comparing them would count against a true match. It is left out.
import type { PersonRecord } from '../er/identity-store.ts';
import type { JusticeEvent, PersonAsRecorded } from '../contracts/justice-event.ts';
import { recordIdOf } from './record-id.ts';

export const subjectRecordId = (eventId: string): string => recordIdOf(eventId, 'subject');
export const relatedRecordId = (eventId: string, index: number): string => recordIdOf(eventId, `related-${index}`);

/** PNC id: two- or four-digit year, slash, serial, check letter ("12/345678A", "2008/0123456X"). */
const PNC_ID = /^(\d{2}|\d{4})\/\d{1,7}[A-Z]$/;
/** CRO number: serial, slash, two-digit year, check letter ("123456/91H"). */
const CRO_NUMBER = /^\d{1,6}\/\d{2}[A-Z]$/;

/** The identifier attribute a system reference is, if it is one. */
export function referenceAttrs(systemRef: string | null): Record<string, string> | undefined {
  const ref = systemRef?.trim().toUpperCase().replace(/\s+/g, '');
  if (!ref) return undefined;
  if (PNC_ID.test(ref)) return { pnc_id: ref };
  if (CRO_NUMBER.test(ref)) return { cro_number: ref };
  return undefined;
}

const present = (value: string | null | undefined): value is string => Boolean(value && value.trim());

export function justicePersonRecord(event: JusticeEvent, person: PersonAsRecorded, recordId: string): PersonRecord {
  const fields: PersonRecord['fields'] = {};
  if (present(person.given)) fields.given_name = person.given;
  if (present(person.family)) fields.family_name = person.family;
  if (present(person.full)) fields.full_name = person.full;
  if (present(person.dateOfBirth)) fields.dob = person.dateOfBirth;
  const phones = person.phones.filter(present);
  if (phones.length) fields.phones = phones;
  const addresses = person.addresses.filter(present);
  if (addresses.length) fields.addresses = addresses;
  const attrs = referenceAttrs(person.systemRef);
  if (attrs) fields.attrs = attrs;
  return { recordId, source: `justice:${event.eventId}`, fields };
}

/** Every person of the event as a record, subject first, then the related persons in order. */
export function justicePersonRecords(event: JusticeEvent): { role: 'SUBJECT' | 'RELATED'; record: PersonRecord }[] {
  return [
    { role: 'SUBJECT', record: justicePersonRecord(event, event.subject, subjectRecordId(event.eventId)) },
    ...event.relatedPersons.map((p, i) => ({ role: 'RELATED' as const, record: justicePersonRecord(event, p, relatedRecordId(event.eventId, i)) })),
  ];
}
