// Which part of the run a pre-arrival intelligence message answers, so the
// feed shows live calls and only counts the seeding history. Pure.
//
// - history: one of this run's history calls (its incident id was recorded
//   before the call was sent, so the answer can never arrive first);
// - live: a call received since the feed started, whoever sent it (this
//   job's simulator, or `dauntless simulate` in another terminal);
// - earlier: anything else: a backlog the resolver is still working through
//   from before this run, or another simulator's history. Not shown.

export type IntelPhase = 'history' | 'live' | 'earlier';

export type PhaseContext = {
  /** Incident ids of this run's history calls. */
  historyIds: ReadonlySet<string>;
  /** When the feed started, epoch ms. */
  liveSinceMs: number;
};

export function intelPhase(intel: { incidentId: string; receivedAt: number }, { historyIds, liveSinceMs }: PhaseContext): IntelPhase {
  if (historyIds.has(intel.incidentId)) return 'history';
  return intel.receivedAt >= liveSinceMs ? 'live' : 'earlier';
}
