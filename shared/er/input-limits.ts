// The caps on what one message may carry into the resolver: every string and
// every list of a call (schemas/incident-reported.avsc) and of a justice
// event (schemas/justice-event.avsc). Avro bounds neither, and the work of
// canonicalising, blocking and scoring a person grows with both, so one
// schema-valid message without caps could hold a partition (and the event
// loop every partition shares) for minutes. Each cap is generous for real
// data: a value over it is a fault or an attack, never a person, and the
// message is refused as bad input (VALIDATION_FAILED) with a reason that
// names the field and its size, never its value. Pure.
// The table is documented in docs/ARCHITECTURE.md ("Bounded work per message").

/** Characters (UTF-16 code units, as JavaScript counts them). */
export const STRING_LIMITS = Object.freeze({
  /** incidentId, eventId, partyId, systemRef, orderId, custodyRecordId, an injury's partyId: CAD, custody and PNC references are under 30. */
  id: 128,
  /** A name part (title, given, middle, family): the longest registered UK names are under 100. */
  namePart: 200,
  /** A whole name in one field, or an alias. */
  fullName: 300,
  /** A phone number as typed, with any spacing, extension or note ("07700 900123 ext 12 (mum's)"). */
  phone: 64,
  /** An e-mail as typed, with a display name ("Maria Sentosa <m@x.com>"): RFC 5321 allows 254 for the address. */
  email: 320,
  /** An address as typed, in one line, postcode included. */
  address: 500,
  /** One line of the incident's location. */
  addressLine: 200,
  /** Postcode, UPRN (12 digits), borough code, date of birth, gender, relationship: short values as typed. */
  short: 64,
  /** Free text: a weapon's or injury's description, a bail or order condition, an offence. */
  freeText: 1_000,
});

/** Items per list. */
export const COUNT_LIMITS = Object.freeze({
  /** People in one incident. */
  parties: 50,
  /** Roles of one party (6 kinds). */
  roles: 6,
  /** Aliases of one person. */
  aliases: 20,
  /** Phones, e-mails and addresses of one person, each. */
  phones: 20,
  emails: 20,
  addresses: 20,
  /** Lines of the incident's location. */
  addressLines: 10,
  /** Abuse types of one incident (16 kinds). */
  abuseTypes: 16,
  /** Weapons and injuries mentioned in one incident, each. */
  weapons: 20,
  injuries: 50,
  /** Persons related to a justice event (victims protected by an order, the perpetrator of a DASH). */
  relatedPersons: 20,
  /** Offences of an arrest or charge, conditions of an order or bail, DASH risk factors, each. */
  offences: 50,
  conditions: 50,
  /** DASH answers: 27 questions. */
  dashAnswers: 27,
  riskFactors: 50,
});

/** At most this many reasons are given, then how many more: a reason list as long as the message would not fit a dead letter. */
export const MAX_REASONS = 20;

/** Adds a reason when `value` is longer than `max` characters. `field` names where it is, e.g. "parties[2].emails[0]". */
export function checkLength(reasons: string[], field: string, value: string | null | undefined, max: number): void {
  if (value && value.length > max) reasons.push(`${field} is ${value.length} characters long (at most ${max})`);
}

/** Adds a reason when `list` has more than `max` items, and checks each item's length (up to `max` of them: the rest are refused already). */
export function checkList(reasons: string[], field: string, list: readonly string[], maxItems: number, maxLength: number): void {
  if (list.length > maxItems) reasons.push(`${field} has ${list.length} items (at most ${maxItems})`);
  for (let i = 0; i < Math.min(list.length, maxItems); i++) checkLength(reasons, `${field}[${i}]`, list[i], maxLength);
}

/** Adds a reason when `list` has more than `max` items. */
export function checkCount(reasons: string[], field: string, list: readonly unknown[], max: number): void {
  if (list.length > max) reasons.push(`${field} has ${list.length} items (at most ${max})`);
}

/** The reasons as one sentence list, at most MAX_REASONS of them. */
export function boundedReasons(reasons: readonly string[]): string[] {
  return reasons.length <= MAX_REASONS ? [...reasons] : [...reasons.slice(0, MAX_REASONS), `and ${reasons.length - MAX_REASONS} more`];
}
