// The fields people were recorded with (names, dates of birth), read back
// from the identity graph for those entitled to see them: the web app joins
// them per user, while intelligence on Kafka stays id-only. Not the hot path.
import type { Redis } from 'ioredis';
import type { PersonFields, PersonRecord } from '../er/identity-store.ts';
import { currentEntityIn } from './redis-identity-store.ts';
import { redisCall } from '../redis/redis-call.ts';

export type PersonName = {
  entityId: string;
  /** The name as most recently recorded ("" when no record gave one). */
  name: string;
  /** Other names and spellings the person was recorded with. */
  otherNames: string[];
  dob: string | null;
};

export type PersonRecordRow = { recordId: string; source: string; fields: PersonFields };

const nameOf = (fields: PersonFields): string =>
  (fields.full_name?.trim() || [fields.given_name, fields.family_name].filter(Boolean).join(' ')).replace(/\s+/g, ' ').trim();

/** The records of an entity as stored, newest first (at most `limit`). */
export async function recordsOf(redis: Redis, namespace: string, entityId: string, limit = 50): Promise<PersonRecordRow[]> {
  const current = await currentEntityIn(redis, namespace, entityId);
  const ids = await redisCall('read members', () => redis.zrevrange(`${namespace}:ent:${current}:members`, 0, limit - 1));
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hget(`${namespace}:rec:${id}`, 'record');
  const rows = (await redisCall('read records', () => pipeline.exec())) ?? [];
  const records: PersonRecordRow[] = [];
  rows.forEach(([, text], i) => {
    if (typeof text !== 'string') return;
    try {
      const record = JSON.parse(text) as PersonRecord;
      records.push({ recordId: ids[i]!, source: record.source, fields: record.fields ?? {} });
    } catch {
      // A record stored without its fields names nobody; the page shows the id.
    }
  });
  return records;
}

/** Each entity's name as most recently recorded, with its other spellings: for the people entitled to see them. */
export async function namesOf(redis: Redis, namespace: string, entityIds: readonly string[]): Promise<Map<string, PersonName>> {
  const names = new Map<string, PersonName>();
  await Promise.all(
    [...new Set(entityIds)].map(async (entityId) => {
      const records = await recordsOf(redis, namespace, entityId, 10);
      const spellings = [...new Set(records.map((r) => nameOf(r.fields)).filter(Boolean))];
      names.set(entityId, { entityId, name: spellings[0] ?? '', otherNames: spellings.slice(1), dob: records.find((r) => r.fields.dob)?.fields.dob ?? null });
    }),
  );
  return names;
}
