// The main job's settings (`npm start`): read once from the command line and
// the environment, checked, frozen. A flag wins over its variable; a wrong
// value stops the start with a sentence that says what to change.
import { findRegistryAuth, type RegistryAuth } from '../../shared/config/credentials.ts';
import { join } from 'node:path';
import { loadEndpoints, stackDir, type Endpoints } from '../../shared/config/endpoints.ts';
import { loadKafkaSecurity, type KafkaSecurity } from '../../shared/config/kafka-security.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { loadCompression, type CompressionName } from '../../shared/kafka/load-compression.ts';
import { DEFAULT_PERSONS } from '../../shared/synth/call-stream.ts';
import { TOPIC } from '../../shared/contracts/topics.ts';

/** The normal topics: `dauntless tail intel` in another terminal sees the same feed. */
export const INCIDENT_TOPIC = TOPIC.incidents;
export const INTEL_TOPIC = TOPIC.intelligence;

const DAY_MS = 86_400_000;
/** About 18 months: enough history for "in the last 12 months" to differ from "in all". */
export const HISTORY_SPAN_DAYS = 548;
/** How fast the history is sent, calls per second: fast, but a steady stream rather than one burst. */
export const HISTORY_SEND_RATE = 1_000;
const MAX_RATE = 1_000;
const MAX_HISTORY = 1_000_000;

export type LiveConfig = Readonly<{
  endpoints: Endpoints;
  /** The live job's registry credentials, principal dauntless-operator (DAUNTLESS_REGISTRY_USER, DAUNTLESS_REGISTRY_PASSWORD or _FILE; default the stack's secret file). */
  registryAuth: RegistryAuth | undefined;
  /**
   * Who the job itself (simulator and feed) is to Kafka: the operator's principal, dauntless-operator, unless
   * DAUNTLESS_KAFKA_USER says otherwise. The resolver and scorer it starts log in as their own.
   */
  kafkaSecurity: KafkaSecurity;
  /** The codec the simulator writes calls with (DAUNTLESS_KAFKA_COMPRESSION, as the services). */
  compression: CompressionName;
  /** Live calls per second after the history (--rate, DAUNTLESS_LIVE_RATE; default 1; > 0 and ≤ 1000). */
  rate: number;
  /** Calls of simulated history sent first, spread over the last HISTORY_SPAN_DAYS (--history, DAUNTLESS_LIVE_HISTORY; default 2000; 0 = none). */
  history: number;
  /** Seed of the synthetic population and calls (--seed, DAUNTLESS_LIVE_SEED; default from the clock). */
  seed: string;
  /** Stop after this many seconds in all, seeding included (--for, DAUNTLESS_LIVE_SECONDS); undefined: until Ctrl-C. */
  seconds: number | undefined;
  /** Size of the synthetic population (DEFAULT_PERSONS). */
  persons: number;
  /** How far back the history starts, ms. */
  historySpanMs: number;
  /** Goes into every incident id, fresh each start, so runs never share one (1–16 letters or digits). */
  runId: string;
  /** The resolver child's pino JSON lines (stdout and stderr). */
  resolverLogFile: string;
  /** The scorer child's pino JSON lines. */
  scorerLogFile: string;
  /** The web service's log (.stack/logs/live-web.log). */
  webLogFile: string;
  /** This process's own log lines (kafkajs warnings), kept off the feed. */
  liveLogFile: string;
  /** The simulator's truth of every call sent, JSON lines. */
  truthFile: string;
}>;

export const usage = `Usage: npm start [-- --rate R] [--history N] [--seed S] [--for SECONDS]
       node --import tsx services/live/main.ts [options]

The main job: starts the resolver service, seeds a simulated history of calls
(repeat victims from the first minutes), then sends live calls and shows the
pre-arrival intelligence for each as it is emitted. ALL DATA SYNTHETIC.

  --rate R       live calls per second (default 1)               DAUNTLESS_LIVE_RATE
  --history N    calls of history over the last 18 months first  DAUNTLESS_LIVE_HISTORY
                 (default 2000; 0 = none)
  --seed S       any string or number; the same seed gives the   DAUNTLESS_LIVE_SEED
                 same people and calls (default from the clock)
  --for SECONDS  stop cleanly after this long in all             DAUNTLESS_LIVE_SECONDS
                 (default: until Ctrl-C)

The resolver's logs go to .stack/logs/live-resolver.log, the simulator's truth
to .stack/live-truth.jsonl. Ctrl-C stops the job; the stack keeps running
(npm run stack:down stops it).`;

