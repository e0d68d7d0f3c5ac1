// `dauntless tail <intel|topfive|alerts|graph|dlq|incidents|TOPIC>`: watch a topic live
// (`dlq`: every dead-letter topic at once), each value decoded through the
// schema registry. Pre-arrival intelligence
// prints as a dispatcher reads it (intel-format.ts); everything else, and
// everything with --json, as one JSON object per line.
//
// It reads in a consumer group of its own, fresh each run, and never commits
// an offset, so it cannot move a real group's position and leaves nothing
// behind. A dead letter prints its code, reason and where it came from,
// never the original bytes. A message that will not decode is reported
// (on standard error, or as a JSON line with `error`) and the tail goes on.
//
// Run as the signed-in person, allowed by what the topic shows (mayTailTopic:
// intelligence for the control room, top fives and alerts for leads, dead
// letters for administrators and supervisors, calls and any other topic for a
// supervisor with --purpose); the watch is audited before it starts, and each
// message shown is an entry of its own (its key and position) before it prints.
import { mayTailTopic, type TopicContent } from '../../shared/access/access.ts';
import { asSignedInPerson } from './audited-access.ts';
import { findRegistryAuth } from '../../shared/config/credentials.ts';
import type { Writable } from 'node:stream';
import type { KafkaMessage } from 'kafkajs';
import { pino } from 'pino';
import { loadEndpoints, type EndpointsOf } from '../../shared/config/endpoints.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec, type AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { formatIntelligence, useColour } from '../../shared/format/intel-format.ts';
import { DEAD_LETTER_TOPICS, TOPIC } from '../../shared/contracts/topics.ts';
import { defineCommand, UsageError } from './command.ts';
import { forgetGroup, kafkaUnavailable, operatorKafkaSecurity, ownGroupId } from './kafka-cli.ts';
import type { KafkaSecurity } from '../../shared/config/kafka-security.ts';

export const TAIL_TOPICS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  intel: [TOPIC.intelligence],
  topfive: [TOPIC.topFive],
  alerts: [TOPIC.alerts],
  graph: [TOPIC.graphEvents],
  dlq: DEAD_LETTER_TOPICS,
  incidents: [TOPIC.incidents],
});

/** What the topics show, for who may watch them: the most revealing of them decides. Pure. */
export function contentOf(topics: readonly string[]): TopicContent {
  const kinds = topics.map((topic): TopicContent =>
    topic === TOPIC.intelligence ? 'intelligence' : topic === TOPIC.topFive || topic === TOPIC.alerts ? 'boards' : (DEAD_LETTER_TOPICS as readonly string[]).includes(topic) ? 'dead-letters' : 'personal');
  return kinds.includes('personal') ? 'personal' : kinds.every((k) => k === kinds[0]) ? kinds[0]! : 'personal';
}

export type TailOptions = {
  /** Read together; each line names the topic it came from. */
  topics: readonly string[];
  fromBeginning: boolean;
  json: boolean;
  /** Stop after this many messages; undefined: until stopped. */
  max: number | undefined;
  /** Why, for topics that show people whole (recorded). */
  purpose?: string | undefined;
};

const INTELLIGENCE_SCHEMA = 'uk.police.dauntless.dispatch.PreArrivalIntelligence';
const DEAD_LETTER_SCHEMA = 'uk.police.dauntless.ops.DeadLetter';

/** The full name of the Avro record a decoded value was read as (avsc record classes carry their type), if any. */
function schemaNameOf(value: unknown): string | undefined {
  const type = (value as { constructor?: { getType?: () => { name?: string } } } | null)?.constructor?.getType?.();
  return typeof type?.name === 'string' ? type.name : undefined;
}

function isIntelligence(topic: string, value: unknown): boolean {
  return schemaNameOf(value) === INTELLIGENCE_SCHEMA || (schemaNameOf(value) === undefined && topic === TOPIC.intelligence);
}

function isDeadLetter(topic: string, value: unknown): boolean {
  return schemaNameOf(value) === DEAD_LETTER_SCHEMA || (schemaNameOf(value) === undefined && /\.dlq(\.v\d+)?$/.test(topic));
}

/** A dead letter without the original key, value and headers: those may carry personal data, and the reason says what went wrong. */
function deadLetterSummary(letter: Record<string, unknown>): Record<string, unknown> {
  const { originalKey: _key, originalValue: _value, originalHeaders: _headers, ...rest } = letter;
  return rest;
}

