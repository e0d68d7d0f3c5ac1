// Validation of an IncidentReported after it decoded: what Avro cannot say.
// A failure is bad input (VALIDATION_FAILED), dead-lettered with a reason that
// names fields, never people. Pure.
import { isMetBorough } from '../geography/boroughs.ts';

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
const MAX_PARTIES = 50;

const hasDetail = (p: IncidentParty): boolean =>
  Boolean(p.name.given || p.name.family || p.name.full || p.phones.length || p.emails.length || p.dateOfBirth || p.addresses.length);

export function validateIncident(incident: IncidentReported, { now }: { now: number }): Validation {
  const reasons: string[] = [];
  if (!incident.incidentId.trim()) reasons.push('incidentId is empty');
  if (!incident.eventId.trim()) reasons.push('eventId is empty');
  if (incident.version < 1) reasons.push(`version ${incident.version} is below 1`);
  if (!isMetBorough(incident.boroughCode)) reasons.push(`boroughCode "${incident.boroughCode.slice(0, 16)}" is not the ONS code of a Met borough (E09000002..E09000033)`);
  if (incident.receivedAt > now + FUTURE_TOLERANCE_MS) reasons.push('receivedAt is in the future');
  if (incident.reportedAt > incident.receivedAt + FUTURE_TOLERANCE_MS) reasons.push('reportedAt is after receivedAt');
  if (incident.parties.length === 0) reasons.push('the incident has no parties');
  if (incident.parties.length > MAX_PARTIES) reasons.push(`the incident has ${incident.parties.length} parties (more than ${MAX_PARTIES})`);
  const seen = new Set<string>();
  incident.parties.forEach((party, i) => {
    if (!party.partyId.trim()) reasons.push(`party ${i + 1} has an empty partyId`);
    else if (seen.has(party.partyId)) reasons.push(`partyId ${party.partyId.slice(0, 16)} appears twice`);
    seen.add(party.partyId);
    if (party.roles.length === 0) reasons.push(`party ${i + 1} has no role`);
    if (!hasDetail(party)) reasons.push(`party ${i + 1} has no name, phone, email, date of birth or address to resolve`);
  });
  if (incident.domesticAbuse && !incident.parties.some((p) => p.roles.includes('VICTIM'))) {
    reasons.push('a domestic-abuse incident names no victim');
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
