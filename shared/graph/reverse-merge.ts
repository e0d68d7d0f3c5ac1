// Reversing a wrong merge: the admin restores the two entities and hands
// back the records that may have joined because of the merge (the bridging
// record and every later one); each is resolved again, now against both
// entities, which are marked never to merge with each other.
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
};

export async function reverseMerge(
  mergeId: string,
  { admin, store, model, referenceDate }: { admin: Pick<IdentityAdmin, 'unmerge'>; store: IdentityStore; model: PersonModel; referenceDate: Date },
): Promise<ReverseMergeResult> {
  const { survivor, absorbed, restored, toResolveAgain } = await admin.unmerge(mergeId);
  const resolvedAgain: ResolutionResult[] = [];
  // In the order they first arrived, so the graph is one a fresh resolution could give.
  for (const record of toResolveAgain) resolvedAgain.push(await resolveRecord(record, { store, model, referenceDate }));
  return { mergeId, survivor, restored: absorbed, restoredRecords: restored, resolvedAgain };
}
