// The local stack's Redis checks who is asking (deploy/redis-acl.ts): TLS only,
// no one without a user and its password, and each service's user kept to
// its own keys and commands, Lua scripts included. Against the stack's real
// Redis, as each user; the namespaces are this file's own.
import { readdirSync, readFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackSecretFile } from '../../shared/config/credentials.ts';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { incidentFacts } from '../../shared/graph/incident-facts.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { partyToPersonRecord } from '../../shared/graph/party-record.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { scorerNamespaceFor, webNamespaceFor } from '../../shared/boards/namespaces.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createRedis } from '../../shared/redis/create-redis.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { REDIS_USER, type RedisConnection, type RedisUserName } from '../../shared/redis/redis-connection.ts';
import { resolveInOrder } from '../../services/resolver/resolve-persons.ts';
import { adminRedis, testRedisConnection } from '../helpers/redis.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';

const logger = createLogger('test', { level: 'silent' });
const admin = adminRedis();
const base = uniqueName('redis-acl');
const graphNs = `${base}:{g}`;
const boardNs = scorerNamespaceFor(graphNs);
const webNs = webNamespaceFor(graphNs);
const secured = testRedisConnection().username !== undefined;
const opened: Redis[] = [];

/** A client that fails at once instead of retrying: each refusal is the answer. */
function client(connection: RedisConnection): Redis {
  const redis = createRedis({ connection, logger, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3_000, enableOfflineQueue: true });
  opened.push(redis);
  return redis;
}
const as = (user: RedisUserName) => client(testRedisConnection({ user }));

afterAll(async () => {
  for (const redis of opened) redis.disconnect();
  for (const ns of [graphNs, boardNs, webNs]) await clearNamespace(admin, ns);
  admin.disconnect();
});

/** What a plaintext client hears back from the TLS port after sending PING: never PONG. */
function plaintextPing(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    let heard = '';
    const socket = connectTcp({ host: hostname, port: Number(port) }, () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => void (heard += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => done(heard));
    socket.setTimeout(3_000, () => socket.destroy());
  });
}

