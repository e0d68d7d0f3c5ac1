// The web service's HTTP side: the pages and the /api for systems, behind
// sign-in (a session cookie for people, a bearer token for systems) and the
// need-to-know rules of shared/access/access.ts, with every consultation, disclosure and
// alteration written to the audit log before the answer leaves. Built from
// its dependencies, so the tests drive the very same server with `inject`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AuditLog } from '../../shared/audit/audit-log.ts';
import type { AuditEntry, AuditInput, AuditKind } from '../../shared/audit/audit-entry.ts';
import { BOROUGHS, boroughByCode } from '../../shared/geography/boroughs.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { checkReadiness, type ReadinessCheck } from '../../shared/metrics/readiness.ts';
import * as access from '../../shared/access/access.ts';
import type { WebUser, Permission } from '../../shared/access/access.ts';
import type { SessionStore, Session } from './auth/sessions.ts';
import { userOfSession } from './auth/sessions.ts';
import type { TokenVerifier } from '../../shared/access/tokens.ts';
import type { OidcClient } from './auth/oidc.ts';
import { intelCard } from './html/cards.ts';
import { page } from './html/layout.ts';
import * as pages from './html/pages.ts';
import type { LiveEvents, LiveHub } from './live-topics.ts';
import type { PersonView, ReadModel } from './read-model.ts';
import { monthOf, MEASURES, PLAN_STATUSES, type PlanStatus, type TacticalPlan, type WebStore } from './web-store.ts';
import { html, type SafeHtml } from './html/html.ts';
import type { PersonRecord } from '../../shared/er/identity-store.ts';
import type { RetentionCounts } from './retention-review.ts';
import { applyCorrection, correctableValues, CORRECTABLE_FIELDS, reasonQuotesValue, type CorrectionFields } from '../../shared/er/record-correction.ts';

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const STATIC: Record<string, { type: string; body: Buffer }> = {
  'app.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(STATIC_DIR, 'app.css')) },
  'app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(STATIC_DIR, 'app.js')) },
};

export const SESSION_COOKIE = 'dauntless_session';
const ENTITY_ID = /^[A-Za-z0-9:_.\-]{1,128}$/;
const INCIDENT_ID = /^[A-Za-z0-9:_.\-/]{1,128}$/;
const BOROUGH = /^E09\d{6}$/;
/** A record id as the graph writes it (`<eventId>:<partyId>`, escaped: shared/graph/record-id.ts): no control characters. */
const RECORD_ID = /^[^\u0000-\u001f\u007f]{1,300}$/;

export type WebDeps = {
  logger: Logger;
  read: ReadModel;
  store: WebStore;
  audit: AuditLog;
  sessions: SessionStore;
  verifyToken: TokenVerifier;
  oidc: Pick<OidcClient, 'start' | 'finish' | 'signOutUrl'>;
  hub: LiveHub;
  /** Validates and produces a call on cad.incidents.v1 (POST /api/incidents). */
  reportIncident(body: unknown, user: WebUser): Promise<{ ok: true; incidentId: string } | { ok: false; reasons: string[] }>;
  /** Reverses a merge and re-scores the people it touched (supervisors). */
  unmerge(mergeId: string): Promise<{ survivor: string; restored: string; resolvedAgain: number }>;
  /** Erases a person from the graph, the boards, the briefings and the web service's keys, and re-scores the people they shared events with (supervisors). */
  erasePerson(entityId: string): Promise<{ entityId: string; entityIds: string[]; recordIds: string[]; scoredAgain: string[] }>;
  /** A person record as stored, for a supervisor's correction (undefined: the graph has no such record). */
  readRecord(recordId: string): Promise<{ entityId: string | undefined; record: PersonRecord } | undefined>;
  /** Stores a checked correction, resolves the record again and re-scores the people it touched (supervisors). */
  correctRecord(recordId: string, corrected: PersonRecord): Promise<{ before: string; after: string; outcome: string; merged: string[]; scoredAgain: string[]; refugeWithheld: boolean }>;
  /** The retention review now, or its dry run (administrators): counts only; undefined when a review is running already. */
  reviewRetention(opts: { dryRun: boolean }): Promise<RetentionCounts | undefined>;
  /** The audit entries matching, newest first (auditors). */
  searchAudit(filter: AuditFilter): Promise<AuditEntry[]>;
  /** A4 PDF of an HTML document. */
  renderPdf(documentHtml: string): Promise<Buffer>;
  readiness: readonly ReadinessCheck[];
  publicUrl: string;
  secureCookies: boolean;
  sessionIdleSeconds: number;
  now?: () => number;
};

export type AuditFilter = { actor?: string; subject?: string; kind?: AuditKind; outcome?: 'DONE' | 'REFUSED'; limit: number };

type Caller = { user: WebUser; session: Session | undefined };

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | undefined;
  }
}

/** An error answered as JSON with a stable code (API), or as a page. */
export class WebError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Each thing wrong with the input, for an API caller (sizes and names, never values). */
    readonly reasons?: readonly string[],
  ) {
    super(message);
  }
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/') || request.url.startsWith('/events/');

