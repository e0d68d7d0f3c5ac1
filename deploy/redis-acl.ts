// The local stack's Redis users: who may touch which keys with which
// commands, declared once here and rendered into the ACL file Redis loads
// (`--aclfile`). deploy/local/stack.sh runs this file as a program:
//
//   node --import tsx deploy/redis-acl.ts <stack dir>
//
// which gives each user a random password the first time (.stack/secrets/
// redis-<user>.password, mode 600, kept across restarts) and writes
// .stack/redis/users.acl with the passwords' SHA-256 only.
//
// Keys. A graph's keys are `<ns>:…` with ns like "dauntless:{g}"; the
// scorer's boards sit beside it under the same name with "-top5" in the tag
// ("dauntless:{g-top5}", shared/boards/namespaces.ts) and the web service's
// own keys (tactical plans, acknowledgements) with "-web" ("dauntless:{g-web}").
// Namespaces are configurable and the tests and pipeline runs take unique ones
// (test/helpers/unique.ts, scripts/pipeline/harness.ts), so each pattern is
// one of the local stack's namespace prefixes below followed by the tag. A
// `*` in a prefix matches any text, tags included: a test namespace's pattern
// also matches a key of another kind that happens to contain ":{g}:" later on,
// which only a test namespace can hold.
//
// Commands. Each service reads and writes data (@read, @write) and runs the
// project's Lua scripts (EVAL/EVALSHA, and their _RO forms for read-only
// users: EVAL declares its keys written, so a user that may only read a key
// must call the script with EVALSHA_RO). Nothing marked @dangerous (FLUSHALL,
// FLUSHDB, KEYS, CONFIG SET, DEBUG, SHUTDOWN, ACL, MODULE, REPLICAOF, MIGRATE,
// CLIENT KILL...) and no FUNCTION, except:
//   - INFO: ioredis's ready check sends it on every connect (it waits out a
//     Redis still loading its append-only file); it shows counters, not data.
//   - CONFIG GET, for the resolver and the scorer only: the start-up check
//     (shared/redis/check-redis-durability.ts) must read appendfsync, which
//     Redis 7.0 shows nowhere else (INFO has no fsync policy, so without it the
//     check could only warn). GET reads settings, it cannot change them, and the
//     only secrets it could show (requirepass, masterauth) are unset here: the
//     default user is off, passwords live in the ACL file, which CONFIG GET does
//     not show (test/integration/redis-acl.test.ts checks). CONFIG SET, REWRITE
//     and RESETSTAT stay denied.
// Redis ACLs do not filter SCAN: a user allowed SCAN sees the names (ids, never
// personal data) of keys outside its patterns, though it cannot read them. The
// scorer lists its boroughs and the CLI its entities with SCAN.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REDIS_USER, redisPasswordFileName, type RedisUserName } from '../shared/redis/redis-connection.ts';

/** The namespace prefixes the local stack serves: the services' defaults, the tests' and the pipeline runs' unique names. */
export const NAMESPACE_PREFIXES: readonly string[] = ['dauntless', 'test.*', 'bench-*', 'eval-pipeline-*'];

/** The key pattern of every namespace with this hash tag (g: the graph; g-top5: the boards; g-web: the web service's). */
function keysTagged(tag: string): string[] {
  return NAMESPACE_PREFIXES.map((prefix) => `${prefix}:{${tag}}:*`);
}

const GRAPH = keysTagged('g');
const BOARDS = keysTagged('g-top5');
const WEB = keysTagged('g-web');

/** Data and scripts, nothing dangerous: the base of every service user. */
const SERVICE_COMMANDS: readonly string[] = [
  '+@read',
  '+@write',
  '+@connection',
  '-@scripting',
  '-@dangerous',
  '+eval',
  '+evalsha',
  '+eval_ro',
  '+evalsha_ro',
  '+script|load',
  '+script|exists',
  '+info',
  '+select',
];

export type RedisAclUser = Readonly<{
  name: RedisUserName;
  /** Who acts as this user. */
  holder: string;
  /** Key patterns it may read and write (`~`). */
  readWrite: readonly string[];
  /** Key patterns it may only read (`%R~`). */
  readOnly: readonly string[];
  /** Command rules, applied in order after `-@all`. */
  commands: readonly string[];
}>;

