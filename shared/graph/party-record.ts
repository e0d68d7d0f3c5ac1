// A party of an incident, as a person record for the resolver. The record id
// is `<eventId>:<partyId>`, the party id escaped (record-id.ts) so that no
// two (event, party) pairs share one: a replay of the same event is the same record
// (nothing changes), and a later version of the incident adds what it
// learned as a new record of the same person. Pure.
import type { PersonRecord } from '../er/identity-store.ts';
import type { IncidentParty, IncidentReported } from '../contracts/incident.ts';
import { recordIdOf } from './record-id.ts';

export function partyRecordId(eventId: string, partyId: string): string {
  return recordIdOf(eventId, partyId);
}

const present = (value: string | null | undefined): string | undefined => (value && value.trim() ? value : undefined);

export function partyToPersonRecord(incident: IncidentReported, party: IncidentParty): PersonRecord {
  const { name } = party;
  const given = [name.given, name.middle].filter((part) => present(part)).join(' ');
  const fields: PersonRecord['fields'] = {};
  if (given) fields.given_name = given;
  if (present(name.family)) fields.family_name = name.family!;
  if (present(name.full)) fields.full_name = name.full!;
  if (name.aliases.length) fields.aliases = [...name.aliases];
  if (present(party.dateOfBirth)) fields.dob = party.dateOfBirth!;
  if (party.ageYears !== null) fields.age = party.ageYears;
  if (party.phones.length) fields.phones = [...party.phones];
  if (party.emails.length) fields.emails = [...party.emails];
  if (party.addresses.length) fields.addresses = [...party.addresses];
  if (present(party.gender)) fields.gender = party.gender!;
  return { recordId: partyRecordId(incident.eventId, party.partyId), source: `cad:${incident.incidentId}`, fields };
}
