// The whole identity graph of one namespace as plain data, for comparing two
// runs: every entity with its records, every event recorded, and the counts.
// Entity ids come from record ids, so two namespaces that saw the same
// records in the same order compare equal.
import type { Redis } from 'ioredis';
import type { IncidentFacts } from '../../shared/graph/incident-facts.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createIdentityAdmin } from '../../shared/graph/identity-admin.ts';
import { scanKeys } from '../../shared/redis/keys.ts';

export type GraphSnapshot = {
  entities: [string, string[]][];
  /** Each event's facts, each party's match included: a crash between resolving a party and recording its incident must not change it. */
  events: [string, IncidentFacts][];
  counts: { incidents: number; events: number };
};

export async function graphSnapshot(redis: Redis, namespace: string): Promise<GraphSnapshot> {
  const admin = createIdentityAdmin({ redis, namespace });
  const graph = createIncidentGraph({ redis, namespace });
  const entities = [...(await admin.entities())].map(([id, records]): [string, string[]] => [id, [...records].sort()]).sort(([a], [b]) => a.localeCompare(b));
  const events: GraphSnapshot['events'] = [];
  const prefix = `${namespace}:evt:`;
  for await (const keys of scanKeys(redis, prefix)) {
    for (const key of keys) {
      events.push([key.slice(prefix.length), JSON.parse((await redis.hget(key, 'facts'))!) as IncidentFacts]);
    }
  }
  events.sort(([a], [b]) => a.localeCompare(b));
  return { entities, events, counts: await graph.counts() };
}
