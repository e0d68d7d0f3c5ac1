// A JusticeEvent (schemas/justice-event.avsc, topic justice.events.v1) as the
// codec decodes it, and its validation: what Avro cannot say. A failure is
// bad input (VALIDATION_FAILED), dead-lettered with reasons that name fields,
// never people. Pure.
//
// How `detail` decodes (checked with a registry round trip,
// test/e2e/justice-events.test.ts): the union holds several records,
// so avsc (through @kafkajs/confluent-schema-registry, default options)
// wraps it: the value is an object with one key, the branch's full name,
// `{ "uk.police.dauntless.justice.ProtectiveOrder": { orderId, ... } }`, and
// it must be encoded the same way (an unwrapped record, or a short name, is
// refused). The ["null", X] unions are not wrapped: X | null. No logical
// types are registered, so timestamp-millis fields are numbers (ms since the
// epoch, UTC); enums are their symbol strings.
import { isMetBorough } from '../geography/boroughs.ts';
import { boundedReasons, checkCount, checkLength, checkList, COUNT_LIMITS as N, STRING_LIMITS as S } from '../er/input-limits.ts';

export const JUSTICE_NAMESPACE = 'uk.police.dauntless.justice';

export type PersonAsRecorded = {
  /** The source system's own person reference (custody record, PNC id). */
  systemRef: string | null;
  given: string | null;
  family: string | null;
  full: string | null;
  dateOfBirth: string | null;
  phones: string[];
  addresses: string[];
};

export type Arrest = { offences: string[]; custodyRecordId: string | null };
export type ChargeOutcome = { offences: string[]; outcome: string };
export type BailCondition = { kind: string; description: string; expiresAt: number | null };
export type CustodyRelease = { releaseType: string; bailExpiresAt: number | null; bailConditions: BailCondition[] };
export type ProtectiveOrder = {
  orderId: string;
  /** DVPN, DVPO, DAPN, DAPO, SPO, NON_MOLESTATION, RESTRAINING, OTHER. */
  orderType: string;
  /** ISSUED, VARIED, EXPIRED, BREACHED, DISCHARGED. */
  action: string;
  startsAt: number | null;
  expiresAt: number | null;
  conditions: string[];
};
export type DashCompleted = {
  answers: { question: number; answer: string }[];
  yesCount: number;
  /** STANDARD, MEDIUM, HIGH. */
  level: string;
  riskFactors: string[];
};
export type MaracReferral = { reason: string; meetingAt: number | null };
export type ClaresLawDisclosure = { route: string; disclosed: boolean };

/** Each branch of the `detail` union by its short name. */
export type JusticeDetails = {
  Arrest: Arrest;
  ChargeOutcome: ChargeOutcome;
  CustodyRelease: CustodyRelease;
  ProtectiveOrder: ProtectiveOrder;
  DashCompleted: DashCompleted;
  MaracReferral: MaracReferral;
  ClaresLawDisclosure: ClaresLawDisclosure;
};
export type JusticeDetailName = keyof JusticeDetails;
export const JUSTICE_DETAIL_NAMES: readonly JusticeDetailName[] = Object.freeze([
  'Arrest', 'ChargeOutcome', 'CustodyRelease', 'ProtectiveOrder', 'DashCompleted', 'MaracReferral', 'ClaresLawDisclosure',
]);

/** `detail` as the codec decodes it, and as it must be encoded: one key, the branch's full name. */
export type JusticeDetail = { [K in JusticeDetailName]: { [P in `${typeof JUSTICE_NAMESPACE}.${K}`]: JusticeDetails[K] } }[JusticeDetailName];

/** `detail` unwrapped, narrowed by `type`. */
export type JusticeDetailBranch = { [K in JusticeDetailName]: { type: K; value: JusticeDetails[K] } }[JusticeDetailName];

/** The decoded value of schemas/justice-event.avsc (v1). */
export type JusticeEvent = {
  eventId: string;
  occurredAt: number;
  recordedAt: number;
  boroughCode: string | null;
  incidentId: string | null;
  /** For DASH and MARAC the victim; otherwise the perpetrator. */
  subject: PersonAsRecorded;
  /** Victims protected by an order or bail condition; the perpetrator in a DASH or MARAC event. */
  relatedPersons: PersonAsRecorded[];
  detail: JusticeDetail;
};

/** Wraps a detail the way the codec needs it: `wrapDetail('MaracReferral', {...})`. */
export function wrapDetail<K extends JusticeDetailName>(type: K, value: JusticeDetails[K]): JusticeDetail {
  return { [`${JUSTICE_NAMESPACE}.${type}`]: value } as unknown as JusticeDetail;
}

