// Administration of the identity graph in Redis, apart from the hot path of
// resolving (redis-identity-store.ts): why an entity holds each record
// (explain), reversing a wrong merge (unmerge), and listing entities. For the
// CLI, evaluation and tests; none of it runs per call.
//
// An unmerge is one Lua script that moves the graph's seq: a store keeping a
// mirror of the candidate index (graph-mirror.ts) sees the graph move without
// it at its next apply and drops the mirror, and any decision it made on the
// old view of a key the unmerge touched is refused and made again.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { DauntlessError } from '../errors/dauntless-error.ts';
import type { Decision, MatchScore, PersonFeatures, PersonRecord } from '../er/identity-store.ts';
import { scanKeys } from '../redis/keys.ts';
import { defineLuaCommands } from '../redis/lua-scripts.ts';
import { currentEntityIn, DEFAULT_NAMESPACE } from './redis-identity-store.ts';
import { redisJson } from '../redis/redis-call.ts';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');

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
  /** Records taken out of the survivor for the resolver to resolve again, in the order they first arrived. */
  toResolveAgain: PersonRecord[];
  /**
   * The merge had been reversed already, by a run that stopped before resolving every record again:
   * `toResolveAgain` holds those still on no entity, and `survivor` is what the survivor stands for now.
   */
  resumed: boolean;
};

export type IdentityAdmin = {
  readonly namespace: string;
  /**
   * Reverses a merge; the caller resolves `toResolveAgain` again and says so for each (reverse-merge.ts). A merge
   * reversed already with records still to resolve again hands those back (resumed); one with none is refused.
   */
  unmerge(mergeId: string): Promise<UnmergeResult>;
  /** A record the unmerge handed back is on an entity again: off the merge's pending list (idempotent). */
  resolvedAgain(mergeId: string, recordId: string): Promise<void>;
  explain(entityId: string): Promise<EntityExplanation | undefined>;
  /** The entity each record belongs to now (undefined where never resolved), pipelined: for batch output. */
  entitiesOfRecords(recordIds: readonly string[]): Promise<(string | undefined)[]>;
  /** Every current entity with its record ids: for evaluation and tests, not for the hot path. */
  entities(): Promise<Map<string, string[]>>;
};

type Commands = Redis & { dauntlessUnmerge(metaKey: string, ...args: (string | number)[]): Promise<string> };

export function createIdentityAdmin({ redis, namespace = DEFAULT_NAMESPACE }: { redis: Redis; namespace?: string }): IdentityAdmin {
  const r = redis as Commands;
  defineLuaCommands(redis, LUA_DIR, { dauntlessUnmerge: 'unmerge' });
  const ns = namespace;
  const currentEntity = (id: string): Promise<string> => currentEntityIn(redis, ns, id);
  const asArray = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
  const call = redisJson;

  return {
    namespace,

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
      const result = await call<{ status: string; survivor?: string; absorbed?: string; restored?: number; later?: [string, string][] | object }>(
        'reverse a merge',
        () => r.dauntlessUnmerge(`${ns}:meta`, ns, mergeId, Date.now()),
      );
      if (result.status === 'unknown') throw new DauntlessError('VALIDATION_FAILED', `No merge ${mergeId} in this graph.`);
      if (result.status === 'already_reversed') {
        throw new DauntlessError('VALIDATION_FAILED', `Merge ${mergeId} was already reversed, and every record it took out is resolved again.`);
      }
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
        resumed: result.status === 'resuming',
      };
    },
    async resolvedAgain(mergeId, recordId) {
      await redis.lrem(`${ns}:merge:${mergeId}:pending`, 0, recordId);
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
  };
}
