// The resolver's in-process mirror of the candidate index of a graph (the
// block keys, entity sizes and term counts candidates.lua reads), kept while
// one store is the graph's only writer. One name, one default: the mirror,
// of at most DEFAULT_MIRROR_KEYS block keys unless configured
// (DAUNTLESS_GRAPH_MIRROR_KEYS for the resolver; `dauntless resolve` gets the same).
import type { GraphChange } from '../er/identity-store.ts';
import { followMerges } from '../er/merge-walk.ts';

/** Block keys the mirror may hold by default: about 450 MB at ~150 bytes a key; a backlog of ~200,000 calls fits. */
export const DEFAULT_MIRROR_KEYS = 3_000_000;

/**
 * candidates.lua's reply: for a replay, the record's entity now and its decision and possible matches (JSON, as
 * stored); else the graph's seq, the entities (id, updatedSeq, members, notWith), term counts and records.
 */
export type CandidatesReply = { known?: string; decision?: string; possible?: string; s: number; e: [string, number, number, string[] | object][] | object; c: number[] | object; t: number };

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
 * read has been filed under since. A mirror that missed another writer's change
 * is still an exact view of the graph at its own seq: a decision on it is
 * checked like one read from Redis, and the mirror is dropped at this store's
 * next apply (not the next seq). It is dropped as soon as the graph is seen to move without it
 * (an apply whose seq is not the next one, a refusal from a graph at
 * another seq), on a failed call, or when it outgrows
 * `maxKeys`.
 */
export type GraphMirror = {
  /** The graph's seq the mirror is exact at. */
  seq(): number;
  /**
   * candidates.lua's reply from the mirror; undefined when Redis should answer:
   * for a record already resolved (a replay: its entity may have been merged
   * by another writer since), or for more entities per key than the mirror keeps.
   */
  candidates(blockKeys: readonly string[], terms: readonly string[], maxPerKey: number, recordId: string | undefined, alsoEntities?: readonly string[]): CandidatesReply | undefined;
  /** Follows a change this store applied at `seq`; false when the mirror can no longer be exact (drop it). */
  applied(change: GraphChange, entityId: string, merged: readonly string[], seq: number): boolean;
};

/** Entities kept per block key, most recently filed: requests for more per key go to Redis. */
const MIRROR_PER_KEY = 100;

export function createGraphMirror(maxKeys: number): GraphMirror {
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

  const current = (id: string): string => followMerges(id, (x) => mergedInto.get(x));

  return {
    seq: () => seq,

    candidates(blockKeys, wanted, maxPerKey, recordId, alsoEntities = []) {
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
      // As candidates.lua: the entities asked for by id, after the keys', those not listed already.
      for (const id of alsoEntities) {
        const cur = current(id);
        const e = entities.get(cur);
        if (seen.has(cur) || !e) continue;
        seen.add(cur);
        listed.push([cur, e.updatedSeq, e.members, e.notWith]);
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