// Bytes print as base64 rather than as JSON's array of numbers.
function jsonReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return Buffer.isBuffer(raw) ? { base64: raw.toString('base64') } : value;
}

export type TailedMessage = { topic: string; partition: number; message: Pick<KafkaMessage, 'key' | 'offset' | 'timestamp'> };

/** How one decoded message prints. Pure. */
export function formatTailed({ topic, partition, message }: TailedMessage, value: unknown, { json, colour }: { json: boolean; colour: boolean }): string {
  if (!json && isIntelligence(topic, value)) return formatIntelligence(value as PreArrivalIntelligence, { colour }) + '\n';
  const shown = isDeadLetter(topic, value) ? deadLetterSummary(value as Record<string, unknown>) : value;
  const line = { topic, partition, offset: message.offset, key: message.key?.toString() ?? null, timestamp: Number(message.timestamp), value: shown };
  return JSON.stringify(line, jsonReplacer) + '\n';
}

export type TailDeps = {
  endpoints: EndpointsOf<'kafka' | 'registry'>;
  /** Who it reads as (operatorKafkaSecurity in the command). */
  kafkaSecurity: KafkaSecurity;
  out: Writable;
  err: Writable;
  logger: Logger;
  /** Colour intelligence (default: off). */
  colour?: boolean;
  /** Aborting it stops the tail cleanly. */
  signal?: AbortSignal;
  codec?: AvroCodec;
  /** Called before each message prints (its audit entry); what it throws stops the tail before the message shows. */
  beforeShow?: (message: TailedMessage) => Promise<void>;
};

/** Tails the topics until `max` messages have printed or the signal aborts; 0 when stopped cleanly, 1 when a topic does not exist. */
export async function tail(options: TailOptions, deps: TailDeps): Promise<number> {
  const { endpoints, out, err, logger } = deps;
  const codec = deps.codec ?? createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: findRegistryAuth('dauntless-operator') });
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'dauntless-tail', logger, security: deps.kafkaSecurity });

  const admin = kafka.admin();
  await admin.connect();
  let topics: string[];
  try {
    topics = await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
  const missing = options.topics.filter((topic) => !topics.includes(topic));
  if (missing.length > 0) {
    const ours = Object.entries(TAIL_TOPICS).map(([alias, names]) => `${alias} (${names.join(', ')})`).join(', ');
    const absent = missing.length === 1 ? `no topic "${missing[0]}"` : `no topics ${missing.map((topic) => `"${topic}"`).join(', ')}`;
    err.write(`dauntless tail: there is ${absent} on ${endpoints.kafkaBrokers.join(',')}. Name one of ${ours}, or a topic that exists.\n`);
    return 1;
  }

  const groupId = ownGroupId('tail');
  // A short fetch wait: a message shows within tens of ms, not kafkajs's default 5 s.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, allowAutoTopicCreation: false });
  let printed = 0;
  let failure: unknown;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const onAbort = () => finish();
  if (deps.signal?.aborted) finish();
  deps.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
    await consumer.run({
      // Nothing is committed: the group holds no offsets, so it vanishes when this run ends.
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        if (options.max !== undefined && printed >= options.max) return;
        let text: string;
        try {
          const { value } = await codec.decode(message.value as Buffer);
          text = formatTailed({ topic, partition, message }, value, { json: options.json, colour: deps.colour ?? false });
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'UNEXPECTED';
          const reason = (error as Error).message;
          if (options.json) text = JSON.stringify({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, error: { code, reason } }) + '\n';
          else {
            err.write(`dauntless tail: ${topic}/${partition}@${message.offset} not decoded (${code}): ${reason}\n`);
            text = '';
          }
        }
        printed++;
        if (text && deps.beforeShow) {
          try {
            await deps.beforeShow({ topic, partition, message });
          } catch (error) {
            // Not shown: the tail ends with the failure, rather than kafkajs retrying the message.
            failure ??= error;
            finish();
            return;
          }
        }
        // Wait for a slow reader, unless the tail is stopping (a closed pipe never drains).
        if (text && !out.write(text)) await Promise.race([new Promise((resolve) => out.once('drain', resolve)), finished]);
        if (options.max !== undefined && printed >= options.max) finish();
      },
    });
    await finished;
    if (failure) throw failure;
    return 0;
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
    await consumer.disconnect();
    await forgetGroup(kafka, groupId, logger);
  }
}

