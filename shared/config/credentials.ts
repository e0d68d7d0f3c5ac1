import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpointsFile, parseEnvFile, stackDir } from './endpoints.ts';

// Credentials and certificates come from the environment or from files, never
// from code, and are never logged. Each setting is looked up, in order, as:
//   1. the variable itself (DAUNTLESS_KAFKA_PASSWORD=...),
//   2. a file the variable names with _FILE (DAUNTLESS_KAFKA_PASSWORD_FILE=/run/secrets/kafka),
//      as container platforms mount secrets,
//   3. the endpoints file `npm run stack:up` writes (.stack/endpoints.env),
//   4. for secrets, the local stack's secrets folder (.stack/secrets/<name>),
//      where stack:up writes one file per principal.
// A force's deployment sets 1 or 2; the local stack provides 3 and 4.

/** A setting from the environment, a file it names with _FILE, or the stack's endpoints file; undefined where none has it. */
export function stackSetting(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const direct = env[name];
  if (direct) return direct;
  const file = env[`${name}_FILE`];
  if (file) return readFileSync(file, 'utf8').trim();
  const endpoints = endpointsFile(env);
  if (!existsSync(endpoints)) return undefined;
  return parseEnvFile(readFileSync(endpoints, 'utf8'))[name] || undefined;
}

/** The file under the local stack's secrets folder (.stack/secrets/), as stack:up writes it. */
export function stackSecretFile(fileName: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stackDir(env), 'secrets', fileName);
}

/**
 * A secret: the setting `name` (environment, _FILE, endpoints file), else the stack's secret file of that
 * name; undefined where neither has it.
 */
export function readSecret(name: string, fileName: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = stackSetting(name, env);
  if (set) return set;
  const file = stackSecretFile(fileName, env);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** The PEM of the CA that signed the servers' certificates (DAUNTLESS_CA_FILE), or undefined where none is set. */
export function loadCaCertificate(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = stackSetting('DAUNTLESS_CA_FILE', env);
  return file ? readFileSync(file, 'utf8') : undefined;
}