export const REDIS_ACL_USERS: readonly RedisAclUser[] = [
  {
    name: REDIS_USER.admin,
    holder: 'the tests and the stack tooling (stack.sh, scripts/, bench/)',
    readWrite: ['*'],
    readOnly: [],
    // The tests clear their namespaces with SCAN and UNLINK (shared/redis/keys.ts), so not even the
    // admin may empty the whole Redis, walk it with KEYS, or change its settings and users.
    commands: ['+@all', '-@dangerous', '+info', '+config|get', '+bgrewriteaof', '+slowlog|get', '+latency|latest'],
  },
  {
    name: REDIS_USER.resolver,
    holder: 'the resolver service',
    readWrite: GRAPH,
    readOnly: [],
    commands: [...SERVICE_COMMANDS, '+config|get'],
  },
  {
    name: REDIS_USER.scorer,
    holder: 'the scorer service',
    readWrite: BOARDS,
    readOnly: GRAPH,
    commands: [...SERVICE_COMMANDS, '+config|get'],
  },
  {
    name: REDIS_USER.web,
    holder: 'the web service: its own keys; the graph and the boards for what supervisors and LPTs change through it',
    // A supervisor's undo of a merge (the graph, then the boards re-scored) and a borough's kept briefing
    // (the boards) are done by the web service, behind need-to-know and audited; every other page only reads.
    readWrite: [...WEB, ...GRAPH, ...BOARDS],
    readOnly: [],
    commands: SERVICE_COMMANDS,
  },
  {
    name: REDIS_USER.operator,
    holder: 'the dauntless CLI (explain, unmerge, briefing, rescore, resolve, target)',
    readWrite: [...GRAPH, ...BOARDS],
    readOnly: WEB,
    commands: SERVICE_COMMANDS,
  },
];

/** One line of the ACL file for a user whose password has this SHA-256 (hex). Pure. */
export function aclLine(user: RedisAclUser, passwordSha256: string): string {
  return [
    'user',
    user.name,
    'reset',
    'on',
    `#${passwordSha256}`,
    'resetchannels',
    ...user.readWrite.map((pattern) => `~${pattern}`),
    ...user.readOnly.map((pattern) => `%R~${pattern}`),
    '-@all',
    ...user.commands,
  ].join(' ');
}

/**
 * The default user: off, so no client can be it (a connection without AUTH gets NOAUTH), yet with every right.
 * Redis 7.0 replays the append-only file as the default user and refuses it every MULTI/EXEC if it may run nothing
 * ("NOPERM ACLs rules changed..."): a script's writes are kept as MULTI/EXEC, so a restart lost every one of them, the
 * whole graph. An `off` user cannot be authenticated as, so its rights serve only that replay.
 */
export const DEFAULT_USER_LINE = 'user default reset off resetchannels ~* &* +@all';

/** The whole ACL file: the default user (above), then every user with the hash of its password. Pure. Redis allows no comments in it. */
export function renderAclFile(passwordSha256: (user: RedisUserName) => string): string {
  return [
    DEFAULT_USER_LINE,
    ...REDIS_ACL_USERS.map((user) => aclLine(user, passwordSha256(user.name))),
    '',
  ].join('\n');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Each user's password in the stack's secrets folder, made the first time; then the ACL file. Returns its path. */
export function writeStackAcl(stackDir: string): string {
  const secrets = join(stackDir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const passwords = new Map<RedisUserName, string>();
  for (const { name } of REDIS_ACL_USERS) {
    const file = join(secrets, redisPasswordFileName(name));
    if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    passwords.set(name, readFileSync(file, 'utf8').trim());
  }
  const dir = join(stackDir, 'redis');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const aclFile = join(dir, 'users.acl');
  // Written beside and renamed: a Redis restarting never reads half a file.
  writeFileSync(`${aclFile}.tmp`, renderAclFile((name) => sha256Hex(passwords.get(name)!)), { mode: 0o600 });
  renameSync(`${aclFile}.tmp`, aclFile);
  return aclFile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const stackDir = process.argv[2];
  if (!stackDir) {
    process.stderr.write('usage: node --import tsx deploy/redis-acl.ts <stack dir>\n');
    process.exit(2);
  }
  process.stdout.write(writeStackAcl(stackDir) + '\n');
}
