// The retention review (docs/SECURITY.md "Retention"): every person whose
// latest record is older than the review period (DAUNTLESS_RETENTION_REVIEW_DAYS)
// is erased by the erasure path a supervisor uses (erase-person.ts), each
// removal audited first (ERASURE, retention.removed, the web service as the
// actor, the rule and the period as the purpose). Run by the web service on a
// timer (DAUNTLESS_RETENTION_SWEEP_MS) and on demand by administrators, who
// see counts only; a dry run changes nothing and counts what a run would remove.
//
// What it looks at is what came due since the last sweep (retention-index.ts):
// the events past the period still queued, and the people whose shape an
// unmerge or correction changed. A person with a record at or after the cutoff
// is never removed: the rule is checked on the people as they are now, and the
// erasure checks it again in the same script, so a call arriving in between
// keeps them. A crash mid-sweep is resumed by the next: an event leaves the
// queue only after everyone in it was dealt with, and a person erased already
// is found in no event again.
import type { AuditLog } from '../../shared/audit/audit-log.ts';
import { serviceActor } from '../../shared/audit/audit-entry.ts';
import type { IdentityAdmin } from '../../shared/graph/identity-admin.ts';
import type { RetentionIndex } from '../../shared/graph/retention-index.ts';
import { pastReview, reviewCutoff } from '../../shared/graph/retention-rule.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import { erasePersonUnlessSince, type ErasureDeps } from './erase-person.ts';

export type RetentionDeps = {
  index: RetentionIndex;
  admin: Pick<IdentityAdmin, 'explain'>;
  erasure: ErasureDeps;
  audit: AuditLog;
  /** The review period, in days. */
  reviewDays: number;
  /** The principal the audit log names as the actor (the web service's). */
  principal: string;
  logger: Logger;
  /** Events read per round. */
  batch?: number;
};

/** What a review did, or would do: counts only, no id and no personal data. */
export type RetentionCounts = {
  dryRun: boolean;
  reviewDays: number;
  /** Records from events before this moment (ISO) are past the period. */
  cutoff: string;
  eventsLookedAt: number;
  peopleLookedAt: number;
  /** People removed (a dry run: who would be), and their records. */
  peopleRemoved: number;
  recordsRemoved: number;
  /** People kept: a record within the period, or none from an event. */
  peopleKept: number;
  /** Records on no person now (pending a correction or an unmerge): looked at again next time. */
  recordsWaiting: number;
};

const DEFAULT_BATCH = 500;

export async function reviewRetention(deps: RetentionDeps, { now, dryRun }: { now: number; dryRun: boolean }): Promise<RetentionCounts> {
  const { index, reviewDays, logger } = deps;
  const batch = deps.batch ?? DEFAULT_BATCH;
  const cutoff = reviewCutoff(now, reviewDays);
  const counts: RetentionCounts = { dryRun, reviewDays, cutoff: new Date(cutoff).toISOString(), eventsLookedAt: 0, peopleLookedAt: 0, peopleRemoved: 0, recordsRemoved: 0, peopleKept: 0, recordsWaiting: 0 };
  const purpose = `retention rule: no record for ${reviewDays} days (DAUNTLESS_RETENTION_REVIEW_DAYS=${reviewDays})`;
  const decided = new Set<string>();

  const review = async (people: Awaited<ReturnType<RetentionIndex['people']>>['people']) => {
    const fresh = people.filter((p) => !decided.has(p.entityId));
    fresh.forEach((p) => decided.add(p.entityId));
    counts.peopleLookedAt += fresh.length;
    const { remove, keep } = pastReview(fresh, cutoff);
    counts.peopleKept += keep.length;
    for (const entityId of remove) {
      if (dryRun) {
        counts.peopleRemoved += 1;
        counts.recordsRemoved += fresh.find((p) => p.entityId === entityId)!.records;
        continue;
      }
      const explanation = await deps.admin.explain(entityId);
      if (!explanation) continue;
      const absorbed = explanation.merges.filter((m) => m.survivor === explanation.entityId && !m.reversedAt).map((m) => m.absorbed);
      const subjectIds = [...new Set([explanation.entityId, ...absorbed, ...explanation.records.map((r) => r.recordId)])];
      // Recorded before the erasure, as a supervisor's is.
      await deps.audit.record({ kind: 'ERASURE', action: 'retention.removed', actor: serviceActor(deps.principal), subjectIds, purpose, resource: 'retention review' });
      const erased = await erasePersonUnlessSince(deps.erasure, explanation.entityId, cutoff);
      if (!erased) {
        // A call about them arrived since the review looked: their clock restarted, and the log says nothing was removed.
        await deps.audit.record({ kind: 'ERASURE', action: 'retention.kept', actor: serviceActor(deps.principal), subjectIds: [explanation.entityId], purpose: `${purpose}: not removed, a record within the period arrived meanwhile`, resource: 'retention review' });
        counts.peopleKept += 1;
        continue;
      }
      counts.peopleRemoved += 1;
      counts.recordsRemoved += erased.recordIds.length;
    }
  };

  // Bookkeeping, not data: a dry run fills the queue too, so that it counts what a run would see.
  await index.queueEarlierEvents(reviewDays);

  // The people an unmerge or a correction changed, first.
  const rechecks = await index.rechecks(10_000);
  if (rechecks.length > 0) {
    const { people, unplaced } = await index.people([], rechecks);
    await review(people);
    counts.recordsWaiting = unplaced.length;
    if (!dryRun) await index.rechecked(rechecks.filter((r) => !unplaced.includes(r)));
  }

  // Then the events past the period, oldest first. A dry run leaves them queued, so it pages through them.
  for (let offset = 0; ; ) {
    const events = await index.dueEvents(cutoff, batch, dryRun ? offset : 0);
    if (events.length === 0) break;
    const { people } = await index.people(events);
    await review(people);
    counts.eventsLookedAt += events.length;
    if (dryRun) offset += events.length;
    else await index.lookedAt(events);
  }

  logger.info({ ...counts }, dryRun ? 'retention review, dry run' : 'retention review');
  return counts;
}
