// Correcting a person record (docs/SECURITY.md "Rectification"), against the
// real servers: two calls resolved in-process by the resolver's incident
// stage onto a real graph and scored onto real boards. The second call's
// victim had her date of birth typed wrong, which kept her apart from the
// first call's victim; a supervisor corrects it through the API (a real
// bearer token from the provider) and the record joins the first victim,
// the suspect's board standing follows, the wrong value leaves the graph,
// and the audit log has the correction with field names and no values. An
// LPT officer is refused and the refusal audited; the page's form works with
// its CSRF token; a correction cut short after taking the record off its
// person is finished by the resume at start.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../shared/audit/audit-log.ts';
import { createBriefingStore } from '../../shared/boards/briefing-store.ts';
import { scorerNamespaceFor, webNamespaceFor } from '../../shared/boards/namespaces.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import { stackSetting } from '../../shared/config/credentials.ts';
import type { IdentityStore } from '../../shared/er/identity-store.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { createRecordCorrections } from '../../shared/graph/correct-record.ts';
import { DEFAULT_HARM_CONFIG } from '../../shared/harm/harm-config.ts';
import { createIdentityAdmin } from '../../shared/graph/identity-admin.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { clearNamespace, scanKeys } from '../../shared/redis/keys.ts';
import { createIncidentStage, type ResolvedIncident } from '../../services/resolver/incident-stage.ts';
import { graphEventOfIncident } from '../../services/resolver/graph-event.ts';
import { rolesFrom } from '../../shared/access/access.ts';
import { discoverOidc } from '../../services/web/auth/oidc.ts';
import { createSessionStore } from '../../services/web/auth/sessions.ts';
import { createTokenVerifier } from '../../shared/access/tokens.ts';
import { correctRecord, resumeCorrections, type CorrectionDeps } from '../../services/web/correct-record.ts';
import { createLiveHub } from '../../services/web/live-topics.ts';
import { createReadModel } from '../../services/web/read-model.ts';
import { buildWebServer, SESSION_COOKIE } from '../../services/web/server.ts';
import { createWebStore } from '../../services/web/web-store.ts';
import { UNUSED_WEB_ACTIONS } from '../helpers/web-deps.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';
import { adminRedis } from '../helpers/redis.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { accessTokenFor, seededUser } from '../helpers/sign-in.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const audit = `${uniqueName('audit')}.v1`;
const { kafka, codec, producer } = kafkaTestKit('correct-record', () => [{ topic: audit, partitions: 1, valueSchema: 'audit-entry.avsc' }]);
const redis = adminRedis();
const graphNamespace = `${uniqueName('correct')}:{g}`;
const boards = scorerNamespaceFor(graphNamespace);
const state = webNamespaceFor(graphNamespace);
const logger = createLogger('test', { level: 'silent' });
const graph = createIncidentGraph({ redis, namespace: graphNamespace });
const board = createScoreBoard({ redis, namespace: boards });
const store = createWebStore({ redis, namespace: state });
const sessions = createSessionStore({ redis, namespace: state, idleSeconds: 600 });
const corrections = createRecordCorrections({ redis, namespace: graphNamespace, store: createRedisIdentityStore({ redis, namespace: graphNamespace, mirrorKeys: 0 }), model: defaultPersonModel });
let app: FastifyInstance;
let entries: { values: any[]; stop(): Promise<void> };

const first = sampleIncident({ incidentId: 'CAD-CORR-1', eventId: 'evt-corr-1' });
const [victim, suspect] = first.parties as any[];
const WRONG_DOB = '30/11/1965';
const second = sampleIncident({
  incidentId: 'CAD-CORR-2',
  eventId: 'evt-corr-2',
  receivedAt: (first.receivedAt as number) + 86_400_000 * 30,
  reportedAt: (first.receivedAt as number) + 86_400_000 * 30,
  // The same woman, her date of birth typed wrong, and no phone: nothing else ties her to the first call.
  parties: [{ ...victim, name: { ...victim.name, title: null, given: 'Joanne', family: 'Example-Tester' }, dateOfBirth: WRONG_DOB, phones: [], addresses: ['14 Bramble Close, N1 7AB'] }, suspect],
});
const at = (second.receivedAt as number) + 60_000;
const RECORD = 'evt-corr-2:P1';