export const command = defineCommand({
  name: 'tail',
  summary: 'watch a topic live, decoded: pre-arrival intelligence as a dispatcher reads it, or JSON lines',
  usage: 'dauntless tail <intel|topfive|alerts|graph|dlq|incidents|TOPIC> [--from-beginning] [--json] [--max N]',
  description: `Prints each message of a topic as it arrives, decoded with the schema registry.

  intel             dispatch.intel.v1: pre-arrival intelligence, as a dispatcher reads it
  topfive           dauntless.topfive.v1: top five perpetrators per borough
  alerts            dauntless.alerts.v1: alerts for a borough (a perpetrator released from custody)
  graph             graph.events.v1: each event recorded on the identity graph, for the scorer
  dlq               every dead-letter topic (cad.incidents.dlq.v1, justice.events.dlq.v1,
                    graph.events.dlq.v1): code, reason, source; not the bytes
  incidents         cad.incidents.v1: incidents from call handling
  TOPIC             any other topic by name

Needs \`dauntless login\`: intel for call handlers, dispatchers and supervisors;
topfive and alerts for leads and supervisors; dlq for administrators and
supervisors; incidents, graph and any other topic for a supervisor with
--purpose. The watch and each message shown are written to the s62 audit
log (CONSULTATION topic.watched, message.shown), a refusal too (exit 5).

Each line says which topic it came from (with --json, its "topic"). Reads in a
consumer group of its own and commits nothing. Ctrl-C stops it.`,
  options: {
    'from-beginning': { type: 'boolean', description: 'start at the oldest message kept, not at the next one to arrive' },
    json: { type: 'boolean', description: 'one JSON object per line: topic, partition, offset, key, timestamp, value' },
    max: { type: 'string', value: 'N', description: 'stop after N messages' },
    purpose: { type: 'string', value: 'TEXT', description: 'why you watch raw records (incidents, graph, other topics);\nat least 10 characters, recorded in the audit log' },
  },
  positionals: { min: 0, max: Infinity, what: 'topic' },
  check: ({ values, positionals }): TailOptions => {
    const [target, second] = positionals;
    if (second !== undefined) throw new UsageError(`one topic at a time: "${target}" and then "${second}"`);
    if (!target) throw new UsageError('name what to tail: intel, topfive, alerts, graph, dlq, incidents or a topic');
    const text = values.max;
    if (text !== undefined && (!/^\d+$/.test(text) || Number(text) < 1)) throw new UsageError(`--max needs a whole number of messages, 1 or more (got ${text})`);
    return { topics: Object.hasOwn(TAIL_TOPICS, target) ? TAIL_TOPICS[target]! : [target], fromBeginning: values['from-beginning'], json: values.json, max: text === undefined ? undefined : Number(text), purpose: values.purpose };
  },
  run: (options, io) => asSignedInPerson('tail', async (access) => {
    const purpose = await access.require(mayTailTopic(access.user, contentOf(options.topics), options.purpose), { kind: 'CONSULTATION', action: 'topic.watched', subjectIds: [...options.topics] });
    await access.record({ kind: 'CONSULTATION', action: 'topic.watched', subjectIds: [...options.topics], purpose });
    const beforeShow = ({ topic, partition, message }: TailedMessage) =>
      access.record({ kind: 'CONSULTATION', action: 'message.shown', subjectIds: message.key ? [message.key.toString()] : [], purpose, resource: `${topic} ${partition}@${message.offset}` });
    const endpoints = loadEndpoints(process.env, { need: ['kafka', 'registry'] });
    const kafkaSecurity = operatorKafkaSecurity();
    // Logs go to standard error: standard output is the feed.
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn', base: { service: 'tail' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // `dauntless tail intel | head` closes the pipe: stop rather than die on EPIPE.
    const onOutError = () => stop.abort();
    io.stdout.on('error', onOutError);
    try {
      return await tail(options, { endpoints, kafkaSecurity, out: io.stdout, err: io.stderr, logger, colour: useColour(io.stdout as Writable & { isTTY?: boolean }), signal: stop.signal, beforeShow });
    } catch (error) {
      throw kafkaUnavailable(error, endpoints.kafkaBrokers);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      io.stdout.off('error', onOutError);
    }
  }),
});
