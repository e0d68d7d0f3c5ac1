// `dauntless dlq replay`: sends chosen dead letters back to the topic they
// failed on, once the cause is fixed. Each letter's original key, value and
// headers go out byte for byte (so a value keeps its registry wire format and
// schema id), to the partition it was read from. Replaying is safe to repeat:
// the pipeline's writes are idempotent by event id and record id, so a letter
// replayed twice, or one whose first run got half-way, finds what was written
// and writes the rest.
//
// Like `dauntless tail` it reads in a consumer group of its own and commits
// nothing. It reads each dead-letter topic from the beginning to the end it
// had when the command started (the high watermarks are read first), so
// letters written meanwhile wait for the next run, and it always stops.
//
// It prints what a letter is (code, reason, where it came from), never the
// original bytes: those may carry personal data.
//
// Run as the signed-in person: administrators and supervisors
// (mayReplayDeadLetters; nothing it prints names anyone). A dry run is one
// audit entry; a replay writes an entry for each letter (its source position
// and key) before the letter is sent, so the calls taken in again are
// accounted for.
import { mayReplayDeadLetters } from '../../shared/access/access.ts';
import { asSignedInPerson } from './audited-access.ts';
import { findRegistryAuth } from '../../shared/config/credentials.ts';
import type { IHeaders, Kafka } from 'kafkajs';
import { pino } from 'pino';
import { loadEndpoints, type EndpointsOf } from '../../shared/config/endpoints.ts';
import { contractSchema, SCHEMA_FILE } from '../../shared/contracts/contract-schemas.ts';
import { DEAD_LETTER_TOPICS, valueSubject } from '../../shared/contracts/topics.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { deadLetterTopicOf, type DeadLetter } from '../../shared/kafka/dead-letter.ts';
import { COMPRESSIONS, loadCompression, type CompressionName } from '../../shared/kafka/load-compression.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec, type AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { defineCommand, UsageError } from './command.ts';
import { describeFailure } from './describe-failure.ts';
import { forgetGroup, kafkaUnavailable, operatorKafkaSecurity, ownGroupId } from './kafka-cli.ts';
import type { KafkaSecurity } from '../../shared/config/kafka-security.ts';

/** A letter named by its place on its dead-letter topic; no partition: the topic's only one. */
export type LetterOffset = { partition?: number; offset: bigint };

export type ReplayOptions = {
  /** The dead-letter topics to read. */
  topics: readonly string[];
  /** Letters with one of these codes ([]: any code). */
  codes: readonly string[];
  /** Letters at these places ([]: anywhere). Only with one topic. */
  offsets: readonly LetterOffset[];
  /** Set when neither codes nor offsets are: every letter. */
  all: boolean;
  dryRun: boolean;
};

/** Why a chosen letter was not sent; the summary counts each. */
export type SkipKind = 'reduced' | 'header-without-value' | 'not-decoded' | 'other-source' | 'no-source-topic' | 'no-source-partition' | 'not-found';

const SKIP_SUMMARY: Readonly<Record<SkipKind, string>> = {
  reduced: 'reduced: the value is not in the letter',
  'header-without-value': 'a header without a value',
  'not-decoded': 'not decoded',
  'other-source': "source is not the dead-letter topic's input",
  'no-source-topic': 'source topic missing',
  'no-source-partition': 'source partition missing',
  'not-found': 'no letter at that offset',
};

const isDeadLetterTopic = (topic: string) => /\.dlq(\.v\d+)?$/.test(topic);

