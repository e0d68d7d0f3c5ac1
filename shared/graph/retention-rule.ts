// The retention rule (docs/SECURITY.md "Retention"): a person whose latest
// record is older than the review period is removed; a new incident or
// justice event restarts their clock. The unit is the person, not the record:
// a record of an old incident stays while the person has a recent one, as
// the history that makes them a repeat victim or a serial perpetrator. Pure.

const DAY_MS = 86_400_000;

/** Ten years: the review period the College of Policing's MoPI guidance sets for public-protection records (docs/SECURITY.md "Retention"). */
export const DEFAULT_REVIEW_DAYS = 3_650;
/** Shorter is refused: a period typed a digit short would remove nearly every person at the next sweep. */
export const MIN_REVIEW_DAYS = 365;
/** A hundred years: past any person's life. */
export const MAX_REVIEW_DAYS = 36_500;

/** Records from events before this moment (ms) are past the review period at `now`. */
export function reviewCutoff(now: number, reviewDays: number): number {
  return now - reviewDays * DAY_MS;
}

/** A person as the review sees them: their latest record's event time (ms; undefined when none of their records came from an event). */
export type PersonUnderReview = { entityId: string; latestAt: number | undefined };

/**
 * Who is past the review period: every person whose latest record is before the cutoff. A person with a record at
 * or after it is kept, and so is one with no record from an event (a CSV backfill), whose age the graph does not know.
 */
export function pastReview(people: readonly PersonUnderReview[], cutoff: number): { remove: string[]; keep: string[] } {
  const remove: string[] = [];
  const keep: string[] = [];
  for (const { entityId, latestAt } of people) (latestAt !== undefined && latestAt < cutoff ? remove : keep).push(entityId);
  return { remove, keep };
}
