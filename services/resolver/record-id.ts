// The parts of a person record id (`<eventId>:<partyId>`, `<eventId>:subject`)
// are written so that no id can be read two ways: ":" separates parts, so a
// part's own ":" is escaped, and "%" with it, the escape's own character.
// Spaces, control characters and braces are escaped too, so a record id is
// one printable word in logs and CLI output and never opens a Redis Cluster
// hash tag. Any other character, and so every ordinary id ("evt-4471-v1",
// "P1"), is written as it is: the ids of existing graphs do not change. Pure.

const ESCAPED = /[%:{}\s\p{Cc}]/gu;

/** One part of a record id: injective, and without ":". */
export function recordIdPart(part: string): string {
  return part.replace(ESCAPED, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}
