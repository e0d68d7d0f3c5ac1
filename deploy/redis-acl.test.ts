import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scorerNamespaceFor, webNamespaceFor } from '../shared/boards/namespaces.ts';
import { REDIS_USER } from '../shared/redis/redis-connection.ts';
import { aclLine, REDIS_ACL_USERS, renderAclFile, sha256Hex, writeStackAcl, type RedisAclUser } from './redis-acl.ts';

const user = (name: string): RedisAclUser => REDIS_ACL_USERS.find((u) => u.name === name)!;

/** Whether a Redis glob pattern matches a key (`*` only: the table uses no other glob character). */
const matches = (pattern: string, key: string): boolean => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*')}$`).test(key);
const canWrite = (u: RedisAclUser, key: string) => u.readWrite.some((p) => matches(p, key));
const canRead = (u: RedisAclUser, key: string) => canWrite(u, key) || u.readOnly.some((p) => matches(p, key));

/** The commands a user's rules end up allowing or denying, as Redis applies them in order (categories by name only). */
function finalRule(u: RedisAclUser, command: string): '+' | '-' | undefined {
  let rule: '+' | '-' | undefined;
  for (const r of u.commands) if (r.slice(1) === command) rule = r[0] as '+' | '-';
  return rule;
}

describe('the Redis users of the local stack', () => {
  it('has a user for every program, and no other', () => {
    expect(REDIS_ACL_USERS.map((u) => u.name).sort()).toEqual(Object.values(REDIS_USER).sort());
  });

  it('turns the default user off (rights only for replaying the append-only file), and gives each user its password hash, its keys and its commands after -@all', () => {
    const file = renderAclFile((name) => sha256Hex(`pw-${name}`));
    const lines = file.trim().split('\n');
    expect(lines[0]).toBe('user default reset off resetchannels ~* &* +@all');
    expect(lines).toHaveLength(REDIS_ACL_USERS.length + 1);
    expect(file).not.toMatch(/^#/m);
    expect(file).not.toContain('pw-');
    expect(aclLine(user(REDIS_USER.scorer), 'abc')).toMatch(/^user dauntless-scorer reset on #abc resetchannels ~dauntless:\{g-top5\}:\* .* %R~dauntless:\{g\}:\* .* -@all \+@read /);
  });

  it('keeps each service to its namespaces: the graph for the resolver, the boards for the scorer, its own keys (and, for supervisors, the graph and boards) for the web service', () => {
    const graphKey = 'dauntless:{g}:ent:E1';
    const testGraphKey = 'test.graph.abc.123:{g}:ent:E1';
    const boardKey = 'dauntless:{g-top5}:board:E09000022';
    const webKey = 'dauntless:{g-web}:plan:P1';
    const resolver = user(REDIS_USER.resolver);
    const scorer = user(REDIS_USER.scorer);
    const web = user(REDIS_USER.web);
    const operator = user(REDIS_USER.operator);

    expect([canWrite(resolver, graphKey), canWrite(resolver, testGraphKey), canRead(resolver, boardKey), canRead(resolver, webKey)]).toEqual([true, true, false, false]);
    expect([canRead(scorer, graphKey), canWrite(scorer, graphKey), canWrite(scorer, boardKey), canRead(scorer, webKey)]).toEqual([true, false, true, false]);
    expect([canRead(web, graphKey), canWrite(web, graphKey), canRead(web, boardKey), canWrite(web, boardKey), canWrite(web, webKey)]).toEqual([true, true, true, true, true]);
    expect([canWrite(operator, graphKey), canWrite(operator, boardKey), canRead(operator, webKey), canWrite(operator, webKey)]).toEqual([true, true, true, false]);
    for (const u of [resolver, scorer, web, operator]) expect(canRead(u, 'audit:log')).toBe(false);
    // The namespaces the code derives are the ones the patterns name.
    expect(canWrite(scorer, `${scorerNamespaceFor('test.x.1:{g}')}:board:E1`)).toBe(true);
    expect(canWrite(web, `${webNamespaceFor('dauntless:{g}')}:plan:P1`)).toBe(true);
    expect(webNamespaceFor('test.x.1:{g}')).toBe('test.x.1:{g-web}');
  });

  it('denies every user the dangerous commands, the admin included, and gives CONFIG GET only to the services that check durability', () => {
    for (const u of REDIS_ACL_USERS) {
      expect(u.commands).toContain('-@dangerous');
      for (const command of ['flushall', 'flushdb', 'keys', 'config|set', 'config', 'debug', 'shutdown', 'acl', 'module', 'replicaof']) expect(finalRule(u, command)).not.toBe('+');
    }
    expect(REDIS_ACL_USERS.filter((u) => finalRule(u, 'config|get') === '+').map((u) => u.name).sort()).toEqual([REDIS_USER.admin, REDIS_USER.resolver, REDIS_USER.scorer].sort());
  });

  describe('written into a stack folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dauntless-acl-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('makes each password once, mode 600, and writes only their hashes into the ACL file', () => {
      const aclFile = writeStackAcl(dir);
      const password = readFileSync(join(dir, 'secrets', 'redis-dauntless-resolver.password'), 'utf8').trim();
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(statSync(join(dir, 'secrets', 'redis-dauntless-resolver.password')).mode & 0o777).toBe(0o600);
      expect(statSync(aclFile).mode & 0o777).toBe(0o600);
      const acl = readFileSync(aclFile, 'utf8');
      expect(acl).toContain(`#${sha256Hex(password)}`);
      expect(acl).not.toContain(password);

      writeStackAcl(dir);
      expect(readFileSync(join(dir, 'secrets', 'redis-dauntless-resolver.password'), 'utf8').trim()).toBe(password);
    });
  });
});
