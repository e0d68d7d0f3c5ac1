import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DauntlessError } from '../errors/dauntless-error.ts';

// Where the servers are. The environment wins (KAFKA_BROKERS, REDIS_URL,
// SCHEMA_REGISTRY_URL); otherwise the endpoints file that `npm run stack:up`
// writes (.stack/endpoints.env). Nothing is guessed: a missing endpoint is an
// error that says how to start the stack.

export type Endpoints = Readonly<{
  /** host:port of each bootstrap broker. */
  kafkaBrokers: readonly string[];
  /** redis://host:port[/db], or rediss:// for TLS. Credentials come from the user and password settings (shared/redis/redis-connection.ts), not the URL. */
  redisUrl: string;
  /** Base URL of the Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  schemaRegistryUrl: string;
}>;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function stackDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DAUNTLESS_STACK_DIR ? resolve(env.DAUNTLESS_STACK_DIR) : join(REPO_ROOT, '.stack');
}

export function endpointsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(stackDir(env), 'endpoints.env');
}

/** Parses `KEY=value` lines (an optional `export ` prefix, `#` comments, optional quotes). */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const [, key, value] = match as unknown as [string, string, string];
    values[key] = value.replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

const NAMES = ['KAFKA_BROKERS', 'REDIS_URL', 'SCHEMA_REGISTRY_URL'] as const;

/** The endpoints named by the environment, else by the stack's endpoints file; undefined where neither names one. */
export function findEndpoints(env: NodeJS.ProcessEnv = process.env): Partial<Record<(typeof NAMES)[number], string>> {
  const file = endpointsFile(env);
  const fromFile = existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  const found: Partial<Record<(typeof NAMES)[number], string>> = {};
  for (const name of NAMES) {
    const value = env[name] || fromFile[name];
    if (value) found[name] = value;
  }
  return found;
}

/** A server a program talks to; each names one endpoint. */
export type Server = 'kafka' | 'redis' | 'registry';

const VARIABLE = { kafka: 'KAFKA_BROKERS', redis: 'REDIS_URL', registry: 'SCHEMA_REGISTRY_URL' } as const;
const FIELD = { kafka: 'kafkaBrokers', redis: 'redisUrl', registry: 'schemaRegistryUrl' } as const;
const ALL_SERVERS: readonly Server[] = ['kafka', 'redis', 'registry'];

/** The endpoints of just the servers named. */
export type EndpointsOf<S extends Server> = Pick<Endpoints, (typeof FIELD)[S]>;

/**
 * Every endpoint, or with `need` only those of the servers a program uses:
 * a tool that reads Redis alone must not be refused for want of a broker.
 */
export function loadEndpoints(env?: NodeJS.ProcessEnv): Endpoints;
export function loadEndpoints<S extends Server>(env: NodeJS.ProcessEnv | undefined, options: { need: readonly S[] }): EndpointsOf<S>;
export function loadEndpoints(env: NodeJS.ProcessEnv = process.env, { need = ALL_SERVERS }: { need?: readonly Server[] } = {}): Partial<Endpoints> {
  const found = findEndpoints(env);
  const wanted = new Set(need.map((server) => VARIABLE[server]));
  const missing = NAMES.filter((name) => wanted.has(name) && !found[name]);
  if (missing.length > 0) {
    throw new DauntlessError(
      'STACK_NOT_RUNNING',
      `No ${missing.join(', ')} in the environment or in ${endpointsFile(env)}. ` +
        `Start the local servers with \`npm run stack:up\`, or set ${missing.length === 1 ? 'this variable to a server' : 'these variables to servers'} you run.`,
    );
  }
  const endpoints: { -readonly [K in keyof Endpoints]?: Endpoints[K] } = {};
  if (need.includes('kafka')) endpoints[FIELD.kafka] = Object.freeze(found.KAFKA_BROKERS!.split(',').map((b) => b.trim()).filter(Boolean));
  if (need.includes('redis')) endpoints[FIELD.redis] = found.REDIS_URL!;
  if (need.includes('registry')) endpoints[FIELD.registry] = found.SCHEMA_REGISTRY_URL!.replace(/\/+$/, '');
  return Object.freeze(endpoints);
}
