// How a program reaches Redis: the URL (REDIS_URL, or the stack's endpoints
// file), the ACL user it acts as, its password and the CA that signed the
// server's certificate. Read once at start, like the rest of a config.
//
// Each program has a user of its own (REDIS_USER below; the local stack's ACL
// is declared in deploy/redis-acl.ts). DAUNTLESS_REDIS_USER and
// DAUNTLESS_REDIS_PASSWORD (or DAUNTLESS_REDIS_PASSWORD_FILE) name another;
// otherwise, for the stack's own Redis (the REDIS_URL of .stack/endpoints.env),
// the program's own user, whose password the stack wrote to
// .stack/secrets/redis-<user>.password. Where neither is there (a Redis of
// one's own, docker-compose) no AUTH is sent, as before ACLs.
import { existsSync } from 'node:fs';
import { loadCaCertificate, readSecret, stackSecretFile, stackSetting } from '../config/credentials.ts';
import { findEndpoints, loadEndpoints } from '../config/endpoints.ts';
import { DauntlessError } from '../errors/dauntless-error.ts';

/** The Redis ACL user of each program: one per service, the operators' CLI, and the tests and stack tooling. */
export const REDIS_USER = Object.freeze({
  admin: 'dauntless-admin',
  resolver: 'dauntless-resolver',
  scorer: 'dauntless-scorer',
  web: 'dauntless-web',
  operator: 'dauntless-operator',
});

export type RedisUserName = (typeof REDIS_USER)[keyof typeof REDIS_USER];

export type RedisConnection = Readonly<{
  /** redis://host:port[/db], or rediss:// for TLS. */
  url: string;
  /** The ACL user; undefined sends no user (the `default` user, or no AUTH at all). */
  username?: string;
  /** Never logged. */
  password?: string;
  /** PEM of the CA that signed the server's certificate (DAUNTLESS_CA_FILE); undefined trusts the system's CAs. */
  ca?: string;
}>;

/** The file under .stack/secrets/ holding a user's password, as stack:up writes it. */
export function redisPasswordFileName(user: string): string {
  return `redis-${user}.password`;
}

/**
 * The connection of a program whose own user is `user`: DAUNTLESS_REDIS_USER and DAUNTLESS_REDIS_PASSWORD(_FILE)
 * override it; a user without a password stops the start with CONFIG_INVALID.
 */
export function loadRedisConnection(env: NodeJS.ProcessEnv, user: RedisUserName): RedisConnection {
  const { redisUrl: url } = loadEndpoints(env, { need: ['redis'] });
  const named = stackSetting('DAUNTLESS_REDIS_USER', env);
  // The program's own user only for the stack's Redis, and only where the stack wrote its password: a Redis of
  // one's own named by REDIS_URL (no ACLs) gets no AUTH, even with an old stack's secrets still on disk.
  const isStackRedis = findEndpoints({ ...env, REDIS_URL: undefined }).REDIS_URL === url;
  const username = named ?? (isStackRedis && existsSync(stackSecretFile(redisPasswordFileName(user), env)) ? user : undefined);
  // The stack's password file only for a user: a password alone is the default user's (requirepass).
  const password = username ? readSecret('DAUNTLESS_REDIS_PASSWORD', redisPasswordFileName(username), env) : stackSetting('DAUNTLESS_REDIS_PASSWORD', env);
  if (named && !password) {
    throw new DauntlessError(
      'CONFIG_INVALID',
      `DAUNTLESS_REDIS_USER=${named} has no password: set DAUNTLESS_REDIS_PASSWORD or DAUNTLESS_REDIS_PASSWORD_FILE, or unset the user to act as ${user}.`,
    );
  }
  const ca = url.startsWith('rediss:') ? loadCaCertificate(env) : undefined;
  return Object.freeze({ url, ...(username ? { username } : {}), ...(password ? { password } : {}), ...(ca ? { ca } : {}) });
}
