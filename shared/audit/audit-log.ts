// Appends s62 entries to audit.v1 (Avro, Confluent wire format, key the entry
// id), apart from operational data. An entry is written before the data it
// records is handed over: if the log cannot be written, the caller refuses
// (a consultation nobody can account for must not happen).
import type { Producer } from 'kafkajs';
import { TOPIC, valueSubject } from '../contracts/topics.ts';
import type { AvroCodec } from '../schema-registry/avro-codec.ts';
import { auditEntry, type AuditEntry, type AuditInput } from './audit-entry.ts';

export type AuditLog = {
  /** Appends the entries (acks from every in-sync replica) and returns them as written. */
  record(...inputs: AuditInput[]): Promise<AuditEntry[]>;
};

export function createAuditLog({ producer, codec, topic = TOPIC.audit }: { producer: Pick<Producer, 'send'>; codec: Pick<AvroCodec, 'encode'>; topic?: string }): AuditLog {
  const subject = valueSubject(topic);
  return {
    async record(...inputs) {
      const entries = inputs.map((input) => auditEntry(input));
      if (entries.length === 0) return entries;
      const messages = await Promise.all(entries.map(async (entry) => ({ key: entry.entryId, value: await codec.encode(subject, entry) })));
      await producer.send({ topic, acks: -1, messages });
      return entries;
    },
  };
}
