// Rectification of one person record (Data Protection Act 2018 Part 3, s46;
// docs/SECURITY.md "Rectification"): the corrected record becomes the
// record's content, and the record is resolved again from its corrected
// features and blocking keys. It may stay with its person, leave for
// another, or found a person of its own.
//
// Two steps, as an unmerge (reverse-merge.ts): correct.lua takes the record
// off its entity and stores the correction, atomically, and puts it on the
// pending list; resolveRecord places it again; only then does it leave the
// list. A crash between the two leaves the record pending and on no entity:
// correcting it again, or resumeCorrections (the web service runs it at
// start), resolves it. A record placed just before a crash is on an entity
// and is only taken off the list, never resolved twice.
//
// Keys, under the graph's namespace `ns`:
//   ns:corrections:pending  list  records taken off their entity for a correction, until each is on one again
//   ns:rec:<id>             hash  also correctedAt (ms), and while pending correctedFrom, correctionEntity
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { entityIdFor, type IdentityStore, type PersonRecord } from '../er/identity-store.ts';
import { featuresOf } from '../er/features.ts';
import type { PersonModel } from '../er/model.ts';
import { EMPTY_REGISTER, withoutRefuges, type RefugeRegister } from '../er/refuges.ts';
import { resolveRecord, type ResolutionResult } from '../er/resolve-record.ts';
import { defineLuaCommands } from '../redis/lua-scripts.ts';
import { redisCall, redisJson } from '../redis/redis-call.ts';
import type { EventFacts } from './incident-graph.ts';
import { currentEntityIn } from './redis-identity-store.ts';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');

export type StoredRecord = {
  record: PersonRecord;
  /** The entity it belongs to now (undefined while it is off every entity: pending a correction or an unmerge). */
  entityId: string | undefined;
  /** The event it came from, if any. */
  eventId: string | undefined;
  /** "Today" as the resolver had it for this record (the call's or justice event's time): ages and two-digit years read the same. */
  referenceDate: Date;
};

export type CorrectionResult = {
  recordId: string;
  /** The entity the record belonged to before. */
  before: string;
  /** Where it is now, and how it got there. */
  after: string;
  resolution: ResolutionResult;
  /** A refuge's phone or address in the correction was withheld, as the resolver withholds it (shared/er/refuges.ts). */
  refugeWithheld: boolean;
  /** The correction finished one a run had begun (the record was pending). */
  resumed: boolean;
};

export type RecordCorrections = {
  /** The record as stored, or undefined when the graph has no record of that id (or none kept with its fields). */
  read(recordId: string): Promise<StoredRecord | undefined>;
  /** Stores the correction and resolves the record again. Throws VALIDATION_FAILED for a record not in the graph. */
  correct(recordId: string, corrected: PersonRecord): Promise<CorrectionResult>;
  /** Resolves every record a correction took off and did not place again (a crash between the two steps). */
  resumePending(): Promise<CorrectionResult[]>;
};

type Commands = Redis & { dauntlessCorrect(metaKey: string, ...args: (string | number)[]): Promise<string> };

/** The moment an event happened, as its facts keep it. */
export function eventTime(facts: EventFacts): number {
  return facts.kind === 'incident' ? facts.receivedAt : facts.occurredAt;
}

