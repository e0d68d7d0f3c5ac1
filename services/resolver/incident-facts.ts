// What the identity graph keeps of an incident: the facts intelligence and
// ranking need (when, where, what kind of abuse, risk, weapons, children) and
// which person record each party became. No names, phones or addresses: those
// live once, on the person records, under the resolver's control. Pure.
import { parsePostcode } from '../../shared/canon/postcode.ts';
import { partyRecordId } from './party-record.ts';
import type { IncidentReported } from './validate-incident.ts';

export type IncidentPartyFacts = {
  partyId: string;
  /** The person record this party was resolved as (`<eventId>:<partyId>`). */
  recordId: string;
  roles: string[];
  relationshipToVictim: string | null;
};

export type IncidentFacts = {
  kind: 'incident';
  incidentId: string;
  eventId: string;
  version: number;
  receivedAt: number;
  boroughCode: string;
  /** Canonical postcode of the incident's location, when typed: "children at the address" compares it. */
  postcode: string | null;
  domesticAbuse: boolean;
  abuseTypes: string[];
  riskLevel: string | null;
  callGrade: string;
  weapons: string[];
  childrenPresent: boolean;
  injuries: string[];
  parties: IncidentPartyFacts[];
};

export function incidentFacts(incident: IncidentReported): IncidentFacts {
  const postcode = incident.location.postcode ? parsePostcode(incident.location.postcode)?.postcode : undefined;
  return {
    kind: 'incident',
    incidentId: incident.incidentId,
    eventId: incident.eventId,
    version: incident.version,
    receivedAt: incident.receivedAt,
    boroughCode: incident.boroughCode,
    postcode: postcode ?? null,
    domesticAbuse: incident.domesticAbuse,
    abuseTypes: [...new Set(incident.abuseTypes)],
    riskLevel: incident.riskLevel,
    callGrade: incident.callGrade,
    weapons: [...new Set(incident.weapons.map((w) => w.kind))],
    // A CHILD party is a child present, whatever the flag says.
    childrenPresent: incident.childrenPresent === true || (incident.childrenCount ?? 0) > 0 || incident.parties.some((p) => p.roles.includes('CHILD')),
    injuries: [...new Set(incident.injuries.map((i) => i.severity))],
    parties: incident.parties.map((p) => ({
      partyId: p.partyId,
      recordId: partyRecordId(incident.eventId, p.partyId),
      roles: [...p.roles],
      relationshipToVictim: p.relationshipToVictim,
    })),
  };
}
