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
  /** redis://host:port[/db] */
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

export function loadEndpoints(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const found = findEndpoints(env);
  const missing = NAMES.filter((name) => !found[name]);
  if (missing.length > 0) {
    throw new DauntlessError(
      'STACK_NOT_RUNNING',
      `No ${missing.join(', ')} in the environment or in ${endpointsFile(env)}. ` +
        'Start the local servers with `npm run stack:up`, or set these variables to servers you run.',
    );
  }
  return Object.freeze({
    kafkaBrokers: Object.freeze(found.KAFKA_BROKERS!.split(',').map((b) => b.trim()).filter(Boolean)),
    redisUrl: found.REDIS_URL!,
    schemaRegistryUrl: found.SCHEMA_REGISTRY_URL!.replace(/\/+$/, ''),
  });
}