let resolved: ResolvedIncident[] = [];
const deps = (overrides: Partial<CorrectionDeps> = {}): CorrectionDeps => ({ redis, graphNamespace, corrections, graph, board, harm: DEFAULT_HARM_CONFIG, logger, now: () => at, ...overrides });

/** Every key of the graph with what it holds, as text. */
async function graphText(): Promise<string[]> {
  const out: string[] = [];
  for await (const keys of scanKeys(redis, `${graphNamespace}:`)) {
    for (const key of keys) {
      const type = await redis.type(key);
      const value = type === 'hash' ? await redis.hgetall(key) : type === 'zset' ? await redis.zrange(key, 0, -1) : type === 'list' ? await redis.lrange(key, 0, -1) : type === 'set' ? await redis.smembers(key) : await redis.get(key);
      out.push(`${key} ${JSON.stringify(value)}`);
    }
  }
  return out;
}

beforeAll(async () => {
  const stage = createIncidentStage({ codec, store: createRedisIdentityStore({ redis, namespace: graphNamespace }), graph, model: defaultPersonModel, logger, now: () => at, onResolved: async (r) => void resolved.push(r) });
  let offset = 0;
  for (const incident of [first, second]) await stage.handle(incident as any, { topic: 'cad.incidents.v1', partition: 0, message: { offset: String(offset++) } } as any);
  const scorer = createScorer({ graph, board, harm: DEFAULT_HARM_CONFIG, logger });
  for (const r of resolved) await scorer.scoreEvent(graphEventOfIncident(r, r.incident.receivedAt), at);

  const issuer = stackSetting('OIDC_ISSUER')!;
  const oidc = await discoverOidc({ issuer, clientId: stackSetting('DAUNTLESS_WEB_CLIENT_ID') ?? 'dauntless-web', clientSecret: stackSetting('DAUNTLESS_WEB_CLIENT_SECRET') ?? 'unused-here' });
  entries = await collectDecoded(kafka, codec, audit);
  app = await buildWebServer({
    logger,
    read: createReadModel({ redis, graphNamespace, graph, admin: createIdentityAdmin({ redis, namespace: graphNamespace }), board, briefings: createBriefingStore({ redis, namespace: boards }), store, harm: DEFAULT_HARM_CONFIG }),
    store,
    audit: createAuditLog({ producer, codec, topic: audit }),
    sessions,
    verifyToken: createTokenVerifier({ issuer: oidc.issuer, audience: 'dauntless-api', jwksUri: oidc.jwksUri }),
    oidc,
    hub: createLiveHub(),
    ...UNUSED_WEB_ACTIONS,
    readRecord: (recordId) => corrections.read(recordId),
    correctRecord: (recordId, corrected) => correctRecord(deps(), recordId, corrected),
  });
}, 90_000);

afterAll(async () => {
  await app?.close();
  await entries?.stop();
  for (const ns of [graphNamespace, boards, state]) await clearNamespace(redis, ns);
  redis.disconnect();
});

const sessionOf = async (role: string) => {
  const user = seededUser(role);
  const { id, session } = await sessions.create({ subject: `sub-${user.username}`, username: user.username, displayName: user.username, roles: rolesFrom(user.roles), boroughs: user.boroughs, kind: 'PERSON' }, 'id-token');
  return { cookie: `${SESSION_COOKIE}=${id}`, csrf: session.csrfToken };
};
const entityOf = (recordId: string) => createRedisIdentityStore({ redis, namespace: graphNamespace }).entityOfRecord(recordId);
const patch = (token: string, payload: unknown) => app.inject({ method: 'PATCH', url: `/api/records/${encodeURIComponent(RECORD)}`, headers: { authorization: `Bearer ${token}` }, payload: payload as object });

