import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DauntlessError } from '../errors/dauntless-error.ts';
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

/** What a registry client sends: HTTP Basic with a principal's client id and secret (the registry exchanges them for a token). */
export type RegistryAuth = Readonly<{ username: string; password: string }>;

/**
 * The registry credentials of a program running as `principal` (dauntless-resolver, dauntless-admin...):
 * DAUNTLESS_REGISTRY_USER (default the principal) and DAUNTLESS_REGISTRY_PASSWORD (or _FILE), else the
 * stack's secret file <user>.password; undefined where neither has a password.
 */
export function findRegistryAuth(principal: string, env: NodeJS.ProcessEnv = process.env): RegistryAuth | undefined {
  const username = stackSetting('DAUNTLESS_REGISTRY_USER', env) ?? principal;
  const password = readSecret('DAUNTLESS_REGISTRY_PASSWORD', `${username}.password`, env);
  return password ? Object.freeze({ username, password }) : undefined;
}

/** As findRegistryAuth, but a missing password is a configuration error that says where to put one. */
export function loadRegistryAuth(principal: string, env: NodeJS.ProcessEnv = process.env): RegistryAuth {
  const auth = findRegistryAuth(principal, env);
  if (auth) return auth;
  const username = stackSetting('DAUNTLESS_REGISTRY_USER', env) ?? principal;
  throw new DauntlessError(
    'CONFIG_INVALID',
    `No schema-registry password for ${username}: set DAUNTLESS_REGISTRY_PASSWORD (or DAUNTLESS_REGISTRY_PASSWORD_FILE), ` +
      `or start the local stack (\`npm run stack:up\` writes ${stackSecretFile(`${username}.password`, env)}).`,
  );
}

/** The Authorization header value for HTTP Basic. */
export function basicAuthorization(auth: RegistryAuth): string {
  return 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
}
