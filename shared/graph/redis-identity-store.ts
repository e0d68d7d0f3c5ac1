// The identity graph in Redis: the IdentityStore of shared/er/identity-store.ts,
// plus reversing merges and explaining entities. Every change is one Lua
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
//   ns:meta                  hash  seq, records, entities
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { countsByTerm, entityIdFor } from '../er/identity-store.ts';
import { clearNamespace, scanKeys } from '../redis/keys.ts';
import { defineLuaCommands } from '../redis/lua-scripts.ts';
import type {
  ApplyResult,
  CandidateView,
  Decision,
  GraphChange,
  IdentityStore,
  MatchScore,
  PersonFeatures,
  PersonRecord,
} from '../er/identity-store.ts';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');
const SCRIPTS = { dauntlessCandidates: 'candidates', dauntlessMembers: 'members', dauntlessApply: 'apply', dauntlessUnmerge: 'unmerge' };

export const DEFAULT_NAMESPACE = 'dauntless:{g}';

/** Members of an entity sent for scoring, most recent first. */
const MAX_MEMBERS = 50;

/** Entities whose members' features a store keeps in process memory, by their updatedSeq. */
const DEFAULT_CACHE_ENTITIES = 20_000;

/** Block keys a store's copy of the candidate index may hold (GraphMirror): about 150 MB. */
const DEFAULT_MIRROR_KEYS = 1_000_000;

export type RecordExplanation = {
  recordId: string;
  source: string;
  /** Order in the graph (a global sequence). */
  seq: number;
  resolvedAt: number;
  modelVersion: string;
  decision: Decision;
  /** The score of the link or merge that placed the record (undefined for the first record of a new entity). */
  score: MatchScore | undefined;
  possible: { entityId: string; score: MatchScore }[];
};

export type MergeExplanation = {
  mergeId: string;
  survivor: string;
  absorbed: string;
  at: number;
  /** The record that linked the two. */
  recordId: string;
  absorbedRecordIds: string[];
  reversedAt: number | undefined;
};

export type EntityExplanation = {
  requestedId: string;
  /** The entity the requested id stands for now (differs when it was merged away). */
  entityId: string;
  records: RecordExplanation[];
  merges: MergeExplanation[];
  notWith: string[];
};

export type UnmergeResult = {
  survivor: string;
  absorbed: string;
  restored: number;
  /** Records taken out of the survivor for the resolver to resolve again. */
  toResolveAgain: PersonRecord[];
};

export type RedisIdentityStore = IdentityStore & {
  readonly namespace: string;
  /** Reverses a merge; the caller resolves `toResolveAgain` again (see shared/er/resolve-record.ts). */
  unmerge(mergeId: string): Promise<UnmergeResult>;
  explain(entityId: string): Promise<EntityExplanation | undefined>;
  /** The entity each record belongs to now (undefined where never resolved), pipelined: for batch output. */
  entitiesOfRecords(recordIds: readonly string[]): Promise<(string | undefined)[]>;
  /** Every current entity with its record ids: for evaluation and tests, not for the hot path. */
  entities(): Promise<Map<string, string[]>>;
  /** Deletes every key of this graph (tests and evaluation runs only). */
  clear(): Promise<void>;
};