/** `--offset 12` or `--offset 0:12` (partition:offset). */
export function parseLetterOffset(text: string): LetterOffset {
  const match = /^(?:(\d+):)?(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--offset needs a dead-letter offset, N or PARTITION:N (got ${text})`);
  return { ...(match[1] !== undefined ? { partition: Number(match[1]) } : {}), offset: BigInt(match[2]!) };
}

/** Whether `--offset` names this place on a topic of `partitions` partitions (a bare N: the only partition, 0). */
const names = (o: LetterOffset, partitions: number, at: { partition: number; offset: bigint }) =>
  o.offset === at.offset && (o.partition ?? (partitions === 1 ? 0 : -1)) === at.partition;
const showOffset = ({ partition, offset }: LetterOffset) => (partition === undefined ? `${offset}` : `${partition}:${offset}`);

/** Whether the letter at this place (its code, when it decoded) is one the options choose. Pure. */
export function isChosen(options: Pick<ReplayOptions, 'codes' | 'offsets' | 'all'>, partitions: number, at: { partition: number; offset: bigint }, code: string | undefined): boolean {
  if (options.all) return true;
  // A letter that did not decode has no code to match: it is reported unless an offset leaves it out.
  const codeMatches = options.codes.length === 0 || code === undefined || options.codes.includes(code);
  const offsetMatches = options.offsets.length === 0 || options.offsets.some((o) => names(o, partitions, at));
  return codeMatches && offsetMatches;
}

/** Why the letter read from `topic` cannot go back, or undefined when it can. `sourcePartitions`: how many its source has (undefined: no such topic). Pure. */
export function cannotReplay(topic: string, letter: DeadLetter, sourcePartitions: number | undefined): { kind: SkipKind; why: string } | undefined {
  const source = `${letter.sourceTopic} partition ${letter.sourcePartition} offset ${letter.sourceOffset}`;
  if (letter.originalValue === null && letter.originalValueSha256) {
    return {
      kind: 'reduced',
      why: `a reduced letter: its value (${letter.originalValueBytes ?? '?'} bytes, SHA-256 ${letter.originalValueSha256}) was too large to carry, so it cannot be replayed from the letter; the original is at ${source} while that topic retains it`,
    };
  }
  // A letter goes back only to the input its dead-letter topic belongs to, whatever the letter says.
  if (deadLetterTopicOf(letter.sourceTopic) !== topic) return { kind: 'other-source', why: `its source ${letter.sourceTopic} is not the input of ${topic}; not sent` };
  // kafkajs 2.2.4 cannot write a header whose value is null (it measures the value before checking
  // for null), and an empty value would not be the original: such a letter needs another client.
  const valueless = letter.originalHeaders.find((h) => h.value === null);
  if (valueless) return { kind: 'header-without-value', why: `its header "${valueless.key}" has no value, which this client cannot send as it was; not sent` };
  if (sourcePartitions === undefined) return { kind: 'no-source-topic', why: `its source topic ${letter.sourceTopic} does not exist` };
  if (letter.sourcePartition >= sourcePartitions) return { kind: 'no-source-partition', why: `${letter.sourceTopic} has ${sourcePartitions} partition(s), not partition ${letter.sourcePartition}` };
  return undefined;
}

/** The letter's headers as kafkajs sends them: a key given more than once, as a list in its order. Every value is set (cannotReplay). */
export function headersOf(list: DeadLetter['originalHeaders']): IHeaders {
  // No prototype: a header named __proto__ is a header like any other.
  const headers = Object.create(null) as Record<string, Buffer | Buffer[]>;
  for (const { key, value } of list) {
    const one = value!;
    if (!(key in headers)) headers[key] = one;
    else {
      const was = headers[key]!;
      headers[key] = Array.isArray(was) ? [...was, one] : [was, one];
    }
  }
  return headers as IHeaders;
}

type Read = {
  topic: string;
  partition: number;
  offset: bigint;
  /** Undefined when the letter did not decode. */
  letter?: DeadLetter;
  error?: string;
};

/** Every chosen letter on the topics, from the beginning to the end they had when called, in topic, partition and offset order. */
async function readChosen(kafka: Kafka, codec: Pick<AvroCodec, 'decode'>, options: ReplayOptions, logger: Logger): Promise<{ chosen: Read[]; read: number; notFound: LetterOffset[] }> {
  const admin = kafka.admin();
  await admin.connect();
  // topic -> partition -> [low, high)
  const ends = new Map<string, Map<number, { low: bigint; high: bigint }>>();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = options.topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) throw new Error(`there is no dead-letter topic ${missing.join(', ')} on the brokers: name one that exists with --from`);
    for (const topic of options.topics) {
      ends.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }])));
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  for (const [topic, partitions] of ends) {
    if (partitions.size > 1 && options.offsets.some((o) => o.partition === undefined)) {
      throw new UsageError(`${topic} has ${partitions.size} partitions: name each letter as --offset PARTITION:N`);
    }
  }

  const chosen: Read[] = [];
  // The --offset places a letter was read at, chosen or not (its code may not be one asked for).
  const found = new Set<LetterOffset>();
  let read = 0;
  const pending = new Set<string>();
  for (const [topic, partitions] of ends) for (const [partition, { low, high }] of partitions) if (high > low) pending.add(`${topic}\u0000${partition}`);

  if (pending.size > 0) {
    const groupId = ownGroupId('dlq');
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    let finish!: () => void;
    let fail!: (error: unknown) => void;
    const finished = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
    const reached = (topic: string, partition: number, offset: bigint) => {
      if (offset + 1n >= ends.get(topic)!.get(partition)!.high && pending.delete(`${topic}\u0000${partition}`) && pending.size === 0) finish();
    };
    // A batch of only control or compacted-away records reaches no message, yet may end the partition.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => reached(payload.topic, payload.partition, BigInt(payload.lastOffset)));
    // A consumer kafkajs gave up on would leave the read waiting for ever.
    consumer.on(consumer.events.CRASH, ({ payload }) => void (payload.restart ? undefined : fail(payload.error)));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
      await consumer.run({
        // Nothing is committed: the group holds no offsets, and is deleted when the run ends.
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const offset = BigInt(message.offset);
          const end = ends.get(topic)!.get(partition)!.high;
          if (offset >= end) return;
          read++;
          const partitions = ends.get(topic)!.size;
          for (const o of options.offsets) if (names(o, partitions, { partition, offset })) found.add(o);
          try {
            const { value } = await codec.decode(message.value as Buffer, { subject: valueSubject(topic), reader: contractSchema(SCHEMA_FILE.deadLetter) });
            const letter = value as DeadLetter;
            if (isChosen(options, partitions, { partition, offset }, letter.errorCode)) chosen.push({ topic, partition, offset, letter });
          } catch (error) {
            // A registry that does not answer says nothing about the letter: the run stops rather than skip every one.
            if (error instanceof DauntlessError && error.retriable) return fail(error);
            if (isChosen(options, partitions, { partition, offset }, undefined)) chosen.push({ topic, partition, offset, error: describeFailure(error) });
          }
          reached(topic, partition, offset);
        },
      });
      await finished;
    } finally {
      await consumer.disconnect();
      await forgetGroup(kafka, groupId, logger);
    }
  }

  chosen.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0)));
  return { chosen, read, notFound: options.offsets.filter((o) => !found.has(o)) };
}

/** How many partitions each topic has; a topic that does not exist is left out. */
async function partitionCounts(kafka: Kafka, topics: readonly string[]): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const asked = [...new Set(topics)].filter((topic) => existing.has(topic));
    if (asked.length === 0) return new Map();
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: asked });
    return new Map(metadata.map((t) => [t.name, t.partitions.length]));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export type ReplayDeps = {
  endpoints: EndpointsOf<'kafka' | 'registry'>;
  /** Who it reads and replays as (operatorKafkaSecurity in the command). */
  kafkaSecurity: KafkaSecurity;
  out: NodeJS.WritableStream;
  logger: Logger;
  codec?: AvroCodec;
  /** What the replayed messages are compressed with (default none); the records inside are the originals whatever it is. */
  compression?: CompressionName;
  /** Called before each letter is sent (its audit entry); what it throws stops the replay before the send. */
  beforeSend?: (letter: { deadLetter: string; sourceTopic: string; sourcePartition: number; sourceOffset: string; key: string | null }) => Promise<void>;
};

/** Reads, chooses and replays (or, dry, says what it would); 0 when every chosen letter went back, 1 when one could not or none was chosen. */
export async function replay(options: ReplayOptions, deps: ReplayDeps): Promise<number> {
  const { endpoints, out, logger } = deps;
  const codec = deps.codec ?? createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: findRegistryAuth('dauntless-operator') });
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'dauntless-dlq', logger, security: deps.kafkaSecurity });
  const { chosen, read, notFound } = await readChosen(kafka, codec, options, logger);
  const sources = await partitionCounts(kafka, chosen.flatMap((c) => (c.letter ? [c.letter.sourceTopic] : [])));

  const skipped = new Map<SkipKind, number>();
  const skip = (kind: SkipKind, line: string) => {
    skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
    out.write(`${options.dryRun ? 'would skip' : 'skipped'} ${line}\n`);
  };
  // Offsets are asked for on one topic only (check).
  for (const at of notFound) skip('not-found', `${options.topics[0]} ${showOffset(at)}: no letter there (read from the beginning to the end it had at the start)`);

  const producer = options.dryRun ? undefined : kafka.producer({ allowAutoTopicCreation: false });
  let replayed = 0;
  try {
    await producer?.connect();
    for (const { topic, partition, offset, letter, error } of chosen) {
      const where = `${topic} ${partition}@${offset}`;
      if (!letter) {
        skip('not-decoded', `${where}: not decoded (${error})`);
        continue;
      }
      const head = `${where} ${letter.errorCode}`;
      const refused = cannotReplay(topic, letter, sources.get(letter.sourceTopic));
      if (refused) {
        skip(refused.kind, `${head}: ${refused.why}`);
        continue;
      }
      const to = `${letter.sourceTopic} partition ${letter.sourcePartition}`;
      if (!producer) {
        out.write(`would replay ${head} to ${to} (failed there at offset ${letter.sourceOffset}): ${letter.reason}\n`);
        replayed++;
        continue;
      }
      await deps.beforeSend?.({ deadLetter: where, sourceTopic: letter.sourceTopic, sourcePartition: letter.sourcePartition, sourceOffset: String(letter.sourceOffset), key: letter.originalKey ? Buffer.from(letter.originalKey).toString('utf8') : null });
      let sentAt: string | undefined;
      try {
        const [meta] = await producer.send({
          topic: letter.sourceTopic,
          acks: -1,
          compression: COMPRESSIONS[deps.compression ?? 'none'],
          messages: [{ partition: letter.sourcePartition, key: letter.originalKey, value: letter.originalValue, headers: headersOf(letter.originalHeaders) }],
        });
        sentAt = meta?.baseOffset;
      } catch (cause) {
        throw new Error(`sending ${where} back to ${to} failed (${describeFailure(cause)}) after ${replayed} replayed; running the replay again is safe`, { cause });
      }
      replayed++;
      out.write(`replayed ${head} to ${to}${sentAt === undefined ? '' : ` at offset ${sentAt}`} (failed there at offset ${letter.sourceOffset}): ${letter.reason}\n`);
    }
  } finally {
    await producer?.disconnect().catch(() => undefined);
  }

  const skips = [...skipped.values()].reduce((n, k) => n + k, 0);
  const notChosen = read - chosen.length;
  const from = options.topics.length === 1 ? options.topics[0] : `${options.topics.length} dead-letter topics`;
  const why = skips === 0 ? '' : ` (${[...skipped].map(([kind, n]) => `${n} ${SKIP_SUMMARY[kind]}`).join(', ')})`;
  out.write(
    `${options.dryRun ? 'dry run, nothing sent: would replay' : 'replayed'} ${replayed} of ${read} letter(s) read from ${from}; ` +
      `${options.dryRun ? 'would skip' : 'skipped'} ${skips}${why}; ${notChosen} not chosen\n`,
  );
  return skips === 0 && replayed > 0 ? 0 : 1;
}

export const command = defineCommand({
  name: 'dlq',
  summary: 'dead letters: replay chosen letters to the topic they failed on, once the cause is fixed',
  usage: `dauntless dlq replay (--code CODE... | --offset N... | --all) [--from TOPIC] [--dry-run]`,
  description: `replay: sends the chosen dead letters back to their source topic, each with
its original key, value and headers byte for byte, to the partition it was
read from. Safe to repeat: the pipeline's writes are idempotent by event id.

Reads the dead-letter topics (default all three:
  ${DEAD_LETTER_TOPICS.join(', ')})
from the beginning to the end they had when it started, in a consumer group of
its own, committing nothing. Choose letters by code, by offset on the
dead-letter topic (with --from), or --all; --code and --offset together choose
letters that match both. Prints one line a letter (code, reason, where it came
from; never the original bytes) and a summary.

A reduced letter (its value too large to carry) cannot be replayed from the
letter: it is reported with the source position that holds the original. So
is a letter with a header that has no value, which this Kafka client cannot
send as it was.

Needs \`dauntless login\` as an administrator or a supervisor. A dry run is
written to the s62 audit log as one CONSULTATION (dead-letters.reviewed); a
replay as a COLLECTION entry per letter (dead-letter.replayed: its source
position and key) before it is sent; a refusal too (exit 5).

Exit 0 when every chosen letter went back; 1 when one could not, or none was chosen.`,
  options: {
    from: { type: 'string', value: 'TOPIC', description: 'the dead-letter topic to read (default: all three)' },
    code: { type: 'string', multiple: true, value: 'CODE', description: 'letters with this error code, e.g. PROGRAMMER_ERROR (repeatable)' },
    offset: { type: 'string', multiple: true, value: 'N', description: 'the letter at this offset of the --from topic, or PARTITION:N (repeatable)' },
    all: { type: 'boolean', description: 'every letter' },
    'dry-run': { type: 'boolean', description: 'say what would be sent, and send nothing' },
  },
  positionals: { min: 1, max: 1, what: 'action (replay)' },
  check: ({ values, positionals }): ReplayOptions => {
    const [action] = positionals;
    if (action !== 'replay') throw new UsageError(`unknown action "${action}": the one there is is replay`);
    const from = values.from;
    if (from !== undefined && !isDeadLetterTopic(from)) throw new UsageError(`--from names a dead-letter topic (*.dlq.v1), not ${from}`);
    const codes = values.code.map((code) => code.trim()).filter((code) => code !== '');
    if (codes.length < values.code.length) throw new UsageError('--code needs an error code, e.g. VALIDATION_FAILED');
    const offsets = values.offset.map(parseLetterOffset);
    if (values.all && (codes.length > 0 || offsets.length > 0)) throw new UsageError('--all chooses every letter: give it without --code or --offset');
    if (!values.all && codes.length === 0 && offsets.length === 0) throw new UsageError('choose the letters: --code CODE, --offset N or --all');
    if (offsets.length > 0 && from === undefined) throw new UsageError('an offset names a letter on one dead-letter topic: say which with --from');
    return { topics: from === undefined ? DEAD_LETTER_TOPICS : [from], codes, offsets, all: values.all, dryRun: values['dry-run'] };
  },
  run: (options, io) => asSignedInPerson('dlq', async (access) => {
    const action = options.dryRun ? 'dead-letters.reviewed' : 'dead-letter.replayed';
    const purpose = await access.require(mayReplayDeadLetters(access.user), { kind: options.dryRun ? 'CONSULTATION' : 'COLLECTION', action, subjectIds: [...options.topics] });
    if (options.dryRun) await access.record({ kind: 'CONSULTATION', action, subjectIds: [...options.topics], purpose });
    const beforeSend: ReplayDeps['beforeSend'] = async (letter) =>
      access.record({ kind: 'COLLECTION', action, subjectIds: [`${letter.sourceTopic} ${letter.sourcePartition}@${letter.sourceOffset}`, ...(letter.key ? [letter.key] : [])], purpose, resource: letter.deadLetter });
    const endpoints = loadEndpoints(process.env, { need: ['kafka', 'registry'] });
    const compression = loadCompression();
    const kafkaSecurity = operatorKafkaSecurity();
    // Logs go to standard error: standard output is the report.
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn', base: { service: 'dlq' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
    try {
      return await replay(options, { endpoints, kafkaSecurity, out: io.stdout, logger, compression, beforeSend });
    } catch (error) {
      throw kafkaUnavailable(error, endpoints.kafkaBrokers);
    }
  }),
});