/** The branch of `detail`, or undefined when it is none this resolver knows (a newer schema's branch). */
export function unwrapDetail(detail: JusticeDetail | null | undefined): JusticeDetailBranch | undefined {
  if (!detail || typeof detail !== 'object') return undefined;
  const keys = Object.keys(detail);
  if (keys.length !== 1) return undefined;
  const type = keys[0]!.startsWith(`${JUSTICE_NAMESPACE}.`) ? keys[0]!.slice(JUSTICE_NAMESPACE.length + 1) : undefined;
  if (!type || !(JUSTICE_DETAIL_NAMES as readonly string[]).includes(type)) return undefined;
  return { type, value: (detail as Record<string, unknown>)[keys[0]!] } as JusticeDetailBranch;
}

export type Validation = { ok: true } | { ok: false; reasons: string[] };

/** Clocks disagree a little; an event more than this far in the future is wrong. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
const MAX_RELATED = N.relatedPersons;
/** Police DASH: 27 questions; 14+ yes is high, 10–13 medium (docs/DOMAIN.md "DASH and DARA"). */
const DASH_QUESTIONS = 27;
const DASH_LEVELS = ['STANDARD', 'MEDIUM', 'HIGH'];
const dashLevelOf = (yes: number) => (yes >= 14 ? 'HIGH' : yes >= 10 ? 'MEDIUM' : 'STANDARD');

const present = (value: string | null | undefined) => Boolean(value && value.trim());
const hasDetail = (p: PersonAsRecorded): boolean =>
  present(p.systemRef) || present(p.given) || present(p.family) || present(p.full) || present(p.dateOfBirth) || p.phones.some(present) || p.addresses.some(present);

export function validateJusticeEvent(event: JusticeEvent, { now }: { now: number }): Validation {
  const reasons = sizeReasons(event);
  if (!event.eventId.trim()) reasons.push('eventId is empty');
  if (event.occurredAt > now + FUTURE_TOLERANCE_MS) reasons.push('occurredAt is in the future');
  if (event.recordedAt > now + FUTURE_TOLERANCE_MS) reasons.push('recordedAt is in the future');
  if (event.occurredAt > event.recordedAt + FUTURE_TOLERANCE_MS) reasons.push('occurredAt is after recordedAt');
  if (event.boroughCode !== null && !isMetBorough(event.boroughCode)) {
    reasons.push(`boroughCode "${event.boroughCode.slice(0, 16)}" is not the ONS code of a Met borough (E09000002..E09000033); send null when the event has no borough`);
  }
  if (event.incidentId !== null && !event.incidentId.trim()) reasons.push('incidentId is empty (send null when there is none)');
  if (!hasDetail(event.subject)) reasons.push('subject has no reference, name, date of birth, phone or address to resolve');
  if (event.relatedPersons.length > MAX_RELATED) reasons.push(`relatedPersons has ${event.relatedPersons.length} persons (more than ${MAX_RELATED})`);
  event.relatedPersons.slice(0, MAX_RELATED).forEach((p, i) => {
    if (!hasDetail(p)) reasons.push(`related person ${i + 1} has no reference, name, date of birth, phone or address to resolve`);
  });
  const branch = unwrapDetail(event.detail);
  if (!branch) {
    const keys = event.detail && typeof event.detail === 'object' ? Object.keys(event.detail).join(', ').slice(0, 80) : String(event.detail);
    reasons.push(`detail (${keys}) is of no kind this resolver knows (${JUSTICE_DETAIL_NAMES.join(', ')})`);
  } else {
    reasons.push(...detailReasons(branch, event));
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons: boundedReasons(reasons) };
}

