// What a message that cannot be processed becomes: a DeadLetter record
// (schemas/dead-letter.avsc) carrying the original key, value and headers
// byte for byte, where it came from, and why, so a person can fix the cause
// and replay it. Pure; the consumer writes it to the input's *.dlq.v1 topic.
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DauntlessError } from '../errors/dauntless-error.ts';
import type { CompressionName } from './load-compression.ts';

export type DeadLetter = {
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  originalKey: Buffer | null;
  originalValue: Buffer | null;
  originalHeaders: { key: string; value: Buffer | null }[];
  errorCode: string;
  reason: string;
  failedAt: number;
  service: string;
  stage: string;
};

/**
 * The codec dead letters are written with, whatever DAUNTLESS_KAFKA_COMPRESSION
 * says: a letter carries a whole original message and its reason, and is read
 * by whatever tool a person replays it with; gzip is the codec every Kafka
 * client reads with nothing added (plain kafkajs included). Letters are rare,
 * so its speed does not matter.
 */
export const DEAD_LETTER_COMPRESSION: CompressionName = 'gzip';

/** The dead-letter topic of an input topic: `cad.incidents.v1` → `cad.incidents.dlq.v1`. */
export function deadLetterTopicOf(topic: string): string {
  const match = /^(.*)\.(v\d+)$/.exec(topic);
  return match ? `${match[1]}.dlq.${match[2]}` : `${topic}.dlq`;
}

function headerList(headers: IHeaders | undefined): DeadLetter['originalHeaders'] {
  const list: DeadLetter['originalHeaders'] = [];
  for (const [key, value] of Object.entries(headers ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) {
      list.push({ key, value: one === undefined ? null : Buffer.isBuffer(one) ? one : Buffer.from(String(one)) });
    }
  }
  return list;
}

export function toDeadLetter({
  topic,
  partition,
  message,
  error,
  service,
  stage,
  now,
}: {
  topic: string;
  partition: number;
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;
  error: unknown;
  service: string;
  stage: string;
  now: number;
}): DeadLetter {
  const known = error instanceof DauntlessError;
  return {
    sourceTopic: topic,
    sourcePartition: partition,
    sourceOffset: message.offset,
    originalKey: message.key ?? null,
    originalValue: message.value ?? null,
    originalHeaders: headerList(message.headers),
    errorCode: known ? error.code : 'UNEXPECTED',
    // Our messages name fields, not people; a foreign error's text may quote
    // the data, so only its type is kept.
    reason: known ? error.message : `unexpected ${(error as Error)?.name ?? typeof error} while processing`,
    failedAt: now,
    service,
    stage,
  };
}
