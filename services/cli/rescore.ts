// `dauntless rescore --all | <entity-id>...`: scores people again from the
// identity graph and puts them on the scorer's boards, for a graph recorded
// before the scorer ran (a backfill) or after a merge was undone. It
// publishes nothing itself: the scorer service publishes the boroughs changed
// at its next tick (DAUNTLESS_SCORER_TICK_MS). Reads REDIS_URL (or
// .stack/endpoints.env) and DAUNTLESS_GRAPH like the scorer.
import { pino } from 'pino';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import { withScorerState } from './scorer-state.ts';

export const usage = `Usage: dauntless rescore --all
       dauntless rescore <entity-id>...

Scores people again from the identity graph, now, and puts them on the
scorer's boards: everyone on the graph (--all: a backfill), or the entities
named (e.g. both sides of a merge just undone). The running scorer publishes
the boroughs whose top five changed at its next tick.`;

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h') || !args.length) {
    process.stdout.write(usage + '\n');
    return args.length ? 0 : 2;
  }
  const all = args.includes('--all');
  const named = args.filter((a) => !a.startsWith('-'));
  if (all === named.length > 0) {
    process.stderr.write(`dauntless rescore: give --all or entity ids, not both.\n\n${usage}\n`);
    return 2;
  }
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn', base: { service: 'rescore' } }, pino.destination(2));
  try {
    return await withScorerState(async ({ graph, board, harm, graphNamespace, redis }) => {
      const ids = all ? [...(await createRedisIdentityStore({ redis, namespace: graphNamespace }).entities()).keys()].sort() : named;
      const changed = await createScorer({ graph, board, harm, logger }).rescoreEntities(ids, Date.now());
      process.stdout.write(`${ids.length} scored again; boards changed in ${changed.length} borough(s)${changed.length ? `: ${changed.join(', ')}` : ''}. The scorer publishes them at its next tick.\n`);
      return 0;
    });
  } catch (error) {
    process.stderr.write(`dauntless rescore: ${(error as Error).message}\n`);
    return 1;
  }
}
