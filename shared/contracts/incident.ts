// Validation of an IncidentReported after it decoded: what Avro cannot say.
// A failure is bad input (VALIDATION_FAILED), dead-lettered with a reason that
// names fields, never people. Pure.
import { isMetBorough } from '../geography/boroughs.ts';
import { boundedReasons, checkCount, checkLength, checkList, COUNT_LIMITS as N, STRING_LIMITS as S } from '../er/input-limits.ts';

export type IncidentParty = {
  partyId: string;
  roles: string[];
  name: { title: string | null; given: string | null; middle: string | null; family: string | null; full: string | null; aliases: string[] };
  dateOfBirth: string | null;
  ageYears: number | null;
  gender: string | null;
  phones: string[];
  emails: string[];
  addresses: string[];
  relationshipToVictim: string | null;
};

/** The decoded value of schemas/incident-reported.avsc (v1). */
export type IncidentReported = {
  incidentId: string;
  eventId: string;
  version: number;
  source: string;
  reportedAt: number;
  receivedAt: number;
  boroughCode: string;
  location: { addressLines: string[]; postcode: string | null; uprn: string | null; latitude: number | null; longitude: number | null };
  parties: IncidentParty[];
  domesticAbuse: boolean;
  abuseTypes: string[];
  weapons: { kind: string; description: string | null }[];
  childrenPresent: boolean | null;
  childrenCount: number | null;
  injuries: { partyId: string | null; severity: string; description: string | null }[];
  callGrade: string;
  riskLevel: string | null;
};

export type Validation = { ok: true } | { ok: false; reasons: string[] };

/** Clocks disagree a little; an incident received more than this far in the future is wrong. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
const MAX_PARTIES = N.parties;

/**
 * Whether a party carries anything a person can be resolved on. One that does not ("a male neighbour") is no
 * reason to refuse the call: its other parties are resolved and dispatch gets their intelligence
 * (identifiableParties); only a call with no such party at all is refused.
 */
export const hasDetail = (p: IncidentParty): boolean =>
  Boolean(p.name.given || p.name.family || p.name.full || p.phones.length || p.emails.length || p.dateOfBirth || p.addresses.length);

/** The incident with only the parties a person can be resolved on (the same object when that is every party). */
export function identifiableParties(incident: IncidentReported): { incident: IncidentReported; unidentified: number } {
  const parties = incident.parties.filter(hasDetail);
  return parties.length === incident.parties.length ? { incident, unidentified: 0 } : { incident: { ...incident, parties }, unidentified: incident.parties.length - parties.length };
}

export function validateIncident(incident: IncidentReported, { now }: { now: number }): Validation {
  const reasons = sizeReasons(incident);
  if (!incident.incidentId.trim()) reasons.push('incidentId is empty');
  if (!incident.eventId.trim()) reasons.push('eventId is empty');
  if (incident.version < 1) reasons.push(`version ${incident.version} is below 1`);
  if (!isMetBorough(incident.boroughCode)) reasons.push(`boroughCode "${incident.boroughCode.slice(0, 16)}" is not the ONS code of a Met borough (E09000002..E09000033)`);
  if (incident.receivedAt > now + FUTURE_TOLERANCE_MS) reasons.push('receivedAt is in the future');
  if (incident.reportedAt > incident.receivedAt + FUTURE_TOLERANCE_MS) reasons.push('reportedAt is after receivedAt');
  if (incident.parties.length === 0) reasons.push('the incident has no parties');
  if (incident.parties.length > MAX_PARTIES) reasons.push(`the incident has ${incident.parties.length} parties (more than ${MAX_PARTIES})`);
  const seen = new Set<string>();
  incident.parties.slice(0, MAX_PARTIES).forEach((party, i) => {
    if (!party.partyId.trim()) reasons.push(`party ${i + 1} has an empty partyId`);
    else if (seen.has(party.partyId)) reasons.push(`partyId ${party.partyId.slice(0, 16)} appears twice`);
    seen.add(party.partyId);
    if (party.roles.length === 0) reasons.push(`party ${i + 1} has no role`);
  });
  if (incident.parties.length > 0 && !incident.parties.some(hasDetail)) reasons.push('no party has a name, phone, email, date of birth or address to resolve');
  if (incident.domesticAbuse && !incident.parties.some((p) => p.roles.includes('VICTIM'))) {
    reasons.push('a domestic-abuse incident names no victim');
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons: boundedReasons(reasons) };
}

/** Every string and list against its cap (shared/er/input-limits.ts), before anything reads them. */
function sizeReasons(incident: IncidentReported): string[] {
  const reasons: string[] = [];
  checkLength(reasons, 'incidentId', incident.incidentId, S.id);
  checkLength(reasons, 'eventId', incident.eventId, S.id);
  checkLength(reasons, 'boroughCode', incident.boroughCode, S.short);
  const { location } = incident;
  checkList(reasons, 'location.addressLines', location.addressLines, N.addressLines, S.addressLine);
  checkLength(reasons, 'location.postcode', location.postcode, S.short);
  checkLength(reasons, 'location.uprn', location.uprn, S.short);
  incident.parties.slice(0, MAX_PARTIES).forEach((party, i) => {
    const at = `parties[${i}]`;
    checkLength(reasons, `${at}.partyId`, party.partyId, S.id);
    checkCount(reasons, `${at}.roles`, party.roles, N.roles);
    for (const part of ['title', 'given', 'middle', 'family'] as const) checkLength(reasons, `${at}.name.${part}`, party.name[part], S.namePart);
    checkLength(reasons, `${at}.name.full`, party.name.full, S.fullName);
    checkList(reasons, `${at}.name.aliases`, party.name.aliases, N.aliases, S.fullName);
    checkLength(reasons, `${at}.dateOfBirth`, party.dateOfBirth, S.short);
    checkLength(reasons, `${at}.gender`, party.gender, S.short);
    checkList(reasons, `${at}.phones`, party.phones, N.phones, S.phone);
    checkList(reasons, `${at}.emails`, party.emails, N.emails, S.email);
    checkList(reasons, `${at}.addresses`, party.addresses, N.addresses, S.address);
    checkLength(reasons, `${at}.relationshipToVictim`, party.relationshipToVictim, S.short);
  });
  checkCount(reasons, 'abuseTypes', incident.abuseTypes, N.abuseTypes);
  checkCount(reasons, 'weapons', incident.weapons, N.weapons);
  incident.weapons.slice(0, N.weapons).forEach((w, i) => checkLength(reasons, `weapons[${i}].description`, w.description, S.freeText));
  checkCount(reasons, 'injuries', incident.injuries, N.injuries);
  incident.injuries.slice(0, N.injuries).forEach((injury, i) => {
    checkLength(reasons, `injuries[${i}].partyId`, injury.partyId, S.id);
    checkLength(reasons, `injuries[${i}].description`, injury.description, S.freeText);
  });
  return reasons;
}