export function createRecordCorrections({
  redis,
  namespace: ns,
  store,
  model,
  refuges = async () => EMPTY_REGISTER,
  now = Date.now,
}: {
  redis: Redis;
  namespace: string;
  /** The identity store the record is resolved again with (a fresh one: no mirror of a graph it did not write alone). */
  store: IdentityStore;
  model: PersonModel;
  /** The refuge register as it stands (refuge-register.ts). */
  refuges?: () => Promise<RefugeRegister>;
  now?: () => number;
}): RecordCorrections {
  defineLuaCommands(redis, LUA_DIR, { dauntlessCorrect: 'correct' });
  const pendingKey = `${ns}:corrections:pending`;

  async function read(recordId: string): Promise<StoredRecord | undefined> {
    const [text, entity, at] = await redisCall('read a record', () => redis.hmget(`${ns}:rec:${recordId}`, 'record', 'entity', 'at'));
    if (!text || text === 'null') return undefined;
    const eventId = (await redisCall('read a record', () => redis.hget(`${ns}:recevt`, recordId))) ?? undefined;
    const facts = eventId ? await redisCall('read an event', () => redis.hget(`${ns}:evt:${eventId}`, 'facts')) : null;
    const when = facts ? eventTime(JSON.parse(facts) as EventFacts) : Number(at ?? now());
    return {
      record: JSON.parse(text) as PersonRecord,
      entityId: entity ? await currentEntityIn(redis, ns, entity) : undefined,
      eventId,
      referenceDate: new Date(Number.isFinite(when) ? when : now()),
    };
  }

  async function resolveAgain(stored: StoredRecord, newEntityId: string): Promise<ResolutionResult> {
    const features = featuresOf(stored.record, { referenceDate: stored.referenceDate });
    const resolution = await resolveRecord(stored.record, { store, model, referenceDate: stored.referenceDate, features, newEntityId });
    // Placed: off the pending list, and the marks only a pending record needs go.
    await redisCall('finish a correction', async () => {
      await redis.lrem(pendingKey, 0, stored.record.recordId);
      await redis.hdel(`${ns}:rec:${stored.record.recordId}`, 'correctedFrom', 'correctionEntity');
    });
    return resolution;
  }

  return {
    read,
    async correct(recordId, corrected) {
      const stored = await read(recordId);
      if (!stored) throw new DauntlessError('VALIDATION_FAILED', `No record ${recordId} in this graph.`);
      // A refuge's phone or address never reaches the graph, corrected or not.
      const features = featuresOf(corrected, { referenceDate: stored.referenceDate });
      const withheld = withoutRefuges({ ...corrected, recordId }, features, await refuges(), stored.referenceDate);
      const record = withheld.record;
      const reply = await redisJson<{ status: string; previous?: string; newEntityId?: string }>('take a record off its entity for a correction', () =>
        (redis as Commands).dauntlessCorrect(`${ns}:meta`, ns, recordId, JSON.stringify(record), now(), entityIdFor(recordId), entityIdFor(`${recordId}#corrected:${randomUUID()}`)),
      );
      if (reply.status === 'unknown') throw new DauntlessError('VALIDATION_FAILED', `No record ${recordId} in this graph.`);
      if (reply.status === 'unresolved') throw new DauntlessError('VALIDATION_FAILED', `Record ${recordId} is on no person while a merge it was in is undone: finish the unmerge first.`);
      const resumed = stored.entityId === undefined;
      const before = reply.previous ?? stored.entityId ?? '';
      const resolution = await resolveAgain({ ...stored, record }, reply.newEntityId ?? entityIdFor(recordId));
      return { recordId, before, after: resolution.entityId, resolution, refugeWithheld: withheld.removed.phones + withheld.removed.addresses > 0, resumed };
    },
    async resumePending() {
      const results: CorrectionResult[] = [];
      for (const recordId of await redisCall('read pending corrections', () => redis.lrange(pendingKey, 0, -1))) {
        const [previous, newEntityId] = await redisCall('read a pending correction', () => redis.hmget(`${ns}:rec:${recordId}`, 'correctedFrom', 'correctionEntity'));
        const stored = await read(recordId);
        if (!stored || stored.entityId !== undefined) {
          // Placed before a crash (or erased since): only the list is behind.
          await redisCall('finish a correction', () => redis.lrem(pendingKey, 0, recordId));
          continue;
        }
        const resolution = await resolveAgain(stored, newEntityId ?? entityIdFor(recordId));
        results.push({ recordId, before: previous ?? '', after: resolution.entityId, resolution, refugeWithheld: false, resumed: true });
      }
      return results;
    },
  };
}