export async function buildWebServer(deps: WebDeps): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024, trustProxy: false, routerOptions: { maxParamLength: 200 } });
  await app.register(cookie);
  app.decorateRequest('caller', undefined);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Dauntless API', version: '1', description: 'Pre-arrival intelligence, people, borough top fives, alerts and the s62 audit log. Every call needs a bearer access token from the force\'s identity provider (or a signed-in session); need-to-know rules apply and every answer is audited.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // --- headers every answer carries
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    if (!request.url.startsWith('/api/docs')) {
      reply.header('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self' " + new URL(deps.publicUrl).origin + ' *; base-uri \'none\'');
    }
    // Personal data is never cached by a browser or a proxy.
    if (!request.url.startsWith('/static/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  // --- who is asking
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      try {
        request.caller = { user: await deps.verifyToken(header.slice(7).trim()), session: undefined };
      } catch {
        throw new WebError(401, 'INVALID_TOKEN', 'The bearer token is not valid: expired, not from our identity provider, or not for this API.');
      }
      return;
    }
    const id = request.cookies[SESSION_COOKIE];
    if (id) {
      const session = await deps.sessions.read(id);
      if (session) request.caller = { user: userOfSession(session), session };
    }
  });

  // --- CSRF: a change made with a session cookie must carry the session's token (forms: _csrf; fetch: X-CSRF-Token)
  app.addHook('preHandler', async (request) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
    const session = request.caller?.session;
    if (!session) return;
    const sent = (request.headers['x-csrf-token'] as string | undefined) ?? (request.body as Record<string, unknown> | undefined)?._csrf;
    if (sent !== session.csrfToken) throw new WebError(403, 'CSRF_REJECTED', 'This form or request did not come from a Dauntless page (missing or wrong CSRF token). Reload the page and try again.');
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
    const web = error instanceof WebError ? error : error.validation ? new WebError(400, 'BAD_REQUEST', error.message) : error.statusCode && error.statusCode < 500 ? new WebError(error.statusCode, error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'TOO_LARGE' : 'BAD_REQUEST', error.message) : undefined;
    if (!web) deps.logger.error({ err: error, route: request.routeOptions?.url }, 'request failed');
    const status = web?.status ?? 503;
    const code = web?.code ?? 'UNAVAILABLE';
    const message = web?.message ?? 'Dauntless could not answer (a server it needs did not answer). Try again shortly.';
    if (status === 401) reply.header('WWW-Authenticate', 'Bearer realm="dauntless", error="invalid_token"');
    if (status === 401 && !isApi(request) && request.method === 'GET') return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`);
    if (isApi(request) || request.headers.accept?.includes('application/json')) return reply.status(status).send({ error: { code, message, ...(web?.reasons ? { reasons: web.reasons } : {}) } });
    return reply.status(status).type('text/html; charset=utf-8').send(page({ title: status === 403 ? 'Not for you' : 'Something went wrong', user: request.caller?.user, csrfToken: request.caller?.session?.csrfToken, body: pages.messagePage(message) }));
  });
  app.setNotFoundHandler(async (request) => {
    throw new WebError(404, 'NOT_FOUND', `No page or API at ${request.url.split('?')[0]}.`);
  });

  // --- helpers
  const signedIn = (request: FastifyRequest): Caller => {
    if (!request.caller) throw new WebError(401, 'UNAUTHENTICATED', 'Sign in first (a session, or a bearer access token for the API).');
    return request.caller;
  };
  const actorOf = (user: WebUser) => ({ kind: user.kind, id: user.subject, username: user.username, roles: [...user.roles] });
  const record = (user: WebUser, request: FastifyRequest, entry: Omit<AuditInput, 'actor' | 'resource'>) =>
    deps.audit.record({ ...entry, actor: actorOf(user), resource: `${request.method} ${request.url.split('?')[0]}` });
  /** The permission, or a 403 that is itself audited. */
  const require = async (request: FastifyRequest, permission: Permission, refused: { kind: AuditKind; action: string; subjectIds: string[] }): Promise<string> => {
    const { user } = signedIn(request);
    if (permission.allowed) return permission.purpose;
    await record(user, request, { ...refused, outcome: 'REFUSED', purpose: permission.reason });
    throw new WebError(403, permission.code, permission.reason);
  };
  /** Names are joined per request, only after need-to-know let the user see these people (intelligence on Kafka stays id-only). */
  const namesFor = (entityIds: string[]) => deps.read.names(entityIds);
  const sendPage = (reply: FastifyReply, request: FastifyRequest, title: string, body: SafeHtml, stream?: string) =>
    reply.type('text/html; charset=utf-8').send(page({ title, user: request.caller?.user, csrfToken: request.caller?.session?.csrfToken, body, stream }));
  const boroughParam = (code: string) => {
    if (!BOROUGH.test(code) || !boroughByCode(code)) throw new WebError(404, 'UNKNOWN_BOROUGH', `${code.slice(0, 20)} is not the ONS code of a Met borough.`);
    return code;
  };
  const entityParam = (id: string) => {
    if (!ENTITY_ID.test(id)) throw new WebError(400, 'BAD_ID', 'An entity id is 1-128 letters, digits and : _ . -');
    return id;
  };
  const incidentParam = (id: string) => {
    if (!INCIDENT_ID.test(id)) throw new WebError(400, 'BAD_ID', 'An incident id is 1-128 letters, digits and : _ . - /');
    return id;
  };

  // --- health
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const report = await checkReadiness(deps.readiness);
    return reply.status(report.ready ? 200 : 503).send(report);
  });
  app.get('/static/:file', { schema: { hide: true } }, async (request, reply) => {
    const asset = STATIC[(request.params as { file: string }).file];
    if (!asset) throw new WebError(404, 'NOT_FOUND', 'No such file.');
    return reply.type(asset.type).header('Cache-Control', 'public, max-age=300').send(asset.body);
  });

  // --- sign-in
  const redirectUri = new URL('/auth/callback', deps.publicUrl).href;
  app.get('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const returnTo = String((request.query as Record<string, unknown>).returnTo ?? '/');
    const start = await deps.oidc.start(redirectUri);
    // Only a path of ours: never an open redirect to another site.
    await deps.sessions.startLogin({ codeVerifier: start.codeVerifier, nonce: start.nonce, state: start.state, returnTo: /^\/(?!\/)/.test(returnTo) ? returnTo : '/' });
    return reply.redirect(start.url);
  });
  app.get('/auth/callback', { schema: { hide: true } }, async (request, reply) => {
    const state = String((request.query as Record<string, unknown>).state ?? '');
    const attempt = await deps.sessions.finishLogin(state);
    if (!attempt) throw new WebError(400, 'SIGN_IN_EXPIRED', 'This sign-in was already used or took too long. Sign in again.');
    const url = new URL(request.url, deps.publicUrl);
    let tokens: { accessToken: string; idToken: string };
    try {
      tokens = await deps.oidc.finish(url, attempt);
    } catch {
      throw new WebError(401, 'SIGN_IN_FAILED', 'The identity provider did not confirm the sign-in. Sign in again.');
    }
    const user = await deps.verifyToken(tokens.accessToken);
    const { id } = await deps.sessions.create(user, tokens.idToken);
    reply.setCookie(SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, maxAge: deps.sessionIdleSeconds });
    return reply.redirect(attempt.returnTo);
  });
  app.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    const session = request.caller?.session;
    if (id) await deps.sessions.destroy(id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(session ? deps.oidc.signOutUrl(session.idToken, new URL('/signed-out', deps.publicUrl).href) : '/signed-out');
  });
  app.get('/signed-out', { schema: { hide: true } }, async (request, reply) => sendPage(reply, request, 'Signed out', html`<p>You are signed out. <a href="/sign-in">Sign in again</a>.</p>`));

  // --- pages
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const { user } = signedIn(request);
    return sendPage(reply, request, 'Dauntless', pages.homePage({ links: access.homeLinks(user) }));
  });

  const feedFor = async (user: WebUser, limit: number) => {
    const latest = await deps.store.latestIntel(limit);
    const names = await namesFor(latest.flatMap((i) => i.persons.map((p) => p.entityId)));
    return { latest, names };
  };

  app.get('/control-room', { schema: { hide: true } }, async (request, reply) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayWatchFeed(user), { kind: 'CONSULTATION', action: 'feed.viewed', subjectIds: [] });
    const { latest, names } = await feedFor(user, 20);
    await record(user, request, { kind: 'CONSULTATION', action: 'feed.viewed', subjectIds: latest.flatMap((i) => [i.incidentId, ...i.persons.map((p) => p.entityId)]), purpose });
    return sendPage(reply, request, 'Control room', pages.controlRoomPage({ intel: latest.map((intel) => ({ intel, names })) }), '/events/feed');
  });

  // Server-sent events: each new call's card, rendered for this user, audited as it is shown.
  app.get('/events/feed', { schema: { hide: true } }, async (request, reply) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayWatchFeed(user), { kind: 'CONSULTATION', action: 'feed.watched', subjectIds: [] });
    const send = async (intel: PreArrivalIntelligence) => {
      try {
        const ids = intel.persons.map((p) => p.entityId);
        const names = await namesFor(ids);
        await record(user, request, { kind: 'CONSULTATION', action: 'intel.shown', subjectIds: [intel.incidentId, ...ids], purpose });
        reply.raw.write(`event: intel\ndata: ${JSON.stringify({ incidentId: intel.incidentId, html: intelCard(intel, names).text })}\n\n`);
      } catch (error) {
        deps.logger.warn({ err: (error as Error).message, incidentId: intel.incidentId }, 'a card was not sent to the feed');
      }
    };
    return stream(request, reply, (on) => on('intel', (intel) => void send(intel)));
  });

  function stream(request: FastifyRequest, reply: FastifyReply, subscribe: (on: LiveHub['on']) => void) {
    reply.hijack();
    reply.raw.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Content-Type-Options': 'nosniff' });
    reply.raw.write(': connected\n\n');
    const listeners: [keyof LiveEvents, (...args: never[]) => void][] = [];
    const on = ((event: keyof LiveEvents, listener: (...args: never[]) => void) => {
      listeners.push([event, listener]);
      deps.hub.on(event, listener as never);
      return deps.hub;
    }) as LiveHub['on'];
    subscribe(on);
    const ping = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(ping);
      for (const [event, listener] of listeners) deps.hub.off(event, listener as never);
    });
  }

  /** Whether a route leads this user to the person, judged on the view already read (one read of the history). */
  const personReach = async (user: WebUser, entityId: string, found: PersonView | undefined, query: Record<string, unknown>) => {
    const incidentId = typeof query.incident === 'string' && INCIDENT_ID.test(query.incident) ? query.incident : undefined;
    let viaIncident: access.PersonReach['viaIncident'];
    if (incidentId) {
      const intel = await deps.store.intel(incidentId);
      if (intel) viaIncident = { incidentId, boroughCode: intel.boroughCode, personInIt: intel.persons.some((p) => p.entityId === entityId || p.entityId === found?.entityId) };
    }
    const reach: access.PersonReach = { boroughs: found?.boroughs ?? [], inRecentCall: await deps.store.inRecentCall(entityId), viaIncident };
    return { reach, permission: access.mayReadPerson(user, reach, typeof query.purpose === 'string' ? query.purpose : undefined) };
  };

  app.get('/persons/:entityId', { schema: { hide: true } }, async (request, reply) => {
    const { user, session } = signedIn(request);
    const entityId = entityParam((request.params as { entityId: string }).entityId);
    const view = await deps.read.person(entityId, now());
    const { permission } = await personReach(user, entityId, view, request.query as Record<string, unknown>);
    if (!permission.allowed && permission.code === 'PURPOSE_REQUIRED') {
      await record(user, request, { kind: 'CONSULTATION', action: 'person.viewed', subjectIds: [entityId], outcome: 'REFUSED', purpose: permission.reason });
      return sendPage(reply.status(403), request, 'State your purpose', pages.purposePage({ entityId, reason: permission.reason }));
    }
    const purpose = await require(request, permission, { kind: 'CONSULTATION', action: 'person.viewed', subjectIds: [entityId] });
    if (!view) throw new WebError(404, 'UNKNOWN_PERSON', `No person ${entityId} in the graph.`);
    const names = await namesFor([view.entityId, ...view.linked.map((l) => l.entityId), ...view.timeline.flatMap((t) => t.others.map((o) => o.entityId))]);
    const canAlter = access.mayAlterRecords(user).allowed;
    // The fields of each record, for the correction forms: supervisors only.
    const correctable = canAlter ? new Map((await deps.read.records(view.entityId)).map((r) => [r.recordId, correctableValues(r.fields)] as const)) : undefined;
    await record(user, request, { kind: 'CONSULTATION', action: 'person.viewed', subjectIds: [view.entityId], purpose });
    return sendPage(reply, request, 'Person', pages.personPage({ view, names, canUnmerge: canAlter, correctable, csrfToken: session?.csrfToken ?? '' }));
  });

  const unmergeAction = async (request: FastifyRequest, entityId: string, body: Record<string, unknown>) => {
    const { user } = signedIn(request);
    const mergeId = String(body.mergeId ?? '');
    const reason = String(body.reason ?? '').trim();
    await require(request, access.mayAlterRecords(user), { kind: 'ALTERATION', action: 'merge.reversed', subjectIds: [entityId, mergeId] });
    if (!ENTITY_ID.test(mergeId)) throw new WebError(400, 'BAD_ID', 'Name the merge to undo (mergeId).');
    if (reason.length < 10) throw new WebError(400, 'REASON_REQUIRED', 'Say why the merge is wrong (at least 10 characters): it is recorded.');
    // Recorded before the change: an alteration nobody can account for must not happen.
    await record(user, request, { kind: 'ALTERATION', action: 'merge.reversed', subjectIds: [entityId, mergeId], purpose: reason.slice(0, 500), evidenceId: mergeId });
    try {
      return await deps.unmerge(mergeId);
    } catch (error) {
      if ((error as { code?: string }).code === 'VALIDATION_FAILED') throw new WebError(409, 'MERGE_NOT_REVERSIBLE', (error as Error).message);
      throw error;
    }
  };

  app.post('/persons/:entityId/unmerge', { schema: { hide: true } }, async (request, reply) => {
    const entityId = entityParam((request.params as { entityId: string }).entityId);
    const result = await unmergeAction(request, entityId, request.body as Record<string, unknown>);
    return reply.redirect(`/persons/${encodeURIComponent(result.survivor)}?purpose=${encodeURIComponent('after undoing a merge')}`, 303);
  });

  const eraseAction = async (request: FastifyRequest, entityId: string, body: Record<string, unknown>) => {
    const { user } = signedIn(request);
    const reason = String(body.reason ?? '').trim();
    await require(request, access.mayAlterRecords(user), { kind: 'ERASURE', action: 'person.erased', subjectIds: [entityId] });
    if (reason.length < 10) throw new WebError(400, 'REASON_REQUIRED', 'Say why this person is erased (at least 10 characters): it is recorded.');
    const view = await deps.read.person(entityId, now());
    if (!view?.explanation) throw new WebError(404, 'UNKNOWN_PERSON', `No person ${entityId} in the graph.`);
    // The ids it stood for (merged into it, not reversed) and its records: ids only, never names.
    const absorbed = view.explanation.merges.filter((m) => m.survivor === view.entityId && !m.reversedAt).map((m) => m.absorbed);
    const subjectIds = [...new Set([entityId, view.entityId, ...absorbed, ...view.explanation.records.map((r) => r.recordId)])];
    // Recorded before the erasure: an erasure nobody can account for must not happen.
    await record(user, request, { kind: 'ERASURE', action: 'person.erased', subjectIds, purpose: reason.slice(0, 500) });
    try {
      return await deps.erasePerson(view.entityId);
    } catch (error) {
      if ((error as { code?: string }).code === 'VALIDATION_FAILED') throw new WebError(404, 'UNKNOWN_PERSON', (error as Error).message);
      throw error;
    }
  };

  app.post('/persons/:entityId/erase', { schema: { hide: true } }, async (request, reply) => {
    const entityId = entityParam((request.params as { entityId: string }).entityId);
    const result = await eraseAction(request, entityId, request.body as Record<string, unknown>);
    return sendPage(reply, request, 'Person erased', pages.messagePage(`Person ${result.entityId} is erased: ${result.recordIds.length} record(s); ${result.scoredAgain.length} other people scored again. The audit log keeps that it was done.`));
  });

  /**
   * A supervisor's correction of one record: refused (and audited) for anyone else; checked with a call's caps; the
   * ALTERATION entry (the record, the person it was on, the names of the fields, never their values) written before
   * the graph changes, and a second once the record is placed again, naming where it went.
   */
  const correctAction = async (request: FastifyRequest, recordId: string, fields: unknown, reasonText: unknown) => {
    const { user } = signedIn(request);
    if (!RECORD_ID.test(recordId)) throw new WebError(400, 'BAD_ID', 'A record id is 1-300 characters, none of them control characters.');
    await require(request, access.mayAlterRecords(user), { kind: 'ALTERATION', action: 'record.corrected', subjectIds: [recordId] });
    const reason = String(reasonText ?? '').trim();
    if (reason.length < 10) throw new WebError(400, 'REASON_REQUIRED', 'Say why the record is corrected (at least 10 characters): it is recorded.');
    const stored = await deps.readRecord(recordId);
    if (!stored) throw new WebError(404, 'UNKNOWN_RECORD', `No record ${recordId.slice(0, 200)} in the graph (or none kept with its fields).`);
    const checked = applyCorrection(stored.record, fields);
    if (!checked.ok) throw new WebError(422, checked.code, checked.code === 'NOTHING_TO_CORRECT' ? 'The correction changes nothing: every field given already has that value.' : `The correction is not valid; nothing was changed: ${checked.reasons.join('; ')}.`, checked.reasons);
    if (reasonQuotesValue(reason, stored.record, checked.record, checked.changed)) {
      throw new WebError(400, 'REASON_QUOTES_VALUE', 'The reason quotes a value of the record; the audit log keeps no personal data. Say why without the value (e.g. "day and month typed the wrong way round").');
    }
    const fieldNames = checked.changed.join(', ');
    // Recorded before the change: an alteration nobody can account for must not happen.
    await record(user, request, { kind: 'ALTERATION', action: 'record.corrected', subjectIds: [recordId, ...(stored.entityId ? [stored.entityId] : [])], purpose: `${reason.slice(0, 400)} (fields: ${fieldNames})`, evidenceId: recordId });
    let result: Awaited<ReturnType<WebDeps['correctRecord']>>;
    try {
      result = await deps.correctRecord(recordId, checked.record);
    } catch (error) {
      if ((error as { code?: string }).code === 'VALIDATION_FAILED') throw new WebError(409, 'RECORD_NOT_CORRECTABLE', (error as Error).message);
      throw error;
    }
    await record(user, request, { kind: 'ALTERATION', action: 'record.resolved-again', subjectIds: [recordId, result.before, result.after, ...result.merged], purpose: `after a correction of ${fieldNames}: ${result.outcome === 'new' ? 'a person of its own' : result.before === result.after ? 'kept on the same person' : `moved to ${result.after}`}`, evidenceId: recordId });
    if (result.refugeWithheld) await record(user, request, { kind: 'COLLECTION', action: 'refuge.withheld', subjectIds: [recordId], purpose: 'a refuge phone or address was withheld from matching and storage' });
    return { recordId, before: result.before, after: result.after, outcome: result.outcome, changed: checked.changed, scoredAgain: result.scoredAgain.length };
  };

  /** A correction form's fields: every field the form shows, as the API takes them (an empty box clears the field). */
  const formCorrection = (body: Record<string, unknown>): CorrectionFields => {
    const fields: CorrectionFields = {};
    for (const field of CORRECTABLE_FIELDS) {
      if (!(field in body)) continue;
      const text = String(body[field] ?? '');
      if (['aliases', 'phones', 'emails', 'addresses'].includes(field)) fields[field] = text.split(/\r?\n/);
      else if (field === 'ageYears') fields[field] = text.trim() ? Number(text) : null;
      else fields[field] = text.trim() ? text.trim() : null;
    }
    return fields;
  };

  app.post('/records/:recordId/correct', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const result = await correctAction(request, (request.params as { recordId: string }).recordId, formCorrection(body), body.reason);
    return reply.redirect(`/persons/${encodeURIComponent(result.after)}?purpose=${encodeURIComponent('after correcting a record')}`, 303);
  });

  const boardFor = async (user: WebUser, boroughCode: string) => {
    const { model, kept } = await deps.read.borough(boroughCode, now());
    const ids = model.topFive.flatMap((p) => [p.entityId, ...p.victimEntityIds, ...p.counterAllegations.map((c) => c.otherEntityId)]);
    const names = await namesFor(ids);
    const trajectories = new Map(await Promise.all(model.topFive.map(async (p) => [p.entityId, await deps.read.trajectory(p.entityId)] as const)));
    const plans = new Map<string, TacticalPlan>();
    for (const p of model.topFive) {
      const plan = await deps.store.plan(p.entityId);
      if (plan) plans.set(p.entityId, plan);
    }
    return { model, kept, names, trajectories, plans, ids };
  };

  app.get('/boroughs/:code', { schema: { hide: true } }, async (request, reply) => {
    const { user, session } = signedIn(request);
    const code = boroughParam((request.params as { code: string }).code);
    const purpose = await require(request, access.mayReadBorough(user, code), { kind: 'CONSULTATION', action: 'board.viewed', subjectIds: [code] });
    const board = await boardFor(user, code);
    const alerts = await deps.store.alerts(code);
    const alertNames = await namesFor(alerts.map((a) => String(a.alert.perpetratorEntityId ?? '')));
    for (const [k, v] of alertNames) board.names.set(k, v);
    await record(user, request, { kind: 'CONSULTATION', action: 'board.viewed', subjectIds: [code, ...board.ids], purpose });
    return sendPage(reply, request, `${boroughByCode(code)!.name}: top five`, pages.boroughPage({ boroughCode: code, board: pages.boardFragment(board), alerts, names: board.names, csrfToken: session?.csrfToken ?? '', canAcknowledge: access.mayAcknowledgeAlert(user, code).allowed }), `/events/boroughs/${code}`);
  });

  app.get('/events/boroughs/:code', { schema: { hide: true } }, async (request, reply) => {
    const { user } = signedIn(request);
    const code = boroughParam((request.params as { code: string }).code);
    const purpose = await require(request, access.mayReadBorough(user, code), { kind: 'CONSULTATION', action: 'board.watched', subjectIds: [code] });
    const sendBoard = async () => {
      try {
        const board = await boardFor(user, code);
        await record(user, request, { kind: 'CONSULTATION', action: 'board.viewed', subjectIds: [code, ...board.ids], purpose });
        reply.raw.write(`event: board\ndata: ${JSON.stringify({ html: pages.boardFragment(board).text })}\n\n`);
      } catch (error) {
        deps.logger.warn({ err: (error as Error).message, boroughCode: code }, 'a board update was not sent');
      }
    };
    return stream(request, reply, (on) => {
      on('topFive', (notice) => void (notice.boroughCode === code && sendBoard()));
      on('alert', (alert) => void (alert.boroughCode === code && reply.raw.write(`event: alert\ndata: ${JSON.stringify({ alertId: alert.alertId })}\n\n`)));
    });
  });

  const briefingDocument = async (user: WebUser, code: string) => {
    const board = await boardFor(user, code);
    const body = html`<p class="marking-line"><strong>OFFICIAL-SENSITIVE</strong>: Operation Dauntless briefing for ${boroughByCode(code)!.name} LPT. Do not forward outside the LPT.</p>${pages.boardFragment(board)}`;
    return { board, text: page({ title: `Operation Dauntless briefing: ${boroughByCode(code)!.name}`, user: undefined, body }) };
  };

  app.get('/boroughs/:code/briefing', { schema: { hide: true } }, async (request, reply) => {
    const { user } = signedIn(request);
    const code = boroughParam((request.params as { code: string }).code);
    const purpose = await require(request, access.mayReadBorough(user, code), { kind: 'DISCLOSURE', action: 'briefing.viewed', subjectIds: [code] });
    const { board, text } = await briefingDocument(user, code);
    await record(user, request, { kind: 'DISCLOSURE', action: 'briefing.viewed', subjectIds: [code, ...board.ids], purpose });
    await deps.read.keepBriefing(code, board.kept);
    return reply.type('text/html; charset=utf-8').send(text);
  });

  app.get('/boroughs/:code/briefing.pdf', { schema: { hide: true } }, async (request, reply) => {
    const { user } = signedIn(request);
    const code = boroughParam((request.params as { code: string }).code);
    const purpose = await require(request, access.mayReadBorough(user, code), { kind: 'DISCLOSURE', action: 'briefing.exported', subjectIds: [code] });
    const { board, text } = await briefingDocument(user, code);
    // Inline the stylesheet: the PDF renderer loads nothing from the network.
    const pdf = await deps.renderPdf(text.replace('<link rel="stylesheet" href="/static/app.css">', `<style>${STATIC['app.css']!.body.toString('utf8')}</style>`).replace('<script src="/static/app.js" defer></script>', ''));
    await record(user, request, { kind: 'DISCLOSURE', action: 'briefing.exported', subjectIds: [code, ...board.ids], purpose });
    await deps.read.keepBriefing(code, board.kept);
    return reply.type('application/pdf').header('Content-Disposition', `attachment; filename="dauntless-briefing-${code}-${new Date(now()).toISOString().slice(0, 10)}.pdf"`).send(pdf);
  });

  const acknowledge = async (request: FastifyRequest, code: string, alertId: string) => {
    const { user } = signedIn(request);
    await require(request, access.mayAcknowledgeAlert(user, code), { kind: 'ALTERATION', action: 'alert.acknowledged', subjectIds: [code, alertId] });
    const alert = await deps.store.alert(alertId);
    if (!alert || alert.boroughCode !== code) throw new WebError(404, 'UNKNOWN_ALERT', `No alert ${alertId.slice(0, 100)} for borough ${code}.`);
    await record(user, request, { kind: 'ALTERATION', action: 'alert.acknowledged', subjectIds: [code, alertId, String(alert.alert.perpetratorEntityId ?? '')] });
    const first = await deps.store.acknowledge(alertId, user.username, now());
    if (first) await deps.store.count(monthOf(alert.at), code, 'alertsAcknowledged');
    return { alertId, acknowledged: true, already: !first };
  };

  app.post('/boroughs/:code/alerts/:alertId/acknowledge', { schema: { hide: true } }, async (request, reply) => {
    const { code, alertId } = request.params as { code: string; alertId: string };
    await acknowledge(request, boroughParam(code), alertId);
    return reply.redirect(`/boroughs/${code}`, 303);
  });

  const allBoroughs = () => deps.read.allBoroughs(BOROUGHS.map((b) => b.code), now());

  app.get('/dauntless', { schema: { hide: true } }, async (request, reply) => {
    const { user, session } = signedIn(request);
    const purpose = await require(request, access.mayReadAllBoroughs(user), { kind: 'CONSULTATION', action: 'all-boards.viewed', subjectIds: [] });
    const boroughs = await allBoroughs();
    const targetIds = await deps.store.targets();
    const targets = await Promise.all(targetIds.map(async (entityId) => ({ entityId, ...(await deps.read.target(entityId)), trajectory: await deps.read.trajectory(entityId) })));
    const ids = [...boroughs.flatMap((b) => b.five.map((f) => f.entityId)), ...targetIds];
    const names = await namesFor(ids);
    await record(user, request, { kind: 'CONSULTATION', action: 'all-boards.viewed', subjectIds: ids, purpose });
    return sendPage(reply, request, 'Operation Dauntless: every borough', pages.leadsPage({ boroughs, names, targets, csrfToken: session?.csrfToken ?? '' }));
  });

  const savePlan = async (request: FastifyRequest, entityId: string, body: Record<string, unknown>) => {
    const { user } = signedIn(request);
    const boroughCode = String(body.boroughCode ?? '');
    const existing = await deps.store.plan(entityId);
    const code = existing?.boroughCode || boroughCode;
    if (!BOROUGH.test(code)) throw new WebError(400, 'BAD_REQUEST', 'Name the borough of the target (boroughCode).');
    await require(request, access.mayChangeTacticalPlan(user, code), { kind: 'ALTERATION', action: 'plan.changed', subjectIds: [entityId, code] });
    const actions = (Array.isArray(body.actions) ? body.actions.map(String) : String(body.actions ?? '').split('\n')).map((a) => a.trim()).filter(Boolean).slice(0, 20).map((a) => a.slice(0, 300));
    const status = String(body.status ?? 'PLANNED') as PlanStatus;
    const reviewDate = String(body.reviewDate ?? '');
    const owner = String(body.owner ?? '').trim().slice(0, 100);
    if (!PLAN_STATUSES.includes(status)) throw new WebError(400, 'BAD_REQUEST', `status is one of ${PLAN_STATUSES.join(', ')}.`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(reviewDate)) throw new WebError(400, 'BAD_REQUEST', 'reviewDate is a date, yyyy-mm-dd.');
    if (!owner) throw new WebError(400, 'BAD_REQUEST', 'Name the owner of the plan.');
    const plan: TacticalPlan = { entityId, boroughCode: code, owner, actions, status, reviewDate, updatedAt: now(), updatedBy: user.username };
    await record(user, request, { kind: 'ALTERATION', action: 'plan.changed', subjectIds: [entityId, code], purpose: `tactical plan ${status}` });
    await deps.store.keepPlan(plan);
    await deps.store.count(monthOf(plan.updatedAt), code, 'targetActions');
    return plan;
  };

  app.post('/targets/:entityId/plan', { schema: { hide: true } }, async (request, reply) => {
    const entityId = entityParam((request.params as { entityId: string }).entityId);
    await savePlan(request, entityId, request.body as Record<string, unknown>);
    return reply.redirect('/dauntless#targets', 303);
  });

  const months = () => {
    const list: string[] = [];
    const d = new Date(now());
    for (let i = 0; i < 12; i++) list.push(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1)).toISOString().slice(0, 7));
    return list;
  };
  const monthQuery = (query: Record<string, unknown>) => {
    const month = typeof query.month === 'string' && /^\d{4}-\d{2}$/.test(query.month) ? query.month : monthOf(now());
    return month;
  };

  app.get('/consistency', { schema: { hide: true } }, async (request, reply) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayReadConsistency(user), { kind: 'CONSULTATION', action: 'consistency.viewed', subjectIds: [] });
    const month = monthQuery(request.query as Record<string, unknown>);
    const rows = pages.consistencyRows(await deps.store.monthStats(month));
    await record(user, request, { kind: 'CONSULTATION', action: 'consistency.viewed', subjectIds: [month], purpose });
    return sendPage(reply, request, 'Borough consistency', pages.consistencyPage({ month, months: months(), rows }));
  });

  const auditFilter = (query: Record<string, unknown>): AuditFilter => {
    const text = (k: string) => (typeof query[k] === 'string' && query[k] ? String(query[k]).slice(0, 200) : undefined);
    const kind = text('kind');
    const outcome = text('outcome');
    return {
      actor: text('actor'),
      subject: text('subject'),
      kind: kind && ['COLLECTION', 'ALTERATION', 'CONSULTATION', 'DISCLOSURE', 'COMBINATION', 'ERASURE'].includes(kind) ? (kind as AuditKind) : undefined,
      outcome: outcome === 'DONE' || outcome === 'REFUSED' ? outcome : undefined,
      limit: Math.min(Number(query.limit) || 500, 5000),
    };
  };

  app.get('/audit', { schema: { hide: true } }, async (request, reply) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayReadAudit(user), { kind: 'CONSULTATION', action: 'audit.searched', subjectIds: [] });
    const query = request.query as Record<string, string>;
    const entries = await deps.searchAudit(auditFilter(query));
    await record(user, request, { kind: 'CONSULTATION', action: 'audit.searched', subjectIds: [], purpose });
    return sendPage(reply, request, 'Audit log', pages.auditPage({ entries, query: Object.fromEntries(Object.entries(query).filter(([k]) => ['actor', 'subject', 'kind', 'outcome'].includes(k))) }));
  });

  // --- the API for systems: the same data as JSON
  const errorSchema = { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } } };
  const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 503: errorSchema };
  const api = (tags: string[], summary: string, extra: Record<string, unknown> = {}) => ({ schema: { tags, summary, response: { ...errors }, ...extra } });

  app.get('/api/me', api(['session'], 'Who the token or session is, with roles and boroughs'), async (request) => {
    const { user } = signedIn(request);
    return { subject: user.subject, username: user.username, kind: user.kind, roles: [...user.roles], boroughs: user.boroughs };
  });

  app.get('/api/feed', api(['control room'], 'The latest pre-arrival intelligence, newest first'), async (request) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayWatchFeed(user), { kind: 'DISCLOSURE', action: 'feed.read', subjectIds: [] });
    const limit = Math.min(Number((request.query as Record<string, unknown>).limit) || 20, 200);
    const { latest, names } = await feedFor(user, limit);
    await record(user, request, { kind: 'DISCLOSURE', action: 'feed.read', subjectIds: latest.flatMap((i) => [i.incidentId, ...i.persons.map((p) => p.entityId)]), purpose });
    return { intelligence: latest.map((i) => withNames(i, names)) };
  });

  const withNames = (intel: PreArrivalIntelligence, names: Map<string, { name: string }>) => ({
    ...intel,
    persons: intel.persons.map((p) => ({ ...p, name: names.get(p.entityId)?.name || null })),
  });

  app.get('/api/incidents/:incidentId/intel', api(['control room'], 'The pre-arrival intelligence of one incident, with names for those entitled', { params: { type: 'object', properties: { incidentId: { type: 'string' } } } }), async (request) => {
    const { user } = signedIn(request);
    const incidentId = incidentParam((request.params as { incidentId: string }).incidentId);
    const intel = await deps.store.intel(incidentId);
    if (!intel) {
      // Asked and not found is still asked: recorded, with nothing disclosed.
      await record(user, request, { kind: 'CONSULTATION', action: 'intel.read', subjectIds: [incidentId], outcome: 'DONE', purpose: 'not found' });
      throw new WebError(404, 'UNKNOWN_INCIDENT', `No intelligence for incident ${incidentId}: not received, or older than 90 days.`);
    }
    const purpose = await require(request, access.mayReadIncident(user, intel.boroughCode), { kind: 'DISCLOSURE', action: 'intel.read', subjectIds: [incidentId] });
    const names = await namesFor(intel.persons.map((p) => p.entityId));
    await record(user, request, { kind: 'DISCLOSURE', action: 'intel.read', subjectIds: [incidentId, ...intel.persons.map((p) => p.entityId)], purpose });
    return withNames(intel, names);
  });

  app.post('/api/incidents', api(['call handling'], 'Report a call as cad.incidents.v1 takes it (IncidentReported, JSON); validated, then produced to Kafka', { response: { ...errors, 202: { type: 'object', properties: { incidentId: { type: 'string' }, accepted: { type: 'boolean' } } }, 422: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, reasons: { type: 'array', items: { type: 'string' } } } } } } } }), async (request, reply) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayReportIncident(user), { kind: 'COLLECTION', action: 'incident.reported', subjectIds: [] });
    const result = await deps.reportIncident(request.body, user);
    if (!result.ok) return (reply as FastifyReply).status(422).send({ error: { code: 'INVALID_INCIDENT', message: 'The call is not a valid IncidentReported; nothing was produced.', reasons: result.reasons } });
    await record(user, request, { kind: 'COLLECTION', action: 'incident.reported', subjectIds: [result.incidentId], purpose });
    return (reply as FastifyReply).status(202).send({ incidentId: result.incidentId, accepted: true });
  });

  app.get('/api/persons/:entityId', api(['people'], 'A person: timeline, linked people, orders and bail, match evidence and merges. Needs a legitimate route (?incident=<id> you handle, a person in your borough) or ?purpose= for leads and supervisors'), async (request) => {
    const { user } = signedIn(request);
    const entityId = entityParam((request.params as { entityId: string }).entityId);
    const view = await deps.read.person(entityId, now());
    const { permission } = await personReach(user, entityId, view, request.query as Record<string, unknown>);
    const purpose = await require(request, permission, { kind: 'DISCLOSURE', action: 'person.read', subjectIds: [entityId] });
    if (!view) throw new WebError(404, 'UNKNOWN_PERSON', `No person ${entityId} in the graph.`);
    const names = await namesFor([view.entityId, ...view.linked.map((l) => l.entityId)]);
    await record(user, request, { kind: 'DISCLOSURE', action: 'person.read', subjectIds: [view.entityId], purpose });
    const self = names.get(view.entityId);
    return {
      entityId: view.entityId,
      requestedId: view.requestedId,
      name: self?.name || null,
      otherNames: self?.otherNames ?? [],
      dob: self?.dob ?? null,
      boroughs: view.boroughs,
      activeOrders: view.activeOrders,
      bailConditions: view.bailConditions,
      timeline: view.timeline,
      linked: view.linked.map((l) => ({ ...l, name: names.get(l.entityId)?.name || null })),
      records: (view.explanation?.records ?? []).map((r) => ({
        recordId: r.recordId,
        source: r.source,
        resolvedAt: r.resolvedAt,
        outcome: r.decision.outcome,
        matchWeight: r.score?.matchWeight ?? null,
        probability: r.score?.probability ?? null,
        prior: r.score ? r.score.matchWeight - r.score.evidence.reduce((s, e) => s + e.weight, 0) : null,
        evidence: r.score?.evidence ?? [],
      })),
      merges: view.explanation?.merges ?? [],
    };
  });

  app.post('/api/persons/:entityId/unmerge', api(['people'], 'Undo a merge (supervisors), with the reason: { mergeId, reason }'), async (request) => {
    const entityId = entityParam((request.params as { entityId: string }).entityId);
    return unmergeAction(request, entityId, (request.body ?? {}) as Record<string, unknown>);
  });

  app.post('/api/persons/:entityId/erase', api(['people'], 'Erase a person (supervisors), with the reason: { reason }'), async (request) => {
    const entityId = entityParam((request.params as { entityId: string }).entityId);
    const result = await eraseAction(request, entityId, (request.body ?? {}) as Record<string, unknown>);
    return { entityId: result.entityId, entityIds: result.entityIds, records: result.recordIds.length, scoredAgain: result.scoredAgain.length };
  });

  const correctionFieldSchema = Object.fromEntries(CORRECTABLE_FIELDS.map((f) => [f, ['aliases', 'phones', 'emails', 'addresses'].includes(f) ? { type: ['array', 'null'], items: { type: 'string' } } : f === 'ageYears' ? { type: ['integer', 'null'] } : { type: ['string', 'null'] }]));
  app.patch('/api/records/:recordId', api(['people'], 'Correct a person record (supervisors): { fields, reason }. A field given replaces the record\'s (a list the whole list), null clears it, a field left out stays; checked with the caps of a call. The record is resolved again: it may stay, move to another person or found one. The audit log keeps the record, the people before and after and the names of the fields, never their values; the reason must not quote a value (REASON_QUOTES_VALUE).', {
    params: { type: 'object', properties: { recordId: { type: 'string', description: 'The record id, `<eventId>:<partyId>` as the person API lists it, URL-encoded' } } },
    body: { type: 'object', required: ['fields', 'reason'], properties: { fields: { type: 'object', properties: correctionFieldSchema }, reason: { type: 'string', minLength: 1, maxLength: 500 } } },
    response: {
      ...errors,
      200: { type: 'object', properties: { recordId: { type: 'string' }, before: { type: 'string' }, after: { type: 'string' }, outcome: { type: 'string', enum: ['new', 'link', 'merge'] }, changed: { type: 'array', items: { type: 'string' } }, scoredAgain: { type: 'integer' } } },
      409: errorSchema,
      422: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string', enum: ['INVALID_CORRECTION', 'NOTHING_TO_CORRECT'] }, message: { type: 'string' }, reasons: { type: 'array', items: { type: 'string' } } } } } },
    },
  }), async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return correctAction(request, (request.params as { recordId: string }).recordId, body.fields, body.reason);
  });

  app.get('/api/boroughs/:onsCode/top-five', api(['boroughs'], 'A borough\'s live top five: score broken down, victims, orders and bail, flags, change since the last briefing, score over time'), async (request) => {
    const { user } = signedIn(request);
    const code = boroughParam((request.params as { onsCode: string }).onsCode);
    const purpose = await require(request, access.mayReadBorough(user, code), { kind: 'DISCLOSURE', action: 'board.read', subjectIds: [code] });
    const board = await boardFor(user, code);
    await record(user, request, { kind: 'DISCLOSURE', action: 'board.read', subjectIds: [code, ...board.ids], purpose });
    return {
      boroughCode: code,
      boroughName: boroughByCode(code)!.name,
      generatedAt: board.model.generatedAt,
      previousBriefingAt: board.model.previousBriefingAt,
      halfLifeDays: board.model.halfLifeDays,
      windowDays: board.model.windowDays,
      change: board.model.change,
      topFive: board.model.topFive.map((p) => ({
        ...p,
        name: board.names.get(p.entityId)?.name || null,
        victims: p.victimEntityIds.map((v) => ({ entityId: v, name: board.names.get(v)?.name || null })),
        scoreOverTime: (board.trajectories.get(p.entityId) ?? []).map((t) => ({ at: t.at, score: t.score, why: t.why })),
        tacticalPlan: board.plans.get(p.entityId) ?? null,
      })),
    };
  });

  app.get('/api/boroughs/:onsCode/alerts', api(['boroughs'], 'A borough\'s custody-release alerts, newest first, with acknowledgement'), async (request) => {
    const { user } = signedIn(request);
    const code = boroughParam((request.params as { onsCode: string }).onsCode);
    const purpose = await require(request, access.mayReadBorough(user, code), { kind: 'DISCLOSURE', action: 'alerts.read', subjectIds: [code] });
    const alerts = await deps.store.alerts(code);
    await record(user, request, { kind: 'DISCLOSURE', action: 'alerts.read', subjectIds: [code, ...alerts.map((a) => String(a.alert.perpetratorEntityId ?? ''))], purpose });
    return { boroughCode: code, alerts };
  });

  app.post('/api/boroughs/:onsCode/alerts/:alertId/acknowledge', api(['boroughs'], 'Acknowledge a custody-release alert'), async (request) => {
    const { onsCode, alertId } = request.params as { onsCode: string; alertId: string };
    return acknowledge(request, boroughParam(onsCode), alertId);
  });

  app.get('/api/boroughs', api(['Operation Dauntless'], 'Every borough\'s top five (leads)'), async (request) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayReadAllBoroughs(user), { kind: 'DISCLOSURE', action: 'all-boards.read', subjectIds: [] });
    const boroughs = await allBoroughs();
    await record(user, request, { kind: 'DISCLOSURE', action: 'all-boards.read', subjectIds: boroughs.flatMap((b) => b.five.map((f) => f.entityId)), purpose });
    return { boroughs };
  });

  app.get('/api/targets', api(['Operation Dauntless'], 'Targets with their tactical plans and every change (who, when)'), async (request) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayReadAllBoroughs(user), { kind: 'DISCLOSURE', action: 'targets.read', subjectIds: [] });
    const ids = await deps.store.targets();
    const targets = await Promise.all(ids.map(async (entityId) => ({ entityId, ...(await deps.read.target(entityId)), scoreOverTime: (await deps.read.trajectory(entityId)).map((t) => ({ at: t.at, score: t.score })) })));
    await record(user, request, { kind: 'DISCLOSURE', action: 'targets.read', subjectIds: ids, purpose });
    return { targets };
  });

  app.put('/api/targets/:entityId/plan', api(['Operation Dauntless'], 'Set a target\'s tactical plan: { boroughCode, owner, actions[], status, reviewDate }'), async (request) => {
    const entityId = entityParam((request.params as { entityId: string }).entityId);
    return savePlan(request, entityId, (request.body ?? {}) as Record<string, unknown>);
  });

  app.get('/api/consistency', api(['review'], 'Per borough and month: calls, repeat victims recognised, non-violent abuse recorded, time to intelligence, alerts acknowledged, actions on targets'), async (request) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayReadConsistency(user), { kind: 'CONSULTATION', action: 'consistency.read', subjectIds: [] });
    const month = monthQuery(request.query as Record<string, unknown>);
    const stats = await deps.store.monthStats(month);
    await record(user, request, { kind: 'CONSULTATION', action: 'consistency.read', subjectIds: [month], purpose });
    return { month, measures: MEASURES, boroughs: pages.consistencyRows(stats) };
  });

  const countsSchema = { type: 'object', properties: Object.fromEntries([['dryRun', 'boolean'], ['reviewDays', 'integer'], ['cutoff', 'string'], ['eventsLookedAt', 'integer'], ['peopleLookedAt', 'integer'], ['peopleRemoved', 'integer'], ['recordsRemoved', 'integer'], ['peopleKept', 'integer'], ['recordsWaiting', 'integer']].map(([k, type]) => [k, { type }])) };
  app.post('/api/retention/review', api(['administration'], 'Run the retention review now (administrators): every person whose latest record is older than the review period (DAUNTLESS_RETENTION_REVIEW_DAYS) is erased, each removal audited. { dryRun: true } counts what it would remove and changes nothing. Counts only, no person.', {
    body: { type: ['object', 'null'], properties: { dryRun: { type: 'boolean' } } },
    response: { ...errors, 200: countsSchema, 409: errorSchema },
  }), async (request) => {
    const { user } = signedIn(request);
    const dryRun = ((request.body ?? {}) as { dryRun?: boolean }).dryRun === true;
    const action = dryRun ? 'retention.previewed' : 'retention.reviewed';
    const kind: AuditKind = dryRun ? 'CONSULTATION' : 'ERASURE';
    const purpose = await require(request, access.mayReviewRetention(user), { kind, action, subjectIds: [] });
    // Recorded before the review: each removal it makes is recorded again on its own, by the service.
    await record(user, request, { kind, action, subjectIds: [], purpose });
    const counts = await deps.reviewRetention({ dryRun });
    if (!counts) throw new WebError(409, 'RETENTION_RUNNING', 'A retention review is running already (on its timer, or asked for by another administrator). Ask again once it is done.');
    return counts;
  });

  app.get('/api/audit', api(['audit'], 'Search the s62 audit log (auditors): ?actor=&subject=&kind=&outcome=&format=csv'), async (request, reply) => {
    const { user } = signedIn(request);
    const purpose = await require(request, access.mayReadAudit(user), { kind: 'CONSULTATION', action: 'audit.exported', subjectIds: [] });
    const query = request.query as Record<string, unknown>;
    const entries = await deps.searchAudit(auditFilter(query));
    await record(user, request, { kind: 'DISCLOSURE', action: 'audit.exported', subjectIds: [], purpose });
    if (query.format === 'csv') {
      const cell = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
      const lines = ['entryId,at,kind,action,outcome,actor,username,subjectIds,purpose,resource,evidenceId', ...entries.map((e) => [e.entryId, new Date(e.at).toISOString(), e.kind, e.action, e.outcome, e.actor.id, e.actor.username, e.subjectIds.join(' '), e.purpose, e.resource, e.evidenceId].map(cell).join(','))];
      return reply.type('text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="dauntless-audit.csv"').send(lines.join('\n') + '\n');
    }
    return { entries };
  });

  return app;
}
