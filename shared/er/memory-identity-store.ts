// IdentityStore in memory: for unit tests, evaluation and tuning. The same
// semantics as the Redis store (shared/graph/redis-identity-store.ts),
// checked by one contract test suite against both:
//   - a new entity's id is "P" + the first 20 hex characters of
//     sha256(recordId), so replays and parallel instances agree;
//   - apply: a record already resolved → duplicate (its current entity);
//     a block key changed since the token, or a target entity merged away
//     → conflict; else the decision is written (new / link / merge into
//     entityIds[0]), the entity filed under every block key, each key's
//     version bumped, term counters and the record total incremented, and
//     the record's decision kept for explanations;
//   - candidates for a record already resolved: its entity now, with the
//     decision and possible matches kept when it was resolved;
//   - candidates: at most maxPerKey entities per key, most recently filed
//     first, mapped through merge pointers, deduplicated; members most
//     recent first (cap 50); term counts; a token of the keys' versions.

import type {
  ApplyResult,
  CandidateView,
  Decision,
  EntityView,
  GraphChange,
  IdentityStore,
  MatchScore,
  PersonFeatures,
} from './identity-store.ts';
import { countsByTerm, entityIdFor } from './identity-store.ts';
import { followMerges } from './merge-walk.ts';

/** Members returned per entity by `candidates`, most recent first. */
export const MAX_MEMBERS_RETURNED = 50;

export type StoredRecord = {
  recordId: string;
  features: PersonFeatures;
  /** Order of filing, 1-based; later records are more recent. */
  sequence: number;
  decision: Decision;
  possible: { entityId: string; score: MatchScore }[];
  modelVersion: string;
  /** The entity the record was filed to (follow merges for the current one). */
  entityId: string;
};

export type MergeRecord = {
  survivor: string;
  absorbed: string[];
  /** Members each absorbed entity brought. */
  absorbedMembers: Record<string, string[]>;
  /** The record whose arrival merged them, and the scores that did it. */
  byRecordId: string;
  scores: Record<string, MatchScore>;
  modelVersion: string;
};

export type MemoryIdentityStore = IdentityStore & {
  /** Current entities: entityId → member record ids, oldest first. */
  entities(): Map<string, string[]>;
  /** What was stored for a record, for explanations. */
  record(recordId: string): StoredRecord | undefined;
  merges(): readonly MergeRecord[];
  /** Marks two entities as never to be merged (what undoing a wrong merge leaves). */
  keepApart(a: string, b: string): void;
};

/** The id of the entity a record founds: deterministic across instances and replays (identity-store.ts entityIdFor). */
export const newEntityId = entityIdFor;

type Entity = {
  members: string[];
  notWith: Set<string>;
  /**
   * The features of the most recent members, as last handed out by
   * `candidates`; dropped whenever members change. Handing out the same list
   * while the entity is unchanged lets scoring keep what it worked out about
   * the entity (score.ts), as it does with the Redis store's member cache.
   */
  recent?: PersonFeatures[];
};

