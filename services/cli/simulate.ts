// `dauntless simulate`: a synthetic London domestic-abuse call stream sent to
// Kafka at a steady rate (shared/synth/call-stream.ts, sent by
// shared/synth/produce-calls.ts), with the truth of every call written
// beside it as JSON lines: which population person each party really is, the
// relationship, whether the call is a counter-allegation. Progress goes to
// standard error; the last line on standard output is one JSON object with
// the figures. Logs carry ids and counts, never names or phone numbers.
import { findRegistryAuth } from '../../shared/config/credentials.ts';
import { mkdir, open } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { pino } from 'pino';
import { loadEndpoints, stackDir } from '../../shared/config/endpoints.ts';
import type { KafkaSecurity } from '../../shared/config/kafka-security.ts';
import { operatorKafkaSecurity } from './kafka-cli.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { loadCompression, type CompressionName } from '../../shared/kafka/load-compression.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createCallStream, DEFAULT_PERSONS } from '../../shared/synth/call-stream.ts';
import { produceCalls, type CallClock } from '../../shared/synth/produce-calls.ts';
import { TOPIC } from '../../shared/contracts/topics.ts';
import { argsOf, defineCommand, UsageError, type Parsed } from './command.ts';

const DAY_MS = 86_400_000;
const DEFAULT_SPAN_DAYS = 548; // 18 months: enough history for "the last 12 months" to differ from "ever"
const DEFAULT_TOPIC = TOPIC.incidents;
/** More than a local broker takes from one producer; a typo guard, not a limit of the model. */
const MAX_RATE = 100_000;

export type SimulateOptions = {
  rate: number;
  durationSeconds: number;
  seed: string;
  persons: number;
  truthFile: string;
  clock: CallClock;
  spanDays: number;
  topic: string;
  noise: number;
};

export const command = defineCommand({
  name: 'simulate',
  summary: 'send a synthetic London call stream to Kafka at a steady rate, with the truth in a side file',
  usage: `dauntless simulate --rate R --duration S [--seed N] [--persons N] [--truth FILE]
                          [--clock live|simulated] [--span-days D] [--topic T] [--noise X]`,
  description: `Sends a synthetic London call stream (repeat victims, serial perpetrators,
counter-allegations, non-violent abuse; every detail typed differently from
call to call) to Kafka at R calls a second for S seconds, and writes the truth
of every call sent to FILE as JSON lines. ALL DATA SYNTHETIC.`,
  options: {
    rate: { type: 'string', value: 'R', description: 'calls per second (> 0)' },
    duration: { type: 'string', value: 'S', description: 'seconds to send for (> 0); R × S calls in all' },
    seed: { type: 'string', value: 'N', description: 'any string or number; the same seed gives the same calls (default: from the clock, printed)' },
    persons: { type: 'string', value: 'N', description: `size of the synthetic population (default ${DEFAULT_PERSONS.toLocaleString('en-GB')})` },
    truth: { type: 'string', value: 'FILE', description: 'where to write the truth (default .stack/simulate-truth.jsonl)' },
    clock: {
      type: 'string',
      value: 'live|simulated',
      description: 'live: calls are received now, as they are sent (default)\nsimulated: the calls are a history spread over the --span-days before now, sent at R a second',
    },
    'span-days': { type: 'string', value: 'D', description: `days of history for --clock simulated (default ${DEFAULT_SPAN_DAYS}, about 18 months)` },
    topic: { type: 'string', value: 'T', default: DEFAULT_TOPIC, description: 'topic to send to; it must exist, with its value schema registered' },
    noise: { type: 'string', value: 'X', description: 'how badly details are typed: 0 = perfectly, 1 = realistic (default), 2 = a bad night' },
  },
  positionals: { min: 0, max: 0, what: 'argument' },
  check: (parsed): SimulateOptions => simulateOptions(parsed, Date.now()),
  run: (options) => simulate(options),
});

