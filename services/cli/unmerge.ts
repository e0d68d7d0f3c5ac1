// `dauntless unmerge <merge-id>`: reverses a wrong merge (merge ids are listed
// by `dauntless explain`). The two entities are restored and kept apart for
// good; the records that may have joined because of the merge are resolved
// again. Prints what moved.
import { Redis } from 'ioredis';
import { loadEndpoints } from '../../shared/config/endpoints.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { createRedisIdentityStore, DEFAULT_NAMESPACE } from '../resolver/redis-identity-store.ts';
import { reverseMerge } from '../resolver/reverse-merge.ts';

export const usage = `Usage: dauntless unmerge <merge-id> [--json]

Reverses the merge (see \`dauntless explain <entity-id>\` for merge ids): both
entities are restored and never merged again, and the records that linked
them or joined since are resolved again. Graph: DAUNTLESS_GRAPH (default ${DEFAULT_NAMESPACE}).`;

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const ids = args.filter((a) => !a.startsWith('-'));
  if (ids.length !== 1) {
    process.stderr.write(`dauntless unmerge: give exactly one merge id.\n\n${usage}\n`);
    return 2;
  }
  const redis = new Redis(loadEndpoints().redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const store = createRedisIdentityStore({ redis, namespace: process.env.DAUNTLESS_GRAPH ?? DEFAULT_NAMESPACE });
    const result = await reverseMerge(ids[0]!, { store, model: defaultPersonModel, referenceDate: new Date() });
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
  } finally {
    redis.disconnect();
  }
}