/** Every string and list against its cap (shared/er/input-limits.ts), before anything reads them. */
function sizeReasons(event: JusticeEvent): string[] {
  const reasons: string[] = [];
  checkLength(reasons, 'eventId', event.eventId, S.id);
  checkLength(reasons, 'boroughCode', event.boroughCode, S.short);
  checkLength(reasons, 'incidentId', event.incidentId, S.id);
  const person = (at: string, p: PersonAsRecorded) => {
    checkLength(reasons, `${at}.systemRef`, p.systemRef, S.id);
    for (const part of ['given', 'family'] as const) checkLength(reasons, `${at}.${part}`, p[part], S.namePart);
    checkLength(reasons, `${at}.full`, p.full, S.fullName);
    checkLength(reasons, `${at}.dateOfBirth`, p.dateOfBirth, S.short);
    checkList(reasons, `${at}.phones`, p.phones, N.phones, S.phone);
    checkList(reasons, `${at}.addresses`, p.addresses, N.addresses, S.address);
  };
  person('subject', event.subject);
  event.relatedPersons.slice(0, MAX_RELATED).forEach((p, i) => person(`relatedPersons[${i}]`, p));
  const branch = unwrapDetail(event.detail);
  const at = `detail.${branch?.type ?? ''}`;
  switch (branch?.type) {
    case 'Arrest':
      checkList(reasons, `${at}.offences`, branch.value.offences, N.offences, S.freeText);
      checkLength(reasons, `${at}.custodyRecordId`, branch.value.custodyRecordId, S.id);
      break;
    case 'ChargeOutcome':
      checkList(reasons, `${at}.offences`, branch.value.offences, N.offences, S.freeText);
      break;
    case 'CustodyRelease':
      checkCount(reasons, `${at}.bailConditions`, branch.value.bailConditions, N.conditions);
      branch.value.bailConditions.slice(0, N.conditions).forEach((c, i) => checkLength(reasons, `${at}.bailConditions[${i}].description`, c.description, S.freeText));
      break;
    case 'ProtectiveOrder':
      checkLength(reasons, `${at}.orderId`, branch.value.orderId, S.id);
      checkList(reasons, `${at}.conditions`, branch.value.conditions, N.conditions, S.freeText);
      break;
    case 'DashCompleted':
      checkCount(reasons, `${at}.answers`, branch.value.answers, N.dashAnswers);
      checkList(reasons, `${at}.riskFactors`, branch.value.riskFactors, N.riskFactors, S.freeText);
      break;
    case 'MaracReferral':
    case 'ClaresLawDisclosure':
    case undefined:
      break;
  }
  return reasons;
}

function detailReasons(branch: JusticeDetailBranch, event: JusticeEvent): string[] {
  const reasons: string[] = [];
  switch (branch.type) {
    case 'ProtectiveOrder': {
      const o = branch.value;
      if (!o.orderId.trim()) reasons.push('order orderId is empty');
      if (o.startsAt !== null && o.expiresAt !== null && o.expiresAt < o.startsAt) reasons.push('order expiresAt is before startsAt');
      break;
    }
    case 'CustodyRelease': {
      const r = branch.value;
      if (r.bailExpiresAt !== null && r.bailExpiresAt < event.occurredAt) reasons.push('bailExpiresAt is before the release (occurredAt)');
      r.bailConditions.forEach((c, i) => {
        if (!c.description.trim()) reasons.push(`bail condition ${i + 1} has an empty description`);
        if (c.expiresAt !== null && c.expiresAt < event.occurredAt) reasons.push(`bail condition ${i + 1} expiresAt is before the release (occurredAt)`);
      });
      break;
    }
    case 'DashCompleted': {
      const d = branch.value;
      if (d.yesCount < 0 || d.yesCount > DASH_QUESTIONS) reasons.push(`DASH yesCount ${d.yesCount} is not from 0 to ${DASH_QUESTIONS}`);
      const questions = new Set<number>();
      for (const a of d.answers) {
        if (a.question < 1 || a.question > DASH_QUESTIONS) reasons.push(`DASH question ${a.question} is not from 1 to ${DASH_QUESTIONS}`);
        else if (questions.has(a.question)) reasons.push(`DASH question ${a.question} is answered twice`);
        questions.add(a.question);
      }
      const yes = d.answers.filter((a) => a.answer === 'YES').length;
      if (yes > d.yesCount) reasons.push(`DASH yesCount ${d.yesCount} is below the ${yes} YES answers given`);
      // Risk factors and professional judgement raise the level, never lower it below what the count gives.
      const floor = dashLevelOf(d.yesCount);
      if (DASH_LEVELS.indexOf(d.level) < DASH_LEVELS.indexOf(floor)) reasons.push(`DASH level ${d.level} is below ${floor}, the level ${d.yesCount} YES answers give`);
      break;
    }
    case 'MaracReferral':
      if (branch.value.meetingAt !== null && branch.value.meetingAt < event.occurredAt) reasons.push('MARAC meetingAt is before the referral (occurredAt)');
      break;
    case 'Arrest':
    case 'ChargeOutcome':
    case 'ClaresLawDisclosure':
      break;
  }
  return reasons;
}