type Option = 'rate' | 'history' | 'seed' | 'for';
const OPTIONS: Readonly<Record<Option, string>> = { rate: 'DAUNTLESS_LIVE_RATE', history: 'DAUNTLESS_LIVE_HISTORY', seed: 'DAUNTLESS_LIVE_SEED', for: 'DAUNTLESS_LIVE_SECONDS' };

function invalid(message: string): DauntlessError {
  return new DauntlessError('CONFIG_INVALID', message);
}

/** The flags given, by name; throws on anything else. */
function readFlags(args: readonly string[]): Partial<Record<Option, string>> {
  const values: Partial<Record<Option, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw invalid(`unexpected argument "${arg}": options are --rate, --history, --seed and --for`);
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    if (!(name in OPTIONS)) throw invalid(`unknown option --${name}: options are --rate, --history, --seed and --for`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw invalid(`--${name} needs a value`);
    values[name as Option] = value;
  }
  return values;
}

/** True when the arguments ask for the usage text. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** A fresh run id: L, the start second in base 36, and two random letters or digits (never shared with `dauntless simulate`'s). */
export function newRunId(nowMs: number, random: () => number = Math.random): string {
  const tail = Math.floor(random() * 36 * 36).toString(36).padStart(2, '0');
  return `L${Math.floor(nowMs / 1000).toString(36)}${tail}`;
}

export type LoadLiveConfigOptions = {
  args?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** The clock, epoch ms: default seed and run id. */
  nowMs?: number;
};

export function loadLiveConfig({ args = [], env = process.env, nowMs = Date.now() }: LoadLiveConfigOptions = {}): LiveConfig {
  const flags = readFlags(args);
  // A flag wins over its variable; each value names where it came from in a complaint.
  const raw = (name: Option): { text: string; from: string } | undefined => {
    if (flags[name] !== undefined) return { text: flags[name]!, from: `--${name} ${flags[name]}` };
    const value = env[OPTIONS[name]];
    return value === undefined || value === '' ? undefined : { text: value, from: `${OPTIONS[name]}=${value}` };
  };
  const number = (name: Option, what: string, ok: (n: number) => boolean): number | undefined => {
    const given = raw(name);
    if (!given) return undefined;
    const n = Number(given.text);
    if (given.text.trim() === '' || !Number.isFinite(n) || !ok(n)) throw invalid(`${given.from}: give ${what}`);
    return n;
  };

  const rate = number('rate', `a number of live calls per second > 0 and ≤ ${MAX_RATE} (default 1)`, (n) => n > 0 && n <= MAX_RATE) ?? 1;
  const history =
    number('history', `a whole number of calls of history from 0 (none) to ${MAX_HISTORY.toLocaleString('en-GB')} (default 2000)`, (n) => Number.isInteger(n) && n >= 0 && n <= MAX_HISTORY) ?? 2000;
  const seconds = number('for', 'a number of seconds > 0 to run for, or leave it out to run until Ctrl-C', (n) => n > 0);
  const seed = raw('seed');
  if (seed && seed.text.trim() === '') throw invalid(`${seed.from}: give any string or number as the seed`);

  const dir = stackDir(env);
  return Object.freeze({
    endpoints: loadEndpoints(env),
    registryAuth: findRegistryAuth('dauntless-operator', env),
    kafkaSecurity: loadKafkaSecurity(env, 'dauntless-operator'),
    compression: loadCompression(env),
    rate,
    history,
    seed: seed?.text ?? String(nowMs % 1_000_000),
    seconds,
    persons: DEFAULT_PERSONS,
    historySpanMs: HISTORY_SPAN_DAYS * DAY_MS,
    runId: newRunId(nowMs),
    resolverLogFile: join(dir, 'logs', 'live-resolver.log'),
    scorerLogFile: join(dir, 'logs', 'live-scorer.log'),
    webLogFile: join(dir, 'logs', 'live-web.log'),
    liveLogFile: join(dir, 'logs', 'live.log'),
    truthFile: join(dir, 'live-truth.jsonl'),
  });
}
