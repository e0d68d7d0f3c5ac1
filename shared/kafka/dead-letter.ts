// What a message that cannot be processed becomes: a DeadLetter record
// (schemas/dead-letter.avsc) carrying the original key, value and headers
// byte for byte, where it came from, and why, so a person can fix the cause
// and replay it. Pure; the consumer writes it to the input's *.dlq.v1 topic.
//
// A letter must always be writable, or its partition stops: the dead-letter
// topics take DEAD_LETTER_MAX_BYTES (deploy/topics.ts), twice what an input
// topic takes, so the largest input fits with its envelope. A letter that
// still would not fit (an input topic configured larger, huge headers) is
// reduced: the value is replaced by its SHA-256 and length, and the source
// position says where to read it.
import { createHash } from 'node:crypto';
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
  /** Set only on a reduced letter (originalValue null): the value's SHA-256, hex, and its length. */
  originalValueSha256?: string | null;
  originalValueBytes?: number | null;
};

/** Largest message an input topic takes (max.message.bytes): Kafka's default, about 1 MB. */
export const INPUT_MAX_BYTES = 1_048_588;
/** max.message.bytes of every dead-letter topic: an input's largest message plus its envelope, with room to spare. */
export const DEAD_LETTER_MAX_BYTES = 2 * INPUT_MAX_BYTES;
/** Room left for the Avro framing, the registry header and Kafka's record and batch overhead: all far smaller. */
const ENVELOPE_BYTES = 16 * 1024;
/** A reduced letter keeps the original key and headers only up to these sizes. */
const REDUCED_KEY_BYTES = 1024;
const REDUCED_HEADER_BYTES = 16 * 1024;
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
      // kafkajs reads a header without a value as null: it stays null, not the bytes "null".
      const none = (one as unknown) === null || one === undefined;
      list.push({ key, value: none ? null : Buffer.isBuffer(one) ? one : Buffer.from(String(one)) });
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

const headerBytes = (headers: DeadLetter['originalHeaders']) => headers.reduce((n, h) => n + Buffer.byteLength(h.key) + (h.value?.length ?? 0), 0);

/** An upper bound on a letter's size as a Kafka message, key included (the letter's key is the original key). */
export function deadLetterBytes(letter: DeadLetter): number {
  const strings = [letter.sourceTopic, letter.sourceOffset, letter.errorCode, letter.reason, letter.service, letter.stage].reduce((n, t) => n + Buffer.byteLength(t), 0);
  // The key counts twice: inside the letter, and as the message's key.
  return ENVELOPE_BYTES + 2 * (letter.originalKey?.length ?? 0) + (letter.originalValue?.length ?? 0) + headerBytes(letter.originalHeaders) + strings;
}

/** The letter with its value replaced by a digest, and an oversized key or headers left out; the reason says so. */
export function reducedDeadLetter(letter: DeadLetter): DeadLetter {
  if (letter.originalValueSha256) return letter;
  const value = letter.originalValue;
  const keepKey = (letter.originalKey?.length ?? 0) <= REDUCED_KEY_BYTES;
  const keepHeaders = headerBytes(letter.originalHeaders) <= REDUCED_HEADER_BYTES;
  const left = [`the original value (${value?.length ?? 0} bytes)`, ...(keepKey ? [] : [`key (${letter.originalKey!.length} bytes)`]), ...(keepHeaders ? [] : ['headers'])];
  return {
    ...letter,
    originalKey: keepKey ? letter.originalKey : null,
    originalValue: null,
    originalHeaders: keepHeaders ? letter.originalHeaders : [],
    originalValueSha256: createHash('sha256').update(value ?? Buffer.alloc(0)).digest('hex'),
    originalValueBytes: value?.length ?? 0,
    reason: `${letter.reason} [too large for a dead letter: ${left.join(', ')} left out; originalValueSha256 identifies the value, at ${letter.sourceTopic} partition ${letter.sourcePartition} offset ${letter.sourceOffset}]`,
  };
}

/** The letter as it is when it fits `maxBytes`, else reduced. */
export function fitDeadLetter(letter: DeadLetter, maxBytes: number = DEAD_LETTER_MAX_BYTES): DeadLetter {
  return deadLetterBytes(letter) <= maxBytes ? letter : reducedDeadLetter(letter);
}

/** The broker refused a message as too large (kafkajs names the protocol error by its type, possibly wrapped). */
export function isMessageTooLarge(error: unknown): boolean {
  for (let e = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return false;
}