describe.runIf(secured)('the Redis of the local stack', () => {
  beforeAll(async () => {
    // A graph with one call on it, recorded by the admin as the resolver would.
    const store = createRedisIdentityStore({ redis: admin, namespace: graphNs });
    const graph = createIncidentGraph({ redis: admin, namespace: graphNs });
    const incident = sampleIncident({ incidentId: 'CAD-ACL-1', eventId: 'evt-acl-1' }) as unknown as IncidentReported;
    const { resolutions, matches } = await resolveInOrder(
      incident.parties.map((party) => ({ key: party.partyId, record: partyToPersonRecord(incident, party) })),
      { store, model: defaultPersonModel, referenceDate: new Date(incident.receivedAt) },
    );
    await graph.recordIncident(incidentFacts(incident, matches));
    entityIds = resolutions.map((r) => r.resolution.entityId);
  });
  let entityIds: string[] = [];

  it('listens with TLS only: a plaintext client never gets an answer', async () => {
    const { url } = testRedisConnection();
    expect(url).toMatch(/^rediss:\/\//);
    expect(await plaintextPing(url)).not.toContain('PONG');
  });

  it('refuses a client without credentials, the default user being off', async () => {
    const { url, ca } = testRedisConnection();
    await expect(client({ url, ...(ca ? { ca } : {}) }).ping()).rejects.toThrow(/NOAUTH/);
    await expect(client({ url, username: 'default', password: '', ...(ca ? { ca } : {}) }).ping()).rejects.toThrow(/WRONGPASS/);
  });

  it('refuses a wrong password', async () => {
    await expect(client({ ...testRedisConnection({ user: REDIS_USER.resolver }), password: 'not-the-password' }).ping()).rejects.toThrow(/WRONGPASS/);
  });

  it('refuses the resolver FLUSHALL, FLUSHDB, KEYS, CONFIG SET and REWRITE, DEBUG, ACL and SHUTDOWN, and lets it read settings with CONFIG GET, which shows no password', async () => {
    const resolver = as(REDIS_USER.resolver);
    expect(await resolver.ping()).toBe('PONG');
    for (const command of [['FLUSHALL'], ['FLUSHDB'], ['KEYS', '*'], ['CONFIG', 'SET', 'appendfsync', 'no'], ['CONFIG', 'REWRITE'], ['CONFIG', 'RESETSTAT'], ['DEBUG', 'SLEEP', '0'], ['ACL', 'LIST'], ['SHUTDOWN', 'NOSAVE'], ['MODULE', 'LIST'], ['REPLICAOF', 'NO', 'ONE']] as const) {
      // DEBUG is also off in the server itself (enable-debug-command no), which says so before the ACL does.
      await expect(resolver.call(command[0], ...command.slice(1)), command.join(' ')).rejects.toThrow(command[0] === 'DEBUG' ? /NOPERM|DEBUG command not allowed/ : /NOPERM/);
    }
    expect(await resolver.call('CONFIG', 'GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
    const everySetting = ((await resolver.call('CONFIG', 'GET', '*')) as string[]).join('\n');
    for (const file of readdirSync(stackSecretFile('.')).filter((f) => f.startsWith('redis-'))) {
      expect(everySetting).not.toContain(readFileSync(stackSecretFile(file), 'utf8').trim());
    }
  });

  it('keeps the resolver to the graph: no board, web or other key, read or written, by a command or in a script', async () => {
    const resolver = as(REDIS_USER.resolver);
    await resolver.set(`${graphNs}:acl-probe`, '1');
    for (const key of [`${boardNs}:board:E09000022`, `${webNs}:plan:P1`, 'audit:log', 'dauntless-audit:{a}:entry']) {
      await expect(resolver.get(key), key).rejects.toThrow(/NOPERM/);
      await expect(resolver.set(key, 'x'), key).rejects.toThrow(/NOPERM/);
    }
    // A script naming only a graph key, then touching a board key inside: refused where it reaches outside.
    await expect(resolver.eval(`return redis.call('GET', '${boardNs}:board:E09000022')`, 1, `${graphNs}:meta`)).rejects.toThrow(/NOPERM|can't access/);
  });

  it('lets the scorer read the graph (histories through EVALSHA_RO) and write its boards, never the graph', async () => {
    const scorer = as(REDIS_USER.scorer);
    const histories = await createIncidentGraph({ redis: scorer, namespace: graphNs }).histories(entityIds);
    expect(histories.flatMap((h) => h.events.map((e) => e.facts.eventId))).toContain('evt-acl-1');
    await scorer.set(`${boardNs}:acl-probe`, '1');
    await expect(scorer.set(`${graphNs}:acl-probe`, 'x')).rejects.toThrow(/NOPERM/);
    await expect(createIncidentGraph({ redis: scorer, namespace: graphNs }).recordEvent({ ...histories[0]!.events[0]!.facts, eventId: 'evt-acl-2' })).rejects.toThrow(/NOPERM|can't access/);
  });

  it('lets the web user read the graph and the boards and write its own keys (and, for supervisors, the graph), nothing else and nothing dangerous', async () => {
    const web = as(REDIS_USER.web);
    const histories = await createIncidentGraph({ redis: web, namespace: graphNs }).histories(entityIds);
    expect(histories.flatMap((h) => h.events.map((e) => e.facts.eventId))).toContain('evt-acl-1');
    await expect(createScoreBoard({ redis: web, namespace: boardNs }).read('E09000022', 5)).resolves.toBeDefined();
    await web.hset(`${webNs}:plan:P1`, 'state', 'acknowledged');
    for (const key of ['audit:log', 'dauntless-audit:{a}:entry', 'other:{g}:ent:x']) {
      await expect(web.hset(key, 'mergedInto', 'x'), key).rejects.toThrow(/NOPERM/);
    }
    for (const command of [['FLUSHALL'], ['KEYS', '*'], ['CONFIG', 'GET', 'appendfsync'], ['CONFIG', 'SET', 'appendfsync', 'no']]) {
      await expect(web.call(command[0]!, ...command.slice(1)), command.join(' ')).rejects.toThrow(/NOPERM/);
    }
  });

  it('lets the operator change the graph and the boards and only read the web keys', async () => {
    const operator = as(REDIS_USER.operator);
    await operator.set(`${graphNs}:acl-probe`, '2');
    await operator.set(`${boardNs}:acl-probe`, '2');
    expect(await operator.hget(`${webNs}:plan:P1`, 'state')).toBe('acknowledged');
    await expect(operator.set(`${webNs}:plan:P1`, 'x')).rejects.toThrow(/NOPERM/);
    await expect(operator.flushall()).rejects.toThrow(/NOPERM/);
  });

  it('refuses even the admin FLUSHALL, FLUSHDB and KEYS: the tests clear their namespaces with SCAN and UNLINK', async () => {
    await expect(admin.flushall()).rejects.toThrow(/NOPERM/);
    await expect(admin.flushdb()).rejects.toThrow(/NOPERM/);
    await expect(admin.keys('*')).rejects.toThrow(/NOPERM/);
  });
});
