// `dauntless briefing` and `dauntless target` as an LPT and a Dauntless lead
// run them, against a real Redis holding a simulated London (calls resolved
// onto the graph and scored as they came, scripts/examples/simulated-london.ts).
// The first briefing of a borough says there is nothing to compare; after a
// strangulation with a knife, the next names who entered and why.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminRedis, keysUnder } from '../helpers/redis.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOROUGHS } from '../../shared/geography/boroughs.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import { createSimulatedLondon, simulatedCalls } from '../../scripts/examples/simulated-london.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';
import { accessTokenFor, seededUser } from '../helpers/sign-in.ts';

const exec = promisify(execFile);
const endpoints = testEndpoints();
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const redis = adminRedis();
const namespace = `${uniqueName('briefing-cli')}:{g}`;
const london = createSimulatedLondon({ redis, namespace, codec: createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() }), logger });
// Run as an Operation Dauntless lead (every borough's briefing, every target); the token is fetched before the tests.
const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: endpoints.redisUrl, DAUNTLESS_GRAPH: namespace };
/** Runs the command; resolves with its exit code and output whether it succeeded or not. */
const dauntless = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  exec('node', ['bin/dauntless.js', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

const DAY = 86_400_000;
let borough: string;

beforeAll(async () => {
  env.DAUNTLESS_ACCESS_TOKEN = await accessTokenFor(seededUser('dauntless-lead'));
  const now = Date.now();
  const { calls } = simulatedCalls({ seed: 'briefing-cli', calls: 300, days: 200, end: now - DAY, persons: 2_500 });
  for (const c of calls) await london.call(c.incident, c.truth);
  await london.advance(now);
  // The borough with the most people ranked.
  const sizes = await Promise.all(BOROUGHS.map(async (b) => [b.code, (await london.scorer.topFive(b.code, now)).length] as const));
  borough = sizes.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}, 180_000);

afterAll(async () => {
  await london.clear();
  redis.disconnect();
});

describe('dauntless briefing and dauntless target', () => {
  it('brief a borough, then say who entered since, and show a perpetrator’s score over time', async () => {
    const first = await dauntless('briefing', '--borough', borough);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^# Operation Dauntless briefing: /);
    expect(first.stdout).toContain('First briefing for this borough: nothing to compare.');
    expect(first.stdout).toMatch(/### 1\. P\S+: harm \d+\.\d in /);

    // A strangulation with a knife, against a second partner, in the same borough, a minute ago.
    const now = Date.now();
    const [victim, suspect] = sampleIncident().parties as any[];
    const call = sampleIncident({
      incidentId: 'CAD-CLI-1',
      eventId: 'CAD-CLI-1:v1',
      receivedAt: now - 60_000,
      reportedAt: now - 120_000,
      boroughCode: borough,
      abuseTypes: ['STRANGULATION', 'THREATS_TO_KILL'],
      parties: [victim, { ...suspect, name: { ...suspect.name, full: 'TESTINGTON-CLI, Roderick' }, phones: ['07700 900777'] }],
    }) as unknown as IncidentReported;
    // Scored as the live scorer would: when it arrives, after the first briefing.
    const resolved = await london.call(call, undefined, Date.now());
    const entrant = resolved.parties.find((p) => p.roles.includes('SUSPECT'))!.resolution.entityId;

    const dir = mkdtempSync(join(tmpdir(), 'briefing-'));
    const second = await dauntless('briefing', '--borough', BOROUGHS.find((b) => b.code === borough)!.name.toUpperCase(), '--format', 'html', '--out', join(dir, 'b.html'));
    expect(second.stderr).toMatch(/ranked, written to .*b\.html\n$/);
    const html = readFileSync(join(dir, 'b.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<li><strong>Entered:</strong> ${entrant} at 1: new: incident CAD-CLI-1 (+`);
    expect(html).toContain(`data-entity-id="${entrant}"`);
    expect(html).not.toMatch(/TESTINGTON|Roderick|07700/);

    const target = await dauntless('target', entrant);
    expect(target.stdout).toMatch(new RegExp(`^Perpetrator ${entrant}: harm score over time`));
    expect(target.stdout).toContain('new: incident CAD-CLI-1 (+');
    expect(target.stdout).toMatch(/\nNow \(.*\): \d+\.\d/);
  }, 120_000);

  it('rebuild the boards from the graph with `dauntless rescore --all`, as for a graph recorded before the scorer ran', async () => {
    const at = Date.now();
    const before = (await london.scorer.topFive(borough, at)).map((r) => r.entityId);
    await redis.del(...(await keysUnder(redis, `${london.board.namespace}:board:`)), ...(await keysUnder(redis, `${london.board.namespace}:standing:`)), ...(await keysUnder(redis, `${london.board.namespace}:perp:`)));
    expect(await london.scorer.topFive(borough, at)).toEqual([]);
    const rescored = await dauntless('rescore', '--all');
    expect(rescored.stdout).toMatch(/^\d+ scored again; boards changed in \d+ borough\(s\): .*E09.*\. The scorer publishes them at its next tick\.\n$/);
    expect((await london.scorer.topFive(borough, Date.now())).map((r) => r.entityId)).toEqual(before);
    // The boroughs changed are waiting for the service to publish them.
    expect(await london.board.unpublished()).toContain(borough);
  }, 60_000);

  it('say what is wrong when asked for what is not there', async () => {
    const unknown = await dauntless('target', 'P-nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('No score kept');
    expect((await dauntless('rescore', '--all', 'P-x')).code).toBe(2);
    const atlantis = await dauntless('briefing', '--borough', 'Atlantis');
    expect(atlantis.code).toBe(2);
    expect(atlantis.stderr).toContain('"Atlantis" is not a Met borough');
  });
});
