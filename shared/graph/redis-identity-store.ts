// The identity graph in Redis: the IdentityStore of shared/er/identity-store.ts,
// the hot path of resolving (candidates, then apply). Reversing merges,
// explaining entities and listing them are identity-admin.ts. Every change is one Lua
// script (atomic); every key of a graph carries the graph's hash tag, so the
// scripts keep to one Redis Cluster slot (docs/ARCHITECTURE.md, "Identity graph").
//
// Keys, under the namespace `ns` (default "dauntless:{g}"):
//   ns:rec:<recordId>        hash  entity (as resolved), seq, features, decision, possible, model, record, blocks, terms
//   ns:ent:<entityId>        hash  createdSeq, updatedSeq, mergedInto (when merged away)
//   ns:ent:<id>:members      zset  recordId by seq
//   ns:ent:<id>:notwith      set   entities never to merge with (a reversed merge)
//   ns:ent:<id>:merges       list  merge ids it took part in
//   ns:blk:<blockingKey>     zset  entityId by seq of last filing; its highest score is the key's
//                                  version (optimistic concurrency: apply.lua refuses a decision if a
//                                  key it read has a score above the seq the candidates were read at)
//   ns:tf                    hash  term -> records seen with it (term-frequency adjustment)
//   ns:merge:<mergeId>       hash  survivor, absorbed, members, seq, recordId, evidence, reversedAt
//   ns:merge:<mergeId>:pending list records a reversal took out, until each is resolved again (unmerge.lua)
//   ns:meta                  hash  seq, records, entities
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { countsByTerm, entityIdFor } from '../er/identity-store.ts';
import { clearNamespace } from '../redis/keys.ts';
import { defineLuaCommands } from '../redis/lua-scripts.ts';
import { createGraphMirror, DEFAULT_MIRROR_KEYS, type CandidatesReply, type GraphMirror } from './graph-mirror.ts';
import { followMergesAsync } from '../er/merge-walk.ts';
import { redisJson } from '../redis/redis-call.ts';
import type {
  ApplyResult,
  CandidateView,
  Decision,
  GraphChange,
  IdentityStore,
  KnownRecord,
  PersonFeatures,
} from '../er/identity-store.ts';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');
const SCRIPTS = { dauntlessCandidates: 'candidates', dauntlessMembers: 'members', dauntlessApply: 'apply' };

export const DEFAULT_NAMESPACE = 'dauntless:{g}';

/** Members of an entity sent for scoring, most recent first. */
const MAX_MEMBERS = 50;

/** Entities whose members' features a store keeps in process memory, by their updatedSeq. */
const DEFAULT_CACHE_ENTITIES = 20_000;


export type RedisIdentityStore = IdentityStore & {
  readonly namespace: string;
  /** Deletes every key of this graph and forgets what this store kept of it (tests and evaluation runs only). */
  clear(): Promise<void>;
};

type Commands = Redis & {
  dauntlessCandidates(metaKey: string, ...args: (string | number)[]): Promise<string>;
  dauntlessMembers(metaKey: string, ...args: (string | number)[]): Promise<string>;
  dauntlessApply(metaKey: string, ...args: (string | number)[]): Promise<string>;
};