export function createMemoryIdentityStore(): MemoryIdentityStore {
  const records = new Map<string, StoredRecord>();
  const entities = new Map<string, Entity>();
  const mergedInto = new Map<string, string>();
  /**
   * key → entity ids in order of filing (re-filing moves an id to the end),
   * so the most recently filed are read from the end without copying.
   */
  const index = new Map<string, string[]>();
  const versions = new Map<string, number>();
  const terms = new Map<string, number>();
  const merges: MergeRecord[] = [];
  let totalRecords = 0;

  const current = (entityId: string): string => followMerges(entityId, (id) => mergedInto.get(id));

  const view = (entityId: string, entity: Entity): EntityView => {
    if (!entity.recent) {
      const members: PersonFeatures[] = [];
      for (let i = entity.members.length - 1; i >= 0 && members.length < MAX_MEMBERS_RETURNED; i--) {
        const stored = records.get(entity.members[i]!);
        if (stored) members.push(stored.features);
      }
      entity.recent = members;
    }
    return { entityId, members: entity.recent, notWith: [...entity.notWith].sort(), memberCount: entity.members.length };
  };

  const file = (key: string, entityId: string): void => {
    let filed = index.get(key);
    if (!filed) index.set(key, (filed = []));
    const was = filed.lastIndexOf(entityId);
    if (was >= 0) filed.splice(was, 1);
    filed.push(entityId);
  };

  const encodeToken = (keys: string[]): string => JSON.stringify(keys.map((k) => [k, versions.get(k) ?? 0]));

  const tokenStillValid = (token: string): boolean => {
    let pairs: [string, number][];
    try {
      pairs = JSON.parse(token) as [string, number][];
    } catch {
      throw new TypeError('memory identity store: token was not made by this store');
    }
    return pairs.every(([key, version]) => (versions.get(key) ?? 0) === version);
  };

  const targets = (decision: Decision): string[] =>
    decision.outcome === 'link' ? [decision.entityId] : decision.outcome === 'merge' ? decision.entityIds : [];

  return {
    async candidates({ blockKeys, terms: wanted, maxPerKey, recordId, entities: alsoEntities = [] }): Promise<CandidateView> {
      const known = recordId === undefined ? undefined : records.get(recordId);
      if (known) {
        return { entities: [], termCounts: {}, totalRecords: 0, token: '', known: { entityId: current(known.entityId), decision: known.decision, possible: known.possible } };
      }
      const seen = new Set<string>();
      const found: EntityView[] = [];
      for (const key of blockKeys) {
        const ids = index.get(key);
        if (!ids) continue;
        for (let i = ids.length - 1, taken = 0; i >= 0 && taken < maxPerKey; i--, taken++) {
          const id = current(ids[i]!);
          if (seen.has(id)) continue;
          seen.add(id);
          const entity = entities.get(id);
          if (entity) found.push(view(id, entity));
        }
      }
      for (const asked of alsoEntities) {
        const id = current(asked);
        if (seen.has(id)) continue;
        seen.add(id);
        const entity = entities.get(id);
        if (entity) found.push(view(id, entity));
      }
      return { entities: found, termCounts: countsByTerm(wanted, (t) => terms.get(t) ?? 0), totalRecords, token: encodeToken(blockKeys) };
    },

    async entityOfRecord(recordId) {
      const stored = records.get(recordId);
      return stored ? current(stored.entityId) : undefined;
    },

    async apply(change: GraphChange, token: string): Promise<ApplyResult> {
      const already = records.get(change.recordId);
      if (already) return { status: 'duplicate', entityId: current(already.entityId) };
      if (!tokenStillValid(token)) return { status: 'conflict' };
      if (targets(change.decision).some((id) => mergedInto.has(id) || !entities.has(id))) return { status: 'conflict' };

      const decision = change.decision;
      let entityId: string;
      const mergedEntityIds: string[] = [];
      if (decision.outcome === 'new') {
        entityId = change.newEntityId ?? newEntityId(change.recordId);
        entities.set(entityId, { members: [], notWith: new Set() });
      } else if (decision.outcome === 'link') {
        entityId = decision.entityId;
      } else {
        const [survivorId, ...absorbed] = decision.entityIds;
        if (survivorId === undefined) throw new TypeError('merge decision with no entity ids');
        entityId = survivorId;
        const survivor = entities.get(survivorId)!;
        const absorbedMembers: Record<string, string[]> = {};
        for (const id of absorbed) {
          if (id === survivorId) continue;
          const gone = entities.get(id)!;
          absorbedMembers[id] = gone.members.slice();
          survivor.members.push(...gone.members);
          for (const other of gone.notWith) survivor.notWith.add(other);
          entities.delete(id);
          mergedInto.set(id, survivorId);
          mergedEntityIds.push(id);
        }
        survivor.members.sort((a, b) => (records.get(a)?.sequence ?? 0) - (records.get(b)?.sequence ?? 0));
        survivor.recent = undefined;
        merges.push({
          survivor: survivorId,
          absorbed: mergedEntityIds.slice(),
          absorbedMembers,
          byRecordId: change.recordId,
          scores: decision.scores,
          modelVersion: change.modelVersion,
        });
      }
      totalRecords += 1;
      records.set(change.recordId, {
        recordId: change.recordId,
        features: change.features,
        sequence: totalRecords,
        decision,
        possible: change.possible,
        modelVersion: change.modelVersion,
        entityId,
      });
      const filedTo = entities.get(entityId)!;
      filedTo.members.push(change.recordId);
      filedTo.recent = undefined;
      for (const key of new Set(change.blockKeys)) {
        file(key, entityId);
        versions.set(key, (versions.get(key) ?? 0) + 1);
      }
      for (const t of change.terms) terms.set(t, (terms.get(t) ?? 0) + 1);
      return { status: 'applied', entityId, mergedEntityIds };
    },

    entities() {
      const out = new Map<string, string[]>();
      for (const [id, entity] of entities) out.set(id, entity.members.slice());
      return out;
    },

    record: (recordId) => records.get(recordId),

    merges: () => merges,

    keepApart(a, b) {
      const ea = entities.get(current(a));
      const eb = entities.get(current(b));
      if (!ea || !eb) throw new RangeError(`keepApart: unknown entity ${ea ? b : a}`);
      ea.notWith.add(current(b));
      eb.notWith.add(current(a));
    },
  };
}
