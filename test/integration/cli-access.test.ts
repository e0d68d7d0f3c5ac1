// The operator CLI under need-to-know, against the real stack: Keycloak signs
// the tokens (the test client's password grant for seeded users), the CLI
// runs as a child process as an operator would, and the s62 entries are read
// back from audit.v1 (as the admin: the operator principal may only append).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAuditLog } from '../../shared/audit/audit-reader.ts';
import type { AuditEntry } from '../../shared/audit/audit-entry.ts';
import { stackSetting } from '../../shared/config/credentials.ts';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createSimulatedLondon } from '../../scripts/examples/simulated-london.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { testKafkaSecurity } from '../helpers/kafka-security.ts';
import { adminRedis } from '../helpers/redis.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { accessTokenFor, seededUser } from '../helpers/sign-in.ts';
import { uniqueName } from '../helpers/unique.ts';

const exec = promisify(execFile);
const endpoints = testEndpoints();
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const redis = adminRedis();
const namespace = `${uniqueName('cli-access')}:{g}`;
const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const london = createSimulatedLondon({ redis, namespace, codec, logger });
const HACKNEY = 'E09000012';
const run = randomUUID().slice(0, 8);

type Result = { code: number; stdout: string; stderr: string };
/** The CLI as an operator runs it, with this token (or none); resolves whatever the exit code. */
function dauntless(token: string | undefined, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Result> {
  const { DAUNTLESS_ACCESS_TOKEN: _t, ...rest } = process.env;
  const env: NodeJS.ProcessEnv = { ...rest, DAUNTLESS_GRAPH: namespace, DAUNTLESS_CLI_SESSION: `/nonexistent/${run}/session.json`, ...(token ? { DAUNTLESS_ACCESS_TOKEN: token } : {}), ...extra };
  return exec('node', ['bin/dauntless.js', ...args], { env, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
let entityId: string;
let supervisor: string;
let lambeth: string;
const started = Date.now();

async function auditSince(): Promise<AuditEntry[]> {
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'cli-access-test', logger, security: testKafkaSecurity() });
  const entries = await searchAuditLog({ kafka, codec, query: { limit: 100_000 }, groupPrefix: 'test.cli-access' });
  return entries.filter((e) => e.at >= started - 1_000);
}

beforeAll(async () => {
  const incident = sampleIncident({ incidentId: `CAD-CLI-${run}`, eventId: `evt-cli-${run}`, receivedAt: Date.now() - 3_600_000 }) as unknown as IncidentReported;
  const resolved = await london.call(incident);
  entityId = resolved.parties[0]!.resolution.entityId;
  [supervisor, lambeth] = await Promise.all([accessTokenFor(seededUser('supervisor')), accessTokenFor(seededUser('lpt-officer', 'E09000022'))]);
}, 120_000);

afterAll(async () => {
  await london.clear();
  redis.disconnect();
});

describe('the operator CLI, signed in or not', () => {
  it('refuses a token it did not get from the provider, and one changed after signing, in one sentence, exit 4, showing nothing', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ preferred_username: 'supervisor', roles: ['supervisor'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setSubject('forged-subject')
      .setIssuer(stackSetting('OIDC_ISSUER')!)
      .setAudience('dauntless-api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const [header, payload, signature] = supervisor.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const tampered = [header, Buffer.from(JSON.stringify({ ...claims, roles: ['supervisor', 'auditor'], exp: claims.exp + 3_600 })).toString('base64url'), signature].join('.');
    for (const token of [forged, tampered, 'not-a-jwt']) {
      const result = await dauntless(token, ['explain', entityId, '--purpose', 'checking a reported wrong merge']);
      expect(result.code).toBe(4);
      expect(result.stdout).toBe('');
      expect(lines(result.stderr)).toEqual(['dauntless explain: The access token was not accepted (its signature, issuer, audience or expiry): run `dauntless login` again.']);
    }
    const none = await dauntless(undefined, ['briefing', '--borough', HACKNEY]);
    expect(none).toMatchObject({ code: 4, stdout: '' });
    expect(lines(none.stderr)).toEqual(['dauntless briefing: Nobody is signed in: run `dauntless login` (or set DAUNTLESS_ACCESS_TOKEN).']);
  }, 120_000);

  it('refuses a Lambeth LPT the Hackney briefing in one sentence, exit 5, and audits the refusal; a supervisor explains a person with a purpose, audited by id; an unmerge is audited before it is tried', async () => {
    const refused = await dauntless(lambeth, ['briefing', '--borough', HACKNEY]);
    expect(refused.code).toBe(5);
    expect(refused.stdout).toBe('');
    expect(lines(refused.stderr)).toEqual([`dauntless briefing: Borough ${HACKNEY} is not yours: an LPT sees its own borough only.`]);

    const noPurpose = await dauntless(supervisor, ['explain', entityId]);
    expect(noPurpose.code).toBe(5);
    expect(noPurpose.stdout).toBe('');
    expect(lines(noPurpose.stderr)).toEqual(['dauntless explain: No legitimate route to this person: state the purpose (at least 10 characters); it is recorded.']);

    const purpose = `checking a reported wrong merge ${run}`;
    const explained = await dauntless(supervisor, ['explain', entityId, '--purpose', purpose]);
    expect(explained.stderr).toBe('');
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(new RegExp(`^Entity ${entityId}`));

    const mergeId = `M-cli-${run}`;
    const reason = `two different women ${run}`;
    const unmerge = await dauntless(supervisor, ['unmerge', mergeId, '--reason', reason]);
    expect(unmerge.code).toBe(1); // no such merge: the entry is written first all the same
    expect((await dauntless(lambeth, ['unmerge', mergeId, '--reason', reason])).code).toBe(5);

    const entries = await auditSince();
    const actor = (username: string) => expect.objectContaining({ kind: 'PERSON', username, roles: [username === 'supervisor' ? 'supervisor' : 'lpt-officer'] });
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'DISCLOSURE', action: 'briefing.viewed', outcome: 'REFUSED', subjectIds: [HACKNEY], actor: actor('lpt.lambeth'), resource: 'dauntless briefing', purpose: `Borough ${HACKNEY} is not yours: an LPT sees its own borough only.` }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'CONSULTATION', action: 'person.explained', outcome: 'REFUSED', subjectIds: [entityId], actor: actor('supervisor') }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'CONSULTATION', action: 'person.explained', outcome: 'DONE', subjectIds: [entityId], purpose: `stated purpose: ${purpose}`, actor: actor('supervisor'), resource: 'dauntless explain' }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'ALTERATION', action: 'merge.reversed', outcome: 'DONE', subjectIds: [mergeId], purpose: reason, evidenceId: mergeId, actor: actor('supervisor') }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'ALTERATION', action: 'merge.reversed', outcome: 'REFUSED', subjectIds: [mergeId], actor: actor('lpt.lambeth') }));
    // Ids only: no entry of this run carries a name from the call.
    const ours = entries.filter((e) => e.subjectIds.includes(entityId) || e.subjectIds.includes(mergeId));
    expect(JSON.stringify(ours)).not.toMatch(/EXAMPLE|07700/i);
  }, 180_000);

  it('shows nothing when the audit log cannot be written', async () => {
    // A topic the operator principal may read but not write: every entry is refused by Kafka.
    const result = await dauntless(supervisor, ['explain', entityId, '--purpose', 'checking a reported wrong merge'], { DAUNTLESS_AUDIT_TOPIC: 'dauntless.topfive.v1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^dauntless explain: The audit log could not be written \(.*\), so nothing is shown or changed/);
  }, 120_000);
});