export function createRedisIdentityStore({
  redis,
  namespace = DEFAULT_NAMESPACE,
  cacheEntities = DEFAULT_CACHE_ENTITIES,
  mirrorKeys = DEFAULT_MIRROR_KEYS,
}: {
  redis: Redis;
  namespace?: string;
  /** How many entities' member features to keep in memory (0: none). Entries are checked against the entity's updatedSeq on every read. */
  cacheEntities?: number;
  /**
   * Most block keys the store's mirror of the candidate index may hold (see
   * graph-mirror.ts; 0: never keep one). Past it the mirror is dropped and
   * candidates are read from Redis. About 150 bytes a key.
   */
  mirrorKeys?: number;
}): RedisIdentityStore {
  if (!/\{[^}]+\}/.test(namespace)) {
    throw new DauntlessError('CONFIG_INVALID', `The graph namespace "${namespace}" has no {hash tag}: every key of one graph must share a Redis Cluster slot.`);
  }
  const r = redis as Commands;
  defineLuaCommands(redis, LUA_DIR, SCRIPTS);
  const ns = namespace;
  const meta = `${ns}:meta`;
  const asArray = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

  /** This store's mirror of the candidate index, while it is exact (graph-mirror.ts). */
  let mirror: GraphMirror | undefined;

  // entityId -> members' features as of updatedSeq; a Map keeps insertion
  // order, so re-inserting on use makes the first key the least recently used.
  const cache = new Map<string, { seq: number; members: PersonFeatures[] }>();
  function remember(entityId: string, seq: number, members: PersonFeatures[]): void {
    if (cacheEntities <= 0) return;
    cache.delete(entityId);
    cache.set(entityId, { seq, members });
    if (cache.size > cacheEntities) cache.delete(cache.keys().next().value!);
  }

  const call = redisJson;

  const currentEntity = (id: string): Promise<string> => currentEntityIn(redis, ns, id);

  return {
    namespace,

    async candidates({ blockKeys, terms, maxPerKey, recordId, entities: alsoEntities = [] }): Promise<CandidateView> {
      // While this store has written everything in the graph, its own mirror
      // answers (no round trip); otherwise candidates.lua does.
      let raw = mirror?.candidates(blockKeys, terms, maxPerKey, recordId, alsoEntities);
      const fromCopy = raw !== undefined;
      if (!raw) {
        raw = await call<CandidatesReply>('read candidates', () =>
          r.dauntlessCandidates(meta, ns, maxPerKey, recordId ?? '', JSON.stringify(blockKeys), JSON.stringify(terms), JSON.stringify(alsoEntities)),
        );
        // A graph never written to (seq 0) is empty: from here on this store can keep a mirror of it.
        if (raw.s === 0 && !raw.known && mirrorKeys > 0) mirror = createGraphMirror(mirrorKeys);
      }
      if (raw.known) return { entities: [], termCounts: {}, totalRecords: 0, token: '', known: knownRecordOf(raw) };
      const listed = asArray<[string, number, number, string[] | object]>(raw.e);
      const stale = listed.filter(([id, seq]) => cache.get(id)?.seq !== seq).map(([id]) => id);
      const fetched = new Map<string, PersonFeatures[]>();
      if (stale.length > 0) {
        const rows = await call<[string, number, string[] | object][] | object>('read members', () => r.dauntlessMembers(meta, ns, MAX_MEMBERS, ...stale));
        for (const [id, seq, members] of asArray<[string, number, string[] | object]>(rows)) {
          const features = asArray<string>(members).map((m) => JSON.parse(m) as PersonFeatures);
          fetched.set(id, features);
          remember(id, seq, features);
        }
      }
      const counts = asArray<number>(raw.c);
      return {
        entities: listed.map(([entityId, , memberCount, notWith]) => ({
          entityId,
          members: fetched.get(entityId) ?? cache.get(entityId)?.members ?? [],
          notWith: asArray<string>(notWith),
          memberCount,
        })),
        termCounts: countsByTerm(terms, (t, i) => counts[i] ?? 0),
        totalRecords: raw.t,
        // The seq first, so apply.lua reads the keys only when the graph has
        // moved. A view from the mirror is marked "=" (for a reader of the
        // slowlog or MONITOR); apply.lua checks it like any other.
        token: `${fromCopy ? '=' : ''}${raw.s}|${JSON.stringify(blockKeys)}`,
      };
    },

    async entityOfRecord(recordId) {
      const entity = await redis.hget(`${ns}:rec:${recordId}`, 'entity');
      return entity ? currentEntity(entity) : undefined;
    },

    async apply(change: GraphChange, token: string): Promise<ApplyResult> {
      // Whether a failed call changed the graph is not known: the mirror cannot follow it.
      const result = await call<{ status: string; entityId?: string; merged?: string[] | object; seq: number; previousSeq?: number }>('apply a decision', () =>
        r.dauntlessApply(
          meta,
          ns,
          // What the script decides on, without the evidence (stored as it is, below): less JSON for Lua to decode.
          JSON.stringify({ recordId: change.recordId, decision: decisionTargets(change.decision) }),
          token,
          // Only a new entity needs its id (a hash): a link or merge keeps its target's.
          change.decision.outcome === 'new' ? (change.newEntityId ?? entityIdFor(change.recordId)) : '',
          Date.now(),
          JSON.stringify(change.features),
          JSON.stringify(change.decision),
          JSON.stringify(change.possible),
          change.modelVersion,
          JSON.stringify(change.record ?? null),
          JSON.stringify(change.blockKeys),
          JSON.stringify(change.terms),
        ),
      ).catch((error: unknown) => {
        mirror = undefined;
        throw error;
      });
      if (result.status === 'applied') {
        const merged = asArray<string>(result.merged);
        // The mirror stays exact only if this was the graph's next change (no other writer since).
        if (mirror && !mirror.applied(change, result.entityId!, merged, result.seq)) mirror = undefined;
        const cached = cache.get(result.entityId!);
        if (merged.length === 0 && (change.decision.outcome === 'new' || cached?.seq === result.previousSeq)) {
          // Our cached members were current until this apply: add the new one.
          remember(result.entityId!, result.seq!, [change.features, ...(cached?.members ?? [])].slice(0, MAX_MEMBERS));
        } else {
          cache.delete(result.entityId!);
        }
        return { status: 'applied', entityId: result.entityId!, mergedEntityIds: merged };
      }
      // A refusal says where the graph is: if not where the mirror is, someone else has written to it.
      if (mirror && mirror.seq() !== result.seq) mirror = undefined;
      if (result.status === 'duplicate') return { status: 'duplicate', entityId: result.entityId! };
      return { status: 'conflict' };
    },

    async clear() {
      cache.clear();
      mirror = undefined;
      await clearNamespace(redis, ns);
    },
  };
}

function decisionTargets(decision: Decision): { outcome: Decision['outcome']; entityId?: string; entityIds?: string[] } {
  if (decision.outcome === 'link') return { outcome: 'link', entityId: decision.entityId };
  if (decision.outcome === 'merge') return { outcome: 'merge', entityIds: decision.entityIds };
  return { outcome: 'new' };
}

/** A replay's record as candidates.lua read it; a record stored without a decision reads as a new person's. */
function knownRecordOf({ known, decision, possible }: CandidatesReply): KnownRecord {
  return { entityId: known!, decision: JSON.parse(decision || '{"outcome":"new"}') as Decision, possible: JSON.parse(possible || '[]') as KnownRecord['possible'] };
}

/** The entity an id of graph `ns` stands for now, following merges (merge-walk.ts). */
export function currentEntityIn(redis: Redis, ns: string, id: string): Promise<string> {
  return followMergesAsync(id, (x) => redis.hget(`${ns}:ent:${x}`, 'mergedInto').then((next) => next ?? undefined));
}
