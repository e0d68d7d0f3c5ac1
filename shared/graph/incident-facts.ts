// What the identity graph keeps of an incident: the facts intelligence and
// ranking need (when, where, what kind of abuse, risk, weapons, children) and
// which person record each party became. No names, phones or addresses: those
// live once, on the person records, under the resolver's control. Pure.
import { parsePostcode } from '../canon/postcode.ts';
import type { Decision } from '../er/identity-store.ts';
import { partyRecordId } from './party-record.ts';
import type { IncidentReported } from '../contracts/incident.ts';

/** How a party was matched when the incident was first recorded: kept, so a replay reports the same. */
export type PartyMatch = {
  outcome: 'NEW_PERSON' | 'MATCHED' | 'POSSIBLE_MATCH';
  probability: number | null;
  evidence: { field: string; level: string; weight: number }[];
};

export type IncidentPartyFacts = {
  partyId: string;
  /** The person record this party was resolved as (`<eventId>:<partyId>`). */
  recordId: string;
  roles: string[];
  relationshipToVictim: string | null;
  /**
   * Set for every party, replays included (the store reports a replayed record's decision). Absent in facts
   * written by a resolver that did not, for a party resolved by an attempt that crashed before recording.
   */
  match?: PartyMatch;
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

/**
 * Decimal places kept of a match probability, and of an evidence weight (bits), in what the graph keeps and
 * dispatch is told. Term-frequency weights divide by the live count of people, which counts whatever other calls
 * were written at that instant: two runs of the same calls give weights a few ten-thousandths of a bit apart and
 * probabilities near 1 apart in the tenth decimal. Rounded, they read the same; a dispatcher is shown three places.
 */
export const PROBABILITY_DECIMALS = 4;
const WEIGHT_DECIMALS = 2;

const rounded = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/**
 * The decision that placed a party's record, as the match dispatch is told
 * about. A merge is told by its score against the survivor (its first
 * entity, the one the record joined): read from the decision alone, so a
 * replay, whose entity may have merged again since, tells the same.
 */
export function partyMatch(decision: Decision): PartyMatch {
  if (decision.outcome === 'new') return { outcome: 'NEW_PERSON', probability: null, evidence: [] };
  const survivor = decision.outcome === 'merge' ? decision.entityIds[0] : undefined;
  const score = decision.outcome === 'link' ? decision.score : ((survivor === undefined ? undefined : decision.scores[survivor]) ?? Object.values(decision.scores)[0]);
  return {
    // Linked from the possible-match band only because other evidence corroborated it: say so.
    outcome: score?.corroboratedBy ? 'POSSIBLE_MATCH' : 'MATCHED',
    probability: score ? rounded(score.probability, PROBABILITY_DECIMALS) : null,
    evidence: (score?.evidence ?? []).map((e) => ({ field: e.field, level: e.level, weight: rounded(e.weight, WEIGHT_DECIMALS) })),
  };
}

/** `matches`: each party's match by party id (a replayed party's as decided the first time). */
export function incidentFacts(incident: IncidentReported, matches: ReadonlyMap<string, PartyMatch> = new Map()): IncidentFacts {
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
      ...(matches.has(p.partyId) ? { match: matches.get(p.partyId)! } : {}),
    })),
  };
}