describe('correcting a person record', () => {
  it('moves a record whose date of birth was typed wrong to the person it belongs to, the boards follow, the wrong value leaves the graph, and the audit log has field names, not values', async () => {
    const firstVictim = resolved[0]!.parties[0]!.resolution.entityId;
    const suspectId = resolved[1]!.parties[1]!.resolution.entityId;
    const apart = resolved[1]!.parties[0]!.resolution.entityId;
    // The test can fail: before the correction the two records are two people, and the suspect has two victims.
    expect(apart).not.toBe(firstVictim);
    expect((await board.summaries([suspectId]))[0]?.distinctVictims).toBe(2);
    expect((await graphText()).some((t) => t.includes('1965'))).toBe(true);

    // An LPT officer is refused, and the refusal audited.
    const lpt = await accessTokenFor(seededUser('lpt-officer', 'E09000022'));
    const refused = await patch(lpt, { fields: { dateOfBirth: '3/4/91' }, reason: 'date of birth typed wrong on the call' });
    expect(refused.statusCode).toBe(403);
    expect(await entityOf(RECORD)).toBe(apart);

    const supervisor = await accessTokenFor(seededUser('supervisor'));
    expect((await patch(supervisor, { fields: { dateOfBirth: '3/4/91' }, reason: 'short' })).statusCode).toBe(400);
    const quoting = await patch(supervisor, { fields: { dateOfBirth: '3/4/91' }, reason: `typed ${WRONG_DOB} instead of the right date` });
    expect([quoting.statusCode, quoting.json().error.code]).toEqual([400, 'REASON_QUOTES_VALUE']);
    const tooLong = await patch(supervisor, { fields: { familyName: 'x'.repeat(201) }, reason: 'family name typed wrong on the call' });
    expect([tooLong.statusCode, tooLong.json().error.code, tooLong.json().error.reasons]).toEqual([422, 'INVALID_CORRECTION', ['familyName is 201 characters long (at most 200)']]);

    const done = await patch(supervisor, { fields: { dateOfBirth: '3/4/91' }, reason: 'Date of birth typed wrong on the call, checked with the victim (ref QA-7)' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ recordId: RECORD, before: apart, after: firstVictim, outcome: 'link', changed: ['dateOfBirth'] });

    // The graph: the record is on the first victim, with the corrected value as its content and its features.
    expect(await entityOf(RECORD)).toBe(firstVictim);
    expect(await redis.zrange(`${graphNamespace}:ent:${firstVictim}:members`, 0, -1)).toEqual(['evt-corr-1:P1', RECORD]);
    expect(await redis.zcard(`${graphNamespace}:ent:${apart}:members`)).toBe(0);
    expect(JSON.parse((await redis.hget(`${graphNamespace}:rec:${RECORD}`, 'record'))!).fields.dob).toBe('3/4/91');
    expect(await redis.lrange(`${graphNamespace}:corrections:pending`, 0, -1)).toEqual([]);
    // The wrong date is nowhere in the graph: not in the record, its features, a blocking key or a term count.
    expect((await graphText()).filter((t) => t.includes('1965') || t.includes(WRONG_DOB))).toEqual([]);
    // The suspect's standing follows: one victim now.
    expect((await board.summaries([suspectId]))[0]?.distinctVictims).toBe(1);
    // The suspect's history names the first victim in both incidents.
    const [history] = await graph.histories([suspectId]);
    expect(history!.events.map((e) => e.partyEntityIds[0])).toEqual([firstVictim, firstVictim]);

    const corrected: any = await waitFor('the correction in the audit log', () => entries.values.find((e) => e.action === 'record.corrected' && e.outcome === 'DONE'), { timeoutMs: 15_000 });
    expect(corrected).toMatchObject({ kind: 'ALTERATION', subjectIds: [RECORD, apart], evidenceId: RECORD, purpose: 'Date of birth typed wrong on the call, checked with the victim (ref QA-7) (fields: dateOfBirth)' });
    const placed: any = await waitFor('where the record went, in the audit log', () => entries.values.find((e) => e.action === 'record.resolved-again'), { timeoutMs: 15_000 });
    expect(placed).toMatchObject({ kind: 'ALTERATION', subjectIds: [RECORD, apart, firstVictim] });
    const refusal = entries.values.find((e) => e.action === 'record.corrected' && e.outcome === 'REFUSED');
    expect(refusal).toMatchObject({ kind: 'ALTERATION', subjectIds: [RECORD], actor: { username: 'lpt.lambeth' } });
    const text = JSON.stringify(entries.values).toLowerCase();
    for (const value of [WRONG_DOB, '1965', '3/4/91', '1991', 'joanne', 'bramble']) expect(text).not.toContain(value);
  }, 60_000);

  it('offers each record\'s correction form to a supervisor, never to others, and takes it with the session\'s CSRF token only', async () => {
    const firstVictim = resolved[0]!.parties[0]!.resolution.entityId;
    const supervisor = await sessionOf('supervisor');
    const pageOf = (cookie: string) => app.inject({ method: 'GET', url: `/persons/${firstVictim}?purpose=${encodeURIComponent('checking a correction')}`, headers: { cookie } });
    const page = await pageOf(supervisor.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`action="/records/${encodeURIComponent(RECORD)}/correct"`);
    expect(page.body).not.toMatch(/<script(?![^>]*src=)/);
    const lead = await sessionOf('dauntless-lead');
    expect((await pageOf(lead.cookie)).body).not.toContain('/correct"');

    // The form sends every box; only the address changes, so the record moves nowhere and stays corrected.
    const form = (csrf: string | undefined) =>
      new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), givenName: 'Joanne', familyName: 'Example-Tester', fullName: '', dateOfBirth: '3/4/91', ageYears: '', gender: 'F', aliases: '', phones: '', emails: '', addresses: 'Flat 2, 10 Acacia Rd, SE11 4AA\r\n', reason: 'Address typed from the wrong screen of the call' }).toString();
    const post = (csrf: string | undefined) => app.inject({ method: 'POST', url: `/records/${encodeURIComponent(RECORD)}/correct`, headers: { cookie: supervisor.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(csrf) });
    expect((await post(undefined)).statusCode).toBe(403);
    const sent = await post(supervisor.csrf);
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toContain(`/persons/${firstVictim}?`);
    expect(JSON.parse((await redis.hget(`${graphNamespace}:rec:${RECORD}`, 'record'))!).fields.addresses).toEqual(['Flat 2, 10 Acacia Rd, SE11 4AA']);
    const entry: any = await waitFor('the form\'s correction in the audit log', () => entries.values.find((e) => e.action === 'record.corrected' && e.outcome === 'DONE' && e.purpose.includes('wrong screen')), { timeoutMs: 15_000 });
    expect(entry.purpose).toBe('Address typed from the wrong screen of the call (fields: addresses)');
  }, 60_000);

  it('finishes a correction a crash cut short after taking the record off its person: the record founds a person of its own again', async () => {
    const firstVictim = resolved[0]!.parties[0]!.resolution.entityId;
    const apart = resolved[1]!.parties[0]!.resolution.entityId;
    const stored = (await corrections.read(RECORD))!;
    // A store that fails as Redis would mid-correction: after correct.lua, before the record is placed again.
    const failing: IdentityStore = { candidates: async () => { throw new Error('connection lost'); }, entityOfRecord: async () => undefined, apply: async () => { throw new Error('connection lost'); } };
    const cut = createRecordCorrections({ redis, namespace: graphNamespace, store: failing, model: defaultPersonModel });
    await expect(correctRecord(deps({ corrections: cut }), RECORD, { ...stored.record, fields: { ...stored.record.fields, dob: WRONG_DOB, addresses: ['14 Bramble Close, N1 7AB'] } })).rejects.toThrow('connection lost');
    expect(await entityOf(RECORD)).toBeUndefined();
    expect(await redis.lrange(`${graphNamespace}:corrections:pending`, 0, -1)).toEqual([RECORD]);
    expect(await redis.zrange(`${graphNamespace}:ent:${firstVictim}:members`, 0, -1)).toEqual(['evt-corr-1:P1']);

    // At the next start: resolved from the correction kept, and off the list.
    const [finished] = await resumeCorrections(deps());
    expect(finished).toMatchObject({ recordId: RECORD, before: firstVictim, after: apart, outcome: 'new', resumed: true });
    expect(await entityOf(RECORD)).toBe(apart);
    expect(await redis.lrange(`${graphNamespace}:corrections:pending`, 0, -1)).toEqual([]);
    expect(await resumeCorrections(deps())).toEqual([]);
  }, 60_000);
});
