// The identity graph the operator tools read and change: Redis from
// REDIS_URL (or .stack/endpoints.env) as the user dauntless-operator, graph DAUNTLESS_GRAPH (default
// "dauntless:{g}"). Opens, runs, and always closes the connection.
import { createIdentityAdmin, type IdentityAdmin } from '../../shared/graph/identity-admin.ts';
import { createIncidentGraph, type IncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createRedisIdentityStore, DEFAULT_NAMESPACE, type RedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { withRedis } from './with-redis.ts';

/** The graph as the operator tools use it: the store that resolves records, the administration (explain, unmerge, listing), and the events (for where a person has history). */
export type OperatorGraph = { store: RedisIdentityStore; admin: IdentityAdmin; events: IncidentGraph };

export async function withGraphStore<T>(use: (graph: OperatorGraph) => Promise<T>, namespace = process.env.DAUNTLESS_GRAPH ?? DEFAULT_NAMESPACE): Promise<T> {
  return withRedis({ maxRetriesPerRequest: 2 }, (redis) => use({ store: createRedisIdentityStore({ redis, namespace }), admin: createIdentityAdmin({ redis, namespace }), events: createIncidentGraph({ redis, namespace }) }));
}
