// What the Operation Dauntless tools read: the identity graph (DAUNTLESS_GRAPH,
// default "dauntless:{g}"), the scorer's boards beside it (DAUNTLESS_SCORER_STATE,
// default the graph's namespace with "-top5" in its tag) and the harm
// configuration (DAUNTLESS_HARM_CONFIG), all as the scorer service finds them.
// Opens Redis (REDIS_URL or .stack/endpoints.env), runs, and always closes it.
import type { Redis } from 'ioredis';
import type { HarmConfig } from '../../shared/harm/harm-config.ts';
import { createIncidentGraph, type IncidentGraph } from '../../shared/graph/incident-graph.ts';
import { loadNamespaces } from '../../shared/boards/namespaces.ts';
import { loadHarmConfig } from '../../shared/harm/load-harm-config.ts';
import { createScoreBoard, type ScoreBoard } from '../../shared/boards/score-board.ts';
import { withRedis } from './with-redis.ts';
import { createBriefingStore, type BriefingStore } from '../../shared/boards/briefing-store.ts';

export type ScorerState = { graph: IncidentGraph; board: ScoreBoard; briefings: BriefingStore; harm: HarmConfig; graphNamespace: string; redis: Redis };

export async function withScorerState<T>(use: (state: ScorerState) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const { graphNamespace, stateNamespace } = loadNamespaces(env);
  const harm = loadHarmConfig(env);
  return withRedis({ maxRetriesPerRequest: 2, env }, (redis) =>
    use({ graph: createIncidentGraph({ redis, namespace: graphNamespace }), board: createScoreBoard({ redis, namespace: stateNamespace }), briefings: createBriefingStore({ redis, namespace: stateNamespace }), harm, graphNamespace, redis }),
  );
}
