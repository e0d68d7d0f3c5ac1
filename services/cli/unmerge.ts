// `dauntless unmerge <merge-id>`: reverses a wrong merge (merge ids are listed
// by `dauntless explain`). The two entities are restored and kept apart for
// good; the records that may have joined because of the merge are resolved
// again. Prints what moved.
import { defaultPersonModel } from '../../shared/er/model.ts';
import { DEFAULT_NAMESPACE } from '../resolver/redis-identity-store.ts';
import { reverseMerge } from '../resolver/reverse-merge.ts';
import { oneId, withGraphStore } from './graph-store.ts';

export const usage = `Usage: dauntless unmerge <merge-id> [--json]

Reverses the merge (see \`dauntless explain <entity-id>\` for merge ids): both
entities are restored and never merged again, and the records that linked
them or joined since are resolved again. Graph: DAUNTLESS_GRAPH (default ${DEFAULT_NAMESPACE}).`;

export async function run(args: string[]): Promise<number> {
  const id = oneId('unmerge', 'merge id', args, usage);
  if (typeof id === 'number') return id;
  try {
    const result = await withGraphStore((store) => reverseMerge(id, { store, model: defaultPersonModel, referenceDate: new Date() }));
    if (args.includes('--json')) {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    } else {
      process.stdout.write(
        `Merge ${result.mergeId} reversed: ${result.restored} restored with ${result.restoredRecords} record(s); ${result.survivor} kept the rest.\n` +
          result.resolvedAgain.map((r) => `  ${r.recordId} resolved again → ${r.entityId} (${r.decision.outcome})\n`).join(''),
      );
    }
    return 0;
  } catch (error) {
    process.stderr.write(`dauntless unmerge: ${(error as Error).message}\n`);
    return 1;
  }
}
