import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { testKafkaSecurity } from '../helpers/kafka-security.ts';
import { accessTokenFor, seededUser } from '../helpers/sign-in.ts';
import { uniqueName } from '../helpers/unique.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { searchAuditLog } from '../../shared/audit/audit-reader.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';

const run = promisify(execFile);
const endpoints = testEndpoints();
const graph = `${uniqueName('resolve-cli')}:{g}`;
const redis = adminRedis();
const started = Date.now();
/** A backfill is a collection: it runs as a signed-in supervisor (or administrator), the token in the environment. */
let supervisor: string;
const signedIn = (extra: NodeJS.ProcessEnv, token: string | undefined = supervisor): NodeJS.ProcessEnv => {
  const { DAUNTLESS_ACCESS_TOKEN: _t, ...rest } = process.env;
  return { ...rest, DAUNTLESS_CLI_SESSION: '/nonexistent/dauntless/session.json', ...(token ? { DAUNTLESS_ACCESS_TOKEN: token } : {}), ...extra };
};

beforeAll(async () => {
  supervisor = await accessTokenFor(seededUser('supervisor'));
}, 60_000);

afterAll(async () => {
  await clearNamespace(redis, graph);
  redis.disconnect();
});

// Synthetic people from a CAD export, with columns of its own.
const CSV = `ref,forename,surname,born,mobile,home_postcode,pnc
r1,Rebecca,Ashworth,14/02/1988,07700 900321,SE11 4AA,
r2,Becky,ASHWORTH,14.2.88,+44 7700-900321,se114aa,
r3,Tomasz,Wieczorek,03/07/1979,07700 900654,N16 7QP,11/123456A
r4,Tom,Wieczorek,3/7/79,(07700) 900654,,11/123456A
r5,Daniel,Ashworth,30/09/1990,07700 900999,SE11 4AA,
`;

describe('dauntless resolve', () => {
  it('maps any CSV onto person fields, resolves it in file order into Redis, and writes each record with its entity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dauntless-resolve-'));
    writeFileSync(join(dir, 'people.csv'), CSV);
    const { stdout } = await run(
      'node',
      [
        'bin/dauntless.js', 'resolve',
        '--input', join(dir, 'people.csv'),
        '--id-column', 'ref',
        '--map', 'forename=given_name,surname=family_name,born=dob,mobile=phone,home_postcode=postcode,pnc=attr:pnc_id',
        '--out', join(dir, 'entities.csv'),
        '--graph', graph,
        '--reference-date', '2026-11-25',
      ],
      { env: signedIn({ KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), REDIS_URL: endpoints.redisUrl, SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl }), timeout: 60_000 },
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ records: 5, entities: 3 });
    expect(summary.records_per_second).toBeGreaterThan(0);

    const rows = readFileSync(join(dir, 'entities.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('record_id,entity_id');
    const entityOf = Object.fromEntries(rows.slice(1).map((line) => line.split(',') as [string, string]));
    expect(entityOf.r2).toBe(entityOf.r1);
    expect(entityOf.r4).toBe(entityOf.r3);
    expect(new Set([entityOf.r1, entityOf.r3, entityOf.r5]).size).toBe(3);
  });

  it.each([
    ['that is not there', () => '/nonexistent.csv', /^dauntless resolve: no such file: \/nonexistent\.csv$/],
    ['that is not well-formed', () => {
      const dir = mkdtempSync(join(tmpdir(), 'dauntless-resolve-'));
      writeFileSync(join(dir, 'broken.csv'), 'ref,forename\nr1,"Reb"ecca\nr2,Tom\n');
      return join(dir, 'broken.csv');
    }, /^dauntless resolve: \/.*broken\.csv is not well-formed CSV: Invalid Closing Quote: got "e" at line 2/],
  ])('says in one line when the input is a CSV %s, exit 1', async (_what, input, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'dauntless-resolve-'));
    const failure = await run(
      'node',
      ['bin/dauntless.js', 'resolve', '--input', input(), '--id-column', 'ref', '--map', 'forename=given_name', '--out', join(dir, 'o.csv'), '--graph', graph],
      { env: signedIn({ REDIS_URL: endpoints.redisUrl }), timeout: 30_000 },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr.split('\n').filter((line) => line.trim())).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('names the columns a mapping expects and the file lacks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dauntless-resolve-'));
    writeFileSync(join(dir, 'people.csv'), CSV);
    const failure = await run(
      'node',
      ['bin/dauntless.js', 'resolve', '--input', join(dir, 'people.csv'), '--id-column', 'ref', '--map', 'first_name=given_name', '--out', join(dir, 'o.csv'), '--graph', graph],
      { env: signedIn({ REDIS_URL: endpoints.redisUrl, KAFKA_BROKERS: 'unused:1', SCHEMA_REGISTRY_URL: 'http://unused' }) },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('has no column(s) first_name');
  });

  it('takes nothing in without a signed-in administrator or supervisor, and records every record it takes in, by id, as a collection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dauntless-resolve-'));
    writeFileSync(join(dir, 'people.csv'), CSV);
    const args = ['bin/dauntless.js', 'resolve', '--input', join(dir, 'people.csv'), '--id-column', 'ref', '--map', 'forename=given_name,surname=family_name,born=dob', '--out', join(dir, 'o.csv'), '--graph', `${uniqueName('resolve-cli-audit')}:{g}`];
    const env = { KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), REDIS_URL: endpoints.redisUrl, SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl };
    const nobody = await run('node', args, { env: signedIn(env, ''), timeout: 30_000 }).catch((error: { code: number; stderr: string }) => error);
    expect(nobody).toMatchObject({ code: 4 });
    const lpt = await run('node', args, { env: signedIn(env, await accessTokenFor(seededUser('lpt-officer'))), timeout: 30_000 }).catch((error: { code: number; stderr: string }) => error);
    expect(lpt).toMatchObject({ code: 5 });
    expect((lpt as { stderr: string }).stderr.trim()).toBe('dauntless resolve: A backfill of records is run by administrators and supervisors.');
    await run('node', args, { env: signedIn(env), timeout: 60_000 });

    const logger = createLogger('test', { level: 'silent' });
    const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'resolve-cli-test', logger, security: testKafkaSecurity() });
    const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
    const entries = (await searchAuditLog({ kafka, codec, query: { limit: 100_000 }, groupPrefix: 'test.resolve-cli' })).filter((e) => e.at >= started && e.action === 'records.collected' && e.resource === args.at(-1)!.replace(/^/, 'dauntless resolve --graph '));
    const done = entries.filter((e) => e.outcome === 'DONE');
    expect(done.flatMap((e) => e.subjectIds).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(done.every((e) => e.kind === 'COLLECTION' && e.actor.kind === 'PERSON' && e.actor.roles.includes('supervisor'))).toBe(true);
    expect(entries.filter((e) => e.outcome === 'REFUSED')).toHaveLength(1);
    // Ids only: nothing the records say.
    expect(JSON.stringify(entries)).not.toMatch(/Ashworth|Wieczorek|1988|07700/i);
  });
});
