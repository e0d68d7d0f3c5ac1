// The web server's own rules, driven with fastify's `inject` against real
// Redis, Kafka (the audit log) and the real identity provider (tokens by the
// test client's password grant, checked against its published keys): who is
// asking, CSRF, headers, errors as JSON with stable codes, sessions.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../shared/audit/audit-log.ts';
import { createBriefingStore } from '../../shared/boards/briefing-store.ts';
import { scorerNamespaceFor, webNamespaceFor } from '../../shared/boards/namespaces.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { stackSetting } from '../../shared/config/credentials.ts';
import { DEFAULT_HARM_CONFIG } from '../../shared/harm/harm-config.ts';
import { createIdentityAdmin } from '../../shared/graph/identity-admin.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { discoverOidc } from '../../services/web/auth/oidc.ts';
import { createSessionStore } from '../../services/web/auth/sessions.ts';
import { createTokenVerifier } from '../../shared/access/tokens.ts';
import { rolesFrom } from '../../shared/access/access.ts';
import { createLiveHub } from '../../services/web/live-topics.ts';
import { createReadModel } from '../../services/web/read-model.ts';
import { buildWebServer, SESSION_COOKIE } from '../../services/web/server.ts';
import { createWebStore } from '../../services/web/web-store.ts';
import { UNUSED_WEB_ACTIONS } from '../helpers/web-deps.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';
import { accessTokenFor, seededUser } from '../helpers/sign-in.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { adminRedis } from '../helpers/redis.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const audit = `${uniqueName('audit')}.v1`;
const { kafka, codec, producer } = kafkaTestKit('web-server', () => [{ topic: audit, partitions: 1, valueSchema: 'audit-entry.avsc' }]);
const redis = adminRedis();
const graphNamespace = `${uniqueName('web-srv')}:{g}`;
const boards = scorerNamespaceFor(graphNamespace);
const state = webNamespaceFor(graphNamespace);
let app: FastifyInstance;
let entries: { values: any[]; stop(): Promise<void> };
const sessions = createSessionStore({ redis, namespace: state, idleSeconds: 600 });
const LAMBETH = 'E09000022';

