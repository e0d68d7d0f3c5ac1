// Reversing a wrong merge: the admin restores the two entities and hands
// back the records that may have joined because of the merge (the bridging
// record and every later one); each is resolved again, now against both
// entities, which are marked never to merge with each other.
//
// Crash-safe: until each record handed back is resolved again, the merge
// keeps it as pending, so reversing the same merge again (after a crash
// between the two steps, or part-way through the second) resolves those
// still on no entity, and the graph ends as one uninterrupted reversal
// leaves it. A record is resolved again before it leaves the pending list,
// so a crash between the two leaves it pending but on an entity, which the
// next run skips.
import type { PersonModel } from '../er/model.ts';
import { resolveRecord, type ResolutionResult } from '../er/resolve-record.ts';
import type { IdentityStore } from '../er/identity-store.ts';
import type { IdentityAdmin } from './identity-admin.ts';

export type ReverseMergeResult = {
  mergeId: string;
  survivor: string;
  restored: string;
  /** Members given back to the restored entity. */
  restoredRecords: number;
  /** The records resolved again, with where each went. */
  resolvedAgain: ResolutionResult[];
  /** The merge was reversed before by a run that stopped before resolving every record again: this run finished it. */
  resumed: boolean;
};

export async function reverseMerge(
  mergeId: string,
  { admin, store, model, referenceDate }: { admin: Pick<IdentityAdmin, 'unmerge' | 'resolvedAgain'>; store: IdentityStore; model: PersonModel; referenceDate: Date },
): Promise<ReverseMergeResult> {
  const { survivor, absorbed, restored, toResolveAgain, resumed } = await admin.unmerge(mergeId);
  const resolvedAgain: ResolutionResult[] = [];
  // In the order they first arrived, so the graph is one a fresh resolution could give.
  for (const record of toResolveAgain) {
    resolvedAgain.push(await resolveRecord(record, { store, model, referenceDate }));
    await admin.resolvedAgain(mergeId, record.recordId);
  }
  return { mergeId, survivor, restored: absorbed, restoredRecords: restored, resolvedAgain, resumed };
}
