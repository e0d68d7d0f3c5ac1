// `dauntless rescore --all | <entity-id>...`: scores people again from the
// identity graph and puts them on the scorer's boards, for a graph recorded
// before the scorer ran (a backfill) or after a merge was undone. It
// publishes nothing itself: the scorer service publishes the boroughs changed
// at its next tick (DAUNTLESS_SCORER_TICK_MS). Reads REDIS_URL (or
// .stack/endpoints.env) and DAUNTLESS_GRAPH like the scorer.
import { pino } from 'pino';
import { createIdentityAdmin } from '../../shared/graph/identity-admin.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import { defineCommand, UsageError } from './command.ts';
import { withScorerState } from './scorer-state.ts';

export const command = defineCommand({
  name: 'rescore',
  summary: "score people again from the graph onto the scorer's boards: a backfill (--all), or after a merge was undone",
  usage: `dauntless rescore --all
       dauntless rescore <entity-id>...`,
  description: `Scores people again from the identity graph, now, and puts them on the
scorer's boards: everyone on the graph (--all: a backfill), or the entities
named (e.g. both sides of a merge just undone). The running scorer publishes
the boroughs whose top five changed at its next tick.`,
  options: {
    all: { type: 'boolean', description: 'everyone on the graph' },
  },
  positionals: { min: 0, max: Infinity, what: 'entity ids' },
  check: ({ values, positionals }) => {
    if (values.all === positionals.length > 0) throw new UsageError(values.all ? 'give --all or entity ids, not both.' : 'give --all or entity ids.');
    return { all: values.all, named: positionals };
  },
  run: async ({ all, named }, io) => {
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn', base: { service: 'rescore' } }, pino.destination(2));
    return withScorerState(async ({ graph, board, harm, graphNamespace, redis }) => {
      const ids = all ? [...(await createIdentityAdmin({ redis, namespace: graphNamespace }).entities()).keys()].sort() : named;
      const changed = await createScorer({ graph, board, harm, logger }).rescoreEntities(ids, Date.now());
      io.stdout.write(`${ids.length} scored again; boards changed in ${changed.length} borough(s)${changed.length ? `: ${changed.join(', ')}` : ''}. The scorer publishes them at its next tick.\n`);
      return 0;
    });
  },
});