beforeAll(async () => {
  const issuer = stackSetting('OIDC_ISSUER')!;
  const clientId = stackSetting('DAUNTLESS_WEB_CLIENT_ID') ?? 'dauntless-web';
  const oidc = await discoverOidc({ issuer, clientId, clientSecret: stackSetting('DAUNTLESS_WEB_CLIENT_SECRET') ?? 'unused-here' });
  const graph = createIncidentGraph({ redis, namespace: graphNamespace });
  const board = createScoreBoard({ redis, namespace: boards });
  const store = createWebStore({ redis, namespace: state });
  entries = await collectDecoded(kafka, codec, audit);
  app = await buildWebServer({
    logger: createLogger('test', { level: 'silent' }),
    read: createReadModel({ redis, graphNamespace, graph, admin: createIdentityAdmin({ redis, namespace: graphNamespace }), board, briefings: createBriefingStore({ redis, namespace: boards }), store, harm: DEFAULT_HARM_CONFIG }),
    store,
    audit: createAuditLog({ producer, codec, topic: audit }),
    sessions,
    verifyToken: createTokenVerifier({ issuer: oidc.issuer, audience: 'dauntless-api', jwksUri: oidc.jwksUri }),
    oidc,
    hub: createLiveHub(),
    ...UNUSED_WEB_ACTIONS,
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await entries?.stop();
  for (const ns of [graphNamespace, boards, state]) await clearNamespace(redis, ns);
  redis.disconnect();
});

const sessionOf = async (role: string, borough?: string) => {
  const user = seededUser(role, borough);
  const { id, session } = await sessions.create({ subject: `sub-${user.username}`, username: user.username, displayName: user.username, roles: rolesFrom(user.roles), boroughs: user.boroughs, kind: 'PERSON' }, 'id-token');
  return { cookie: `${SESSION_COOKIE}=${id}`, csrf: session.csrfToken, username: user.username };
};

describe('the web server', () => {
  it('sends a person without a session to sign in, and a system without a token a 401 in JSON', async () => {
    const page = await app.inject({ method: 'GET', url: '/boroughs/E09000022' });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/sign-in?returnTo=%2Fboroughs%2FE09000022');
    const api = await app.inject({ method: 'GET', url: '/api/me' });
    expect(api.statusCode).toBe(401);
    expect(api.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    expect(api.headers['www-authenticate']).toContain('Bearer');
  });

  it('starts sign-in at the provider with PKCE, and refuses a callback it did not start', async () => {
    const start = await app.inject({ method: 'GET', url: '/sign-in?returnTo=//evil.example' });
    expect(start.statusCode).toBe(302);
    const location = new URL(start.headers.location as string);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8080/auth/callback');
    const callback = await app.inject({ method: 'GET', url: '/auth/callback?state=made-up&code=x', headers: { accept: 'application/json' } });
    expect(callback.statusCode).toBe(400);
    expect(callback.json().error.code).toBe('SIGN_IN_EXPIRED');
  });

  it('knows a system by its bearer token, roles and boroughs from the provider', async () => {
    const user = seededUser('lpt-officer', LAMBETH);
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${await accessTokenFor(user)}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: user.username, roles: ['lpt-officer'], boroughs: [LAMBETH] });
    const bad = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Bearer not.a.token' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('INVALID_TOKEN');
  });

  it('refuses a change sent with a session cookie but without its CSRF token, and audits nothing for it', async () => {
    const lead = await sessionOf('dauntless-lead');
    const body = 'owner=DS+Example&actions=Visit&status=ACTIVE&reviewDate=2027-01-31&boroughCode=E09000022';
    const forged = await app.inject({ method: 'POST', url: '/targets/P1/plan', headers: { cookie: lead.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    expect(forged.statusCode).toBe(403);
    const good = await app.inject({ method: 'POST', url: '/targets/P1/plan', headers: { cookie: lead.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `${body}&_csrf=${lead.csrf}` });
    expect(good.statusCode).toBe(303);
    await waitFor('the plan change audited', () => entries.values.some((e) => e.action === 'plan.changed' && e.actor.username === lead.username && e.subjectIds.includes('P1')));
  });

  it('keeps a tactical plan with every change, who and when', async () => {
    const lead = await sessionOf('dauntless-lead');
    const plan = { boroughCode: LAMBETH, owner: 'DS Example', actions: ['Visit', 'Check bail'], status: 'ACTIVE', reviewDate: '2027-02-01' };
    const put = await app.inject({ method: 'PUT', url: '/api/targets/P2/plan', headers: { cookie: lead.cookie, 'x-csrf-token': lead.csrf }, payload: plan });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ ...plan, entityId: 'P2', updatedBy: lead.username });
    const again = await app.inject({ method: 'PUT', url: '/api/targets/P2/plan', headers: { cookie: lead.cookie, 'x-csrf-token': lead.csrf }, payload: { ...plan, status: 'COMPLETED' } });
    expect(again.statusCode).toBe(200);
    const targets = await app.inject({ method: 'GET', url: '/api/targets', headers: { cookie: lead.cookie } });
    const p2 = targets.json().targets.find((t: any) => t.entityId === 'P2');
    expect(p2.plan.status).toBe('COMPLETED');
    expect(p2.history.map((h: any) => h.plan.status)).toEqual(['ACTIVE', 'COMPLETED']);
    const bad = await app.inject({ method: 'PUT', url: '/api/targets/P2/plan', headers: { cookie: lead.cookie, 'x-csrf-token': lead.csrf }, payload: { ...plan, status: 'WHENEVER' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('BAD_REQUEST');
    const lpt = await sessionOf('lpt-officer', 'E09000012');
    const refused = await app.inject({ method: 'PUT', url: '/api/targets/P2/plan', headers: { cookie: lpt.cookie, 'x-csrf-token': lpt.csrf }, payload: plan });
    expect(refused.statusCode).toBe(403);
  });

  it('answers every page and API with headers that keep personal data out of caches and scripts out of pages', async () => {
    const lead = await sessionOf('dauntless-lead');
    const page = await app.inject({ method: 'GET', url: '/consistency', headers: { cookie: lead.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    const consistency = await app.inject({ method: 'GET', url: '/api/consistency?month=2026-12', headers: { cookie: lead.cookie } });
    expect(consistency.json()).toMatchObject({ month: '2026-12', boroughs: expect.any(Array) });
    expect(consistency.json().boroughs).toHaveLength(32);
  });

  it('answers unknown routes, bad ids, refused roles and undoable merges with stable codes', async () => {
    const supervisor = await sessionOf('supervisor');
    const auditor = await sessionOf('auditor');
    const expectError = async (req: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; payload?: object }, status: number, code: string) => {
      const res = await app.inject(req);
      expect(res.statusCode, JSON.stringify(req)).toBe(status);
      expect(res.json().error.code).toBe(code);
    };
    await expectError({ method: 'GET', url: '/api/nothing-here', headers: { cookie: supervisor.cookie } }, 404, 'NOT_FOUND');
    await expectError({ method: 'GET', url: '/api/persons/bad%20id%3Cscript%3E', headers: { cookie: supervisor.cookie } }, 400, 'BAD_ID');
    await expectError({ method: 'GET', url: '/api/boroughs/E09000001/top-five', headers: { cookie: supervisor.cookie } }, 404, 'UNKNOWN_BOROUGH');
    await expectError({ method: 'GET', url: '/api/audit', headers: { cookie: supervisor.cookie } }, 403, 'FORBIDDEN');
    await expectError({ method: 'GET', url: '/api/boroughs', headers: { cookie: auditor.cookie } }, 403, 'FORBIDDEN');
    await expectError({ method: 'GET', url: '/api/feed', headers: { cookie: auditor.cookie } }, 403, 'FORBIDDEN');
    await expectError({ method: 'POST', url: '/api/persons/P1/unmerge', headers: { cookie: supervisor.cookie, 'x-csrf-token': supervisor.csrf }, payload: { mergeId: 'm-1' } }, 400, 'REASON_REQUIRED');
    await expectError({ method: 'POST', url: '/api/persons/P1/unmerge', headers: { cookie: supervisor.cookie, 'x-csrf-token': supervisor.csrf }, payload: { mergeId: 'm-1', reason: 'two different sisters' } }, 409, 'MERGE_NOT_REVERSIBLE');
    await expectError({ method: 'POST', url: '/api/persons/P1/unmerge', headers: { cookie: auditor.cookie, 'x-csrf-token': auditor.csrf }, payload: { mergeId: 'm-1', reason: 'two different sisters' } }, 403, 'FORBIDDEN');
    await expectError({ method: 'GET', url: '/api/persons/P-none?purpose=checking%20a%20complaint%20about%20a%20record', headers: { cookie: supervisor.cookie } }, 404, 'UNKNOWN_PERSON');
    await expectError({ method: 'GET', url: '/api/persons/P-none', headers: { cookie: supervisor.cookie } }, 403, 'PURPOSE_REQUIRED');
    await expectError({ method: 'POST', url: '/api/incidents', headers: { cookie: supervisor.cookie, 'x-csrf-token': supervisor.csrf }, payload: {} }, 403, 'FORBIDDEN');
  });

  it('ends a session on sign-out', async () => {
    const lead = await sessionOf('dauntless-lead');
    const out = await app.inject({ method: 'POST', url: '/sign-out', headers: { cookie: lead.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${lead.csrf}` });
    expect(out.statusCode).toBe(302);
    expect(out.headers.location).toContain('logout');
    const after = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: lead.cookie } });
    expect(after.statusCode).toBe(401);
  });
});
