// Reads the s62 log back for auditors: every entry on audit.v1 from the
// start to the end it had when asked, filtered, newest first. The log lives
// only on its topic (apart from operational data, in no database the
// audited services can write); a search reads it through, which takes
// seconds per million entries. A force with years of entries would index it
// in its own audit store; this is the reader of record.
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { TOPIC } from '../contracts/topics.ts';
import type { AvroCodec } from '../schema-registry/avro-codec.ts';
import type { AuditEntry, AuditKind } from './audit-entry.ts';

export type AuditQuery = { actor?: string; subject?: string; kind?: AuditKind; outcome?: 'DONE' | 'REFUSED'; limit: number };

export function matchesAudit(entry: AuditEntry, query: AuditQuery): boolean {
  if (query.kind && entry.kind !== query.kind) return false;
  if (query.outcome && entry.outcome !== query.outcome) return false;
  if (query.actor && entry.actor.id !== query.actor && entry.actor.username !== query.actor) return false;
  if (query.subject && !entry.subjectIds.includes(query.subject)) return false;
  return true;
}

/** `groupPrefix`: the reader's own consumer groups start with it (the web service's: dauntless-web, as its ACLs allow). */
export async function searchAuditLog({ kafka, codec, query, topic = TOPIC.audit, timeoutMs = 30_000, groupPrefix = 'dauntless-web' }: { kafka: Kafka; codec: Pick<AvroCodec, 'decode'>; query: AuditQuery; topic?: string; timeoutMs?: number; groupPrefix?: string }): Promise<AuditEntry[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; offset: string; low: string }[];
  try {
    ends = (await admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, offset: o.high, low: o.low }));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const remaining = new Set(ends.filter((e) => BigInt(e.offset) > BigInt(e.low)).map((e) => e.partition));
  const found: AuditEntry[] = [];
  if (remaining.size === 0) return found;
  const endOf = new Map(ends.map((e) => [e.partition, BigInt(e.offset)]));
  const consumer = kafka.consumer({ groupId: `${groupPrefix}-audit-search.${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the audit log was not read through within ${timeoutMs} ms`)), timeoutMs);
      consumer.subscribe({ topic, fromBeginning: true }).then(() =>
        consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              if (BigInt(message.offset) >= endOf.get(batch.partition)!) break;
              try {
                const entry = (await codec.decode(message.value as Buffer)).value as AuditEntry;
                if (matchesAudit(entry, query)) found.push(entry);
              } catch {
                // An entry that does not decode is not ours to show; the topic keeps its bytes for inspection.
              }
            }
            const last = batch.messages[batch.messages.length - 1];
            if (!last || BigInt(last.offset) + 1n >= endOf.get(batch.partition)!) remaining.delete(batch.partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        }),
      ).catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return found.sort((a, b) => b.at - a.at).slice(0, query.limit);
}
