// A person record id is `<eventId>:<party>`: the event id as it is, then the
// party's part, escaped so it holds no ":" (and no "%", the escape's own
// character). The id therefore splits one way only, at its last ":", and no
// two (event, party) pairs share one, whatever characters they hold. Spaces,
// control characters and braces in the party's part are escaped too, so an
// id stays one word in logs and CLI output. Event ids are left as they are:
// "CAD-1:v1" is an ordinary event id, and its records keep the ids they had.
// A call's parties are named by their partyId; a justice event's persons
// "subject" and "related-<i>". Pure.

const ESCAPED = /[%:{}\s\p{Cc}]/gu;

/** The party's part of a record id: injective, and without ":". */
export function recordIdPart(part: string): string {
  return part.replace(ESCAPED, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

/** The record id of one party of one event. */
export function recordIdOf(eventId: string, party: string): string {
  return `${eventId}:${recordIdPart(party)}`;
}