type Commands = Redis & {
  dauntlessCandidates(metaKey: string, ...args: (string | number)[]): Promise<string>;
  dauntlessMembers(metaKey: string, ...args: (string | number)[]): Promise<string>;
  dauntlessApply(metaKey: string, ...args: (string | number)[]): Promise<string>;
  dauntlessUnmerge(metaKey: string, ...args: (string | number)[]): Promise<string>;
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
   * Most block keys the store's copy of the candidate index may hold (see
   * GraphMirror; 0: never keep one). Past it the copy is dropped and
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

  /** This store's copy of the candidate index, while it is exact (see GraphMirror). */
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

  async function call<T>(what: string, run: () => Promise<string>): Promise<T> {
    try {
      return JSON.parse(await run()) as T;
    } catch (cause) {
      if (cause instanceof SyntaxError) throw cause;
      throw new DauntlessError('REDIS_UNAVAILABLE', `Redis failed during ${what}: ${(cause as Error).message}`, { retriable: true, cause });
    }
  }

  async function currentEntity(id: string): Promise<string> {
    for (let hops = 0; hops < 64; hops++) {
      const next = await redis.hget(`${ns}:ent:${id}`, 'mergedInto');
      if (!next) return id;
      id = next;
    }
    return id;
  }

  return {
    namespace,

    async candidates({ blockKeys, terms, maxPerKey, recordId }): Promise<CandidateView> {
      // While this store has written everything in the graph, its own copy
      // answers (no round trip); otherwise candidates.lua does.
      let raw = mirror?.candidates(blockKeys, terms, maxPerKey, recordId);
      const fromCopy = raw !== undefined;
      if (!raw) {
        raw = await call<CandidatesReply>('candidates', () =>
          r.dauntlessCandidates(meta, ns, maxPerKey, recordId ?? '', JSON.stringify(blockKeys), JSON.stringify(terms)),
        );
        // A graph never written to (seq 0) is empty: from here on this store can keep a copy of it.
        if (raw.s === 0 && !raw.known && mirrorKeys > 0) mirror = createGraphMirror(mirrorKeys);
      }
      if (raw.known) return { entities: [], termCounts: {}, totalRecords: 0, token: '', knownEntityId: raw.known };
      const listed = asArray<[string, number, number, string[] | object]>(raw.e);
      const stale = listed.filter(([id, seq]) => cache.get(id)?.seq !== seq).map(([id]) => id);
      const fetched = new Map<string, PersonFeatures[]>();
      if (stale.length > 0) {
        const rows = await call<[string, number, string[] | object][] | object>('members', () => r.dauntlessMembers(meta, ns, MAX_MEMBERS, ...stale));
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
        // moved. A view from the copy is marked "=" (for a reader of the
        // slowlog or MONITOR); apply.lua checks it like any other.
        token: `${fromCopy ? '=' : ''}${raw.s}|${JSON.stringify(blockKeys)}`,
      };
    },

    async entityOfRecord(recordId) {
      const entity = await redis.hget(`${ns}:rec:${recordId}`, 'entity');
      return entity ? currentEntity(entity) : undefined;
    },

    async apply(change: GraphChange, token: string): Promise<ApplyResult> {
      // Whether a failed call changed the graph is not known: the copy cannot follow it.
      const result = await call<{ status: string; entityId?: string; merged?: string[] | object; seq: number; previousSeq?: number }>('apply', () =>
        r.dauntlessApply(
          meta,
          ns,
          // What the script decides on, without the evidence (stored as it is, below): less JSON for Lua to decode.
          JSON.stringify({ recordId: change.recordId, decision: decisionTargets(change.decision) }),
          token,
          // Only a new entity needs its id (a hash): a link or merge keeps its target's.
          change.decision.outcome === 'new' ? entityIdFor(change.recordId) : '',
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
        // The copy stays exact only if this was the graph's next change (no other writer since).
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
      // A refusal says where the graph is: if not where the copy is, someone else has written to it.
      if (mirror && mirror.seq() !== result.seq) mirror = undefined;
      if (result.status === 'duplicate') return { status: 'duplicate', entityId: result.entityId! };
      return { status: 'conflict' };
    },

    async entitiesOfRecords(recordIds) {
      const resolved: (string | undefined)[] = [];
      const survivors = new Map<string, string>();
      for (let start = 0; start < recordIds.length; start += 1000) {
        const pipeline = redis.pipeline();
        for (const id of recordIds.slice(start, start + 1000)) pipeline.hget(`${ns}:rec:${id}`, 'entity');
        for (const [, entity] of (await pipeline.exec()) ?? []) {
          if (typeof entity !== 'string') {
            resolved.push(undefined);
            continue;
          }
          let survivor = survivors.get(entity);
          if (survivor === undefined) survivors.set(entity, (survivor = await currentEntity(entity)));
          resolved.push(survivor);
        }
      }
      return resolved;
    },

    async unmerge(mergeId) {
      mirror = undefined;
      const result = await call<{ status: string; survivor?: string; absorbed?: string; restored?: number; later?: [string, string][] | object }>(
        'unmerge',
        () => r.dauntlessUnmerge(meta, ns, mergeId, Date.now()),
      );
      if (result.status === 'unknown') throw new DauntlessError('VALIDATION_FAILED', `No merge ${mergeId} in this graph.`);
      if (result.status === 'already_reversed') throw new DauntlessError('VALIDATION_FAILED', `Merge ${mergeId} was already reversed.`);
      const later = asArray<[string, string]>(result.later);
      const missing = later.filter(([, record]) => !record || record === 'null').map(([id]) => id);
      if (missing.length > 0) {
        throw new DauntlessError('VALIDATION_FAILED', `Records ${missing.join(', ')} were stored without their original fields and cannot be resolved again.`);
      }
      return {
        survivor: result.survivor!,
        absorbed: result.absorbed!,
        restored: result.restored ?? 0,
        toResolveAgain: later.map(([, record]) => JSON.parse(record) as PersonRecord),
      };
    },

    async explain(requestedId) {
      const entityId = await currentEntity(requestedId);
      const memberIds = await redis.zrange(`${ns}:ent:${entityId}:members`, 0, -1);
      if (memberIds.length === 0 && !(await redis.exists(`${ns}:ent:${entityId}`))) return undefined;
      const pipeline = redis.pipeline();
      for (const id of memberIds) pipeline.hmget(`${ns}:rec:${id}`, 'seq', 'at', 'model', 'decision', 'possible', 'features');
      const rows = (await pipeline.exec()) ?? [];
      const records: RecordExplanation[] = memberIds.map((recordId, i) => {
        const [seq, at, model, decision, possible, features] = (rows[i]?.[1] ?? []) as (string | null)[];
        const parsedDecision = JSON.parse(decision ?? '{"outcome":"new"}') as Decision;
        const score =
          parsedDecision.outcome === 'link'
            ? parsedDecision.score
            : parsedDecision.outcome === 'merge'
              ? Object.values(parsedDecision.scores)[0]
              : undefined;
        return {
          recordId,
          source: String((JSON.parse(features ?? '{}') as PersonFeatures).source ?? ''),
          seq: Number(seq),
          resolvedAt: Number(at),
          modelVersion: model ?? '',
          decision: parsedDecision,
          score,
          possible: JSON.parse(possible ?? '[]'),
        };
      });
      const mergeIds = await redis.lrange(`${ns}:ent:${entityId}:merges`, 0, -1);
      const merges: MergeExplanation[] = [];
      for (const mergeId of mergeIds) {
        const m = await redis.hgetall(`${ns}:merge:${mergeId}`);
        merges.push({
          mergeId,
          survivor: m.survivor!,
          absorbed: m.absorbed!,
          at: Number(m.at),
          recordId: m.recordId!,
          absorbedRecordIds: JSON.parse(m.members ?? '[]'),
          reversedAt: m.reversedAt ? Number(m.reversedAt) : undefined,
        });
      }
      return { requestedId, entityId, records, merges, notWith: await redis.smembers(`${ns}:ent:${entityId}:notwith`) };
    },

    async entities() {
      const result = new Map<string, string[]>();
      const prefix = `${ns}:ent:`;
      for await (const keys of scanKeys(redis, prefix, ':members')) {
        for (const k of keys) {
          const members = await redis.zrange(k, 0, -1);
          if (members.length > 0) result.set(k.slice(prefix.length, -':members'.length), members);
        }
      }
      return result;
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

/** candidates.lua's reply: the known entity of a replay, or the graph's seq, the entities (id, updatedSeq, members, notWith), term counts and records. */
type CandidatesReply = { known?: string; s: number; e: [string, number, number, string[] | object][] | object; c: number[] | object; t: number };

/**
 * The candidate index of a graph as this store left it, kept while this store
 * is the only one writing to the graph: a backfill (`dauntless resolve`) into
 * a graph of its own, or one resolver alone. Then it answers `candidates` in
 * process, exactly as candidates.lua would, and a record takes one round
 * trip (apply.lua) instead of two.
 *
 * It is born when the store sees the graph at seq 0 (never written, so empty)
 * and follows each change this store applies. It is exact at `seq`: a view
 * read from it is what candidates.lua would have read at that seq, and its
 * token carries the seq, so apply.lua refuses it, as any view, if a key it
 * read has been filed under since. A copy that missed another writer's change
 * is still an exact view of the graph at its own seq: a decision on it is
 * checked like one read from Redis, and the copy is dropped at this store's
 * next apply (not the next seq). It is dropped as soon as the graph is seen to move without it
 * (an apply whose seq is not the next one, a refusal from a graph at
 * another seq), on an unmerge or a failed call, or when it outgrows
 * `maxKeys`.
 */
type GraphMirror = {
  /** The graph's seq the copy is exact at. */
  seq(): number;
  /**
   * candidates.lua's reply from the copy; undefined when Redis should answer:
   * for a record already resolved (a replay: its entity may have been merged
   * by another writer since), or for more entities per key than the copy keeps.
   */
  candidates(blockKeys: readonly string[], terms: readonly string[], maxPerKey: number, recordId: string | undefined): CandidatesReply | undefined;
  /** Follows a change this store applied at `seq`; false when the copy can no longer be exact (drop it). */
  applied(change: GraphChange, entityId: string, merged: readonly string[], seq: number): boolean;
};

/** Entities kept per block key, most recently filed: requests for more per key go to Redis. */
const MIRROR_PER_KEY = 100;

function createGraphMirror(maxKeys: number): GraphMirror {
  let seq = 0;
  let records = 0;
  /** block key → entity ids filed under it, least recently filed first (the tail of the key's zset, at most MIRROR_PER_KEY). */
  const blocks = new Map<string, string[]>();
  /** Records this store has resolved. */
  const resolved = new Set<string>();
  const mergedInto = new Map<string, string>();
  const entities = new Map<string, { updatedSeq: number; members: number; notWith: string[] }>();
  const terms = new Map<string, number>();
  /**
   * The lists a view read, by its record's block keys (the same array is
   * handed to apply): the change files under the very lists, without looking
   * the keys up again. A list, once made, stays its key's list.
   */
  const listsRead = new WeakMap<readonly string[], (string[] | undefined)[]>();

  const current = (id: string): string => {
    for (let hops = 0; hops < 64; hops++) {
      const next = mergedInto.get(id);
      if (next === undefined) return id;
      id = next;
    }
    return id;
  };

  return {
    seq: () => seq,

    candidates(blockKeys, wanted, maxPerKey, recordId) {
      if (maxPerKey > MIRROR_PER_KEY || (recordId !== undefined && resolved.has(recordId))) return undefined;
      // As candidates.lua: keys in order, each key's most recent first, each id's merges followed once.
      const listed: [string, number, number, string[]][] = [];
      const followed = new Set<string>();
      const seen = new Set<string>();
      const lists: (string[] | undefined)[] = new Array(blockKeys.length);
      listsRead.set(blockKeys, lists);
      for (let k = 0; k < blockKeys.length; k++) {
        const ids = (lists[k] = blocks.get(blockKeys[k]!));
        if (!ids) continue;
        for (let i = ids.length - 1; i >= 0 && i >= ids.length - maxPerKey; i--) {
          const id = ids[i]!;
          if (followed.has(id)) continue;
          followed.add(id);
          const cur = current(id);
          if (seen.has(cur)) continue;
          seen.add(cur);
          const e = entities.get(cur);
          listed.push([cur, e?.updatedSeq ?? 0, e?.members ?? 0, e?.notWith ?? []]);
        }
      }
      return { s: seq, e: listed, c: wanted.map((t) => terms.get(t) ?? 0), t: records };
    },

    applied(change, entityId, merged, at) {
      if (at !== seq + 1 || blocks.size > maxKeys) return false;
      // As apply.lua: absorbed entities' members and never-with marks move to the survivor.
      let entity = entities.get(entityId);
      if (!entity) entities.set(entityId, (entity = { updatedSeq: 0, members: 0, notWith: [] }));
      for (const absorbed of merged) {
        const gone = entities.get(absorbed);
        entity.members += gone?.members ?? 0;
        // A new list, not a changed one: views handed out keep theirs.
        const others = (gone?.notWith ?? []).filter((other) => !entity.notWith.includes(other));
        if (others.length > 0) entity.notWith = [...entity.notWith, ...others];
        entities.delete(absorbed);
        mergedInto.set(absorbed, entityId);
      }
      entity.members += 1;
      entity.updatedSeq = at;
      resolved.add(change.recordId);
      const lists = listsRead.get(change.blockKeys);
      for (let k = 0; k < change.blockKeys.length; k++) {
        const key = change.blockKeys[k]!;
        // A key without a list when the view was read may have one now.
        let ids = lists?.[k] ?? blocks.get(key);
        if (!ids) blocks.set(key, (ids = []));
        const was = ids.indexOf(entityId);
        if (was >= 0) ids.splice(was, 1);
        ids.push(entityId);
        if (ids.length > MIRROR_PER_KEY) ids.shift();
      }
      for (const t of change.terms) terms.set(t, (terms.get(t) ?? 0) + 1);
      records += 1;
      seq = at;
      return true;
    },
  };
}