/** Checks the values; a usage error says what to change. `nowMs` seeds the default seed. */
function simulateOptions({ values }: Parsed<typeof command.options>, nowMs: number): SimulateOptions {
  const number = (name: 'rate' | 'duration' | 'persons' | 'span-days' | 'noise', what: string, ok: (n: number) => boolean): number | undefined => {
    const text = values[name];
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`--${name} ${text}: give ${what}`);
    return n;
  };
  const rate = number('rate', `a number of calls per second > 0 and ≤ ${MAX_RATE}`, (n) => n > 0 && n <= MAX_RATE);
  const durationSeconds = number('duration', 'a number of seconds > 0', (n) => n > 0);
  if (rate === undefined) throw new UsageError('--rate is required: calls per second, e.g. --rate 50');
  if (durationSeconds === undefined) throw new UsageError('--duration is required: seconds to send for, e.g. --duration 60');
  if (Math.round(rate * durationSeconds) < 1) throw new UsageError(`--rate ${rate} for --duration ${durationSeconds} is less than one call: raise either`);
  const clock = values.clock ?? 'live';
  if (clock !== 'live' && clock !== 'simulated') throw new UsageError(`--clock ${clock}: give live (received now) or simulated (a history over --span-days)`);
  const spanDays = number('span-days', 'a number of days > 0', (n) => n > 0);
  if (spanDays !== undefined && clock === 'live') throw new UsageError('--span-days spreads a simulated history: add --clock simulated, or leave --span-days out');
  const persons = number('persons', 'a whole number of people ≥ 100', (n) => Number.isInteger(n) && n >= 100);
  const noise = number('noise', 'a number ≥ 0 (0 = typed perfectly, 1 = realistic, 2 = a bad night)', (n) => n >= 0);
  const topic = values.topic;
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) throw new UsageError(`--topic "${topic}" is not a Kafka topic name (letters, digits, . _ -)`);
  if (values.seed !== undefined && values.seed.trim() === '') throw new UsageError('--seed needs a value: any string or number');
  return {
    rate,
    durationSeconds,
    seed: values.seed ?? String(nowMs % 1_000_000),
    persons: persons ?? DEFAULT_PERSONS,
    truthFile: resolve(values.truth ?? join(stackDir(), 'simulate-truth.jsonl')),
    clock,
    spanDays: spanDays ?? DEFAULT_SPAN_DAYS,
    topic,
    noise: noise ?? 1,
  };
}

/** Reads and checks the arguments; a usage error says what to change. `nowMs` seeds the default seed. */
export function parseSimulateArgs(args: string[], nowMs: number = Date.now()): SimulateOptions {
  return simulateOptions(argsOf(command, args), nowMs);
}

async function simulate(options: SimulateOptions): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`dauntless simulate: ${message}\n`);
    return 1;
  };

  let endpoints;
  let compression: CompressionName;
  let kafkaSecurity: KafkaSecurity;
  try {
    endpoints = loadEndpoints(process.env, { need: ['kafka', 'registry'] });
    compression = loadCompression();
    kafkaSecurity = operatorKafkaSecurity();
  } catch (error) {
    return fail((error as Error).message);
  }
  // Logs to standard error: standard output carries only the summary line.
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn', base: { service: 'simulate' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'dauntless-simulate', logger, security: kafkaSecurity });

  // The topic must exist (auto-creation is off): say so now rather than after kafkajs's retries.
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [options.topic] });
  } catch (error) {
    const message = (error as Error).message;
    return fail(/does not host this topic|unknown topic/i.test(message)
      ? `topic ${options.topic} does not exist: create it (npm run stack:up creates ${DEFAULT_TOPIC}) or name another with --topic`
      : `Kafka at ${endpoints.kafkaBrokers.join(',')} did not answer (${message}); is the stack up? (npm run stack:status)`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }

  const nowMs = Date.now();
  const total = Math.round(options.rate * options.durationSeconds);
  const spanMs = options.spanDays * DAY_MS;
  process.stderr.write(`building a population of ${options.persons} (seed ${options.seed}) ...\n`);
  const stream = createCallStream({
    seed: options.seed,
    persons: options.persons,
    asOf: new Date(nowMs),
    noise: options.noise,
    horizonCalls: total,
    // A run of its own: two runs never share an incident id (the resolver would take the second for a replay).
    runId: Math.floor(nowMs / 1000).toString(36),
    ...(options.clock === 'live'
      ? { start: new Date(nowMs), rate: options.rate }
      : { start: new Date(nowMs - spanMs), meanGapMs: spanMs / total }),
  });

  await mkdir(dirname(options.truthFile), { recursive: true });
  const file = await open(options.truthFile, 'w');
  const truth = file.createWriteStream({ encoding: 'utf8' });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let sent = 0;
  const started = performance.now();
  const progress = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`\rsent ${sent} of ${total} calls (${Math.round(sent / seconds)}/s)`);
  }, 1000);
  progress.unref();
  try {
    await producer.connect();
    const result = await produceCalls({
      producer,
      codec: createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: findRegistryAuth('dauntless-operator') }),
      topic: options.topic,
      compression,
      stream,
      rate: options.rate,
      count: total,
      clock: options.clock,
      signal: abort.signal,
      onSent: () => void sent++,
      truthSink: async (t) => {
        if (!truth.write(JSON.stringify(t) + '\n')) await once(truth, 'drain');
      },
    });
    clearInterval(progress);
    process.stderr.write(`\rsent ${result.sent} of ${total} calls to ${options.topic}${result.stopped ? ' (stopped)' : ''}; truth in ${options.truthFile}\n`);
    const summary = {
      sent: result.sent,
      seconds: Number(result.seconds.toFixed(3)),
      rate: Number(result.rate.toFixed(1)),
      truth: options.truthFile,
      topic: options.topic,
      clock: options.clock,
      seed: options.seed,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return result.stopped ? 130 : 0;
  } catch (error) {
    clearInterval(progress);
    process.stderr.write('\n');
    return fail(`stopped after ${sent} calls (their truth is in ${options.truthFile}): ${(error as Error).message}`);
  } finally {
    process.removeListener('SIGINT', onSigint);
    truth.end();
    await once(truth, 'close').catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
  }
}
