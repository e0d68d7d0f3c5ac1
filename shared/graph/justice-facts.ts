// What the identity graph keeps of a justice event: what happened, when,
// where, the detail intelligence needs (orders, bail, DASH, MARAC) and which
// person record each person named became. No names, phones, addresses or
// system references: those live once, on the person records. Pure.
import type { PartyMatch } from './incident-facts.ts';
import { unwrapDetail, type JusticeEvent } from '../contracts/justice-event.ts';
import { relatedRecordId, subjectRecordId } from './justice-person-record.ts';

export type JusticePartyFacts = {
  /** `<eventId>:subject` or `<eventId>:related-<i>` (justice-person-record.ts). */
  recordId: string;
  /** SUBJECT: who the event is about (the victim for DASH and MARAC, else the perpetrator); RELATED: the others named. */
  role: 'SUBJECT' | 'RELATED';
  /** How the person was matched when the event was first recorded; absent when resolved before (a crash in between). */
  match?: PartyMatch;
};

export type BailConditionFacts = { kind: string; description: string; expiresAt: number | null };

/** What happened, with the detail that matters for intelligence. Times are ms since the epoch. */
export type JusticeWhat =
  | { what: 'ARREST'; offences: string[] }
  | { what: 'CHARGE_OUTCOME'; offences: string[]; outcome: string }
  | { what: 'CUSTODY_RELEASE'; releaseType: string; bailExpiresAt: number | null; bailConditions: BailConditionFacts[] }
  | { what: 'PROTECTIVE_ORDER'; orderId: string; orderType: string; action: string; startsAt: number | null; expiresAt: number | null; conditions: string[] }
  | { what: 'DASH'; level: string; yesCount: number; riskFactors: string[] }
  | { what: 'MARAC_REFERRAL'; reason: string; meetingAt: number | null }
  | { what: 'CLARES_LAW'; route: string; disclosed: boolean };

export type JusticeFacts = {
  kind: 'justice';
  eventId: string;
  occurredAt: number;
  recordedAt: number;
  boroughCode: string | null;
  incidentId: string | null;
  /** Subject first, then the related persons in order: the event's person records. */
  parties: JusticePartyFacts[];
} & JusticeWhat;

function whatOf(event: JusticeEvent): JusticeWhat {
  const branch = unwrapDetail(event.detail);
  // validateJusticeEvent dead-letters an unknown branch before facts are made.
  if (!branch) throw new TypeError(`justice event ${event.eventId}: detail is of no known kind`);
  switch (branch.type) {
    case 'Arrest':
      return { what: 'ARREST', offences: [...new Set(branch.value.offences)] };
    case 'ChargeOutcome':
      return { what: 'CHARGE_OUTCOME', offences: [...new Set(branch.value.offences)], outcome: branch.value.outcome };
    case 'CustodyRelease': {
      const r = branch.value;
      return {
        what: 'CUSTODY_RELEASE',
        releaseType: r.releaseType,
        bailExpiresAt: r.bailExpiresAt,
        bailConditions: r.bailConditions.map((c) => ({ kind: c.kind, description: c.description, expiresAt: c.expiresAt })),
      };
    }
    case 'ProtectiveOrder': {
      const o = branch.value;
      return { what: 'PROTECTIVE_ORDER', orderId: o.orderId, orderType: o.orderType, action: o.action, startsAt: o.startsAt, expiresAt: o.expiresAt, conditions: [...o.conditions] };
    }
    case 'DashCompleted':
      return { what: 'DASH', level: branch.value.level, yesCount: branch.value.yesCount, riskFactors: [...new Set(branch.value.riskFactors)] };
    case 'MaracReferral':
      return { what: 'MARAC_REFERRAL', reason: branch.value.reason, meetingAt: branch.value.meetingAt };
    case 'ClaresLawDisclosure':
      return { what: 'CLARES_LAW', route: branch.value.route, disclosed: branch.value.disclosed };
  }
}

/** `matches`: each person's match by record id, for those resolved now (not replays). */
export function justiceFacts(event: JusticeEvent, matches: ReadonlyMap<string, PartyMatch> = new Map()): JusticeFacts {
  const party = (recordId: string, role: JusticePartyFacts['role']): JusticePartyFacts => ({ recordId, role, ...(matches.has(recordId) ? { match: matches.get(recordId)! } : {}) });
  return {
    kind: 'justice',
    eventId: event.eventId,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    boroughCode: event.boroughCode,
    incidentId: event.incidentId,
    parties: [party(subjectRecordId(event.eventId), 'SUBJECT'), ...event.relatedPersons.map((_, i) => party(relatedRecordId(event.eventId, i), 'RELATED'))],
    ...whatOf(event),
  };
}
