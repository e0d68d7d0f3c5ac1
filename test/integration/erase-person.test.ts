// Erasing a person (docs/SECURITY.md "Erasure"), against the real servers:
// two calls resolved in-process by the resolver's incident stage onto a real
// graph, scored onto real boards, their intelligence, a plan and a briefing
// kept; then a supervisor erases the victim through the web route. Every key
// of the graph, boards and web namespaces is read back: nothing names the
// victim (names, phones, address, record ids, entity id), while the suspect's
// history still has both incidents; the audit entry is there, with ids only.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../shared/audit/audit-log.ts';
import { createBriefingStore } from '../../shared/boards/briefing-store.ts';
import { scorerNamespaceFor, webNamespaceFor } from '../../shared/boards/namespaces.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import { stackSetting } from '../../shared/config/credentials.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
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
import { erasePerson } from '../../services/web/erase-person.ts';
import { createLiveHub } from '../../services/web/live-topics.ts';
import { createReadModel } from '../../services/web/read-model.ts';
import { buildWebServer, SESSION_COOKIE } from '../../services/web/server.ts';
import { createWebStore } from '../../services/web/web-store.ts';
import { UNUSED_WEB_ACTIONS } from '../helpers/web-deps.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';
import { adminRedis } from '../helpers/redis.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { seededUser } from '../helpers/sign-in.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const audit = `${uniqueName('audit')}.v1`;
const { kafka, codec, producer } = kafkaTestKit('erase-person', () => [{ topic: audit, partitions: 1, valueSchema: 'audit-entry.avsc' }]);
const redis = adminRedis();
/** A second client, for a graph reader with nothing cached. */
const adminRedisFresh = adminRedis();
const graphNamespace = `${uniqueName('erase')}:{g}`;
const boards = scorerNamespaceFor(graphNamespace);
const state = webNamespaceFor(graphNamespace);
const LAMBETH = 'E09000022';
const logger = createLogger('test', { level: 'silent' });
const graph = createIncidentGraph({ redis, namespace: graphNamespace });
const board = createScoreBoard({ redis, namespace: boards });
const briefings = createBriefingStore({ redis, namespace: boards });
const store = createWebStore({ redis, namespace: state });
const sessions = createSessionStore({ redis, namespace: state, idleSeconds: 600 });
let app: FastifyInstance;
let entries: { values: any[]; stop(): Promise<void> };

const first = sampleIncident({ incidentId: 'CAD-ERASE-1', eventId: 'evt-erase-1' });
const [victim, suspect] = first.parties as any[];
const second = sampleIncident({
  incidentId: 'CAD-ERASE-2',
  eventId: 'evt-erase-2',
  receivedAt: (first.receivedAt as number) + 86_400_000 * 30,
  reportedAt: (first.receivedAt as number) + 86_400_000 * 30,
  parties: [{ ...victim, name: { ...victim.name, title: null, given: null, family: null, full: 'EXAMPLE-TESTER, Jo' }, dateOfBirth: '03/04/1991', phones: ['+447700900123'], addresses: ['2/10 Acacia Road SE114AA'] }, suspect],
});
const at = (second.receivedAt as number) + 60_000;
/** What must not be found anywhere once the victim is erased, besides their ids. */
const VICTIM_DATA = ['EXAMPLE-TESTER', 'example tester', 'exampletester', '7700900123', 'acacia', '1991-04-03'];

/** Every key under the prefixes, with everything it holds, as text. */
async function dump(client: Redis, prefixes: string[]): Promise<{ key: string; text: string }[]> {
  const out: { key: string; text: string }[] = [];
  for (const prefix of prefixes) {
    for await (const keys of scanKeys(client, `${prefix}:`)) {
      for (const key of keys) {
        const type = await client.type(key);
        const value =
          type === 'string' ? await client.get(key)
          : type === 'hash' ? await client.hgetall(key)
          : type === 'zset' ? await client.zrange(key, 0, -1, 'WITHSCORES')
          : type === 'list' ? await client.lrange(key, 0, -1)
          : type === 'set' ? await client.smembers(key)
          : type;
        out.push({ key, text: `${key} ${JSON.stringify(value)}` });
      }
    }
  }
  return out;
}

let resolved: ResolvedIncident[] = [];
let victimId: string;
let suspectId: string;

beforeAll(async () => {
  const stage = createIncidentStage({ codec, store: createRedisIdentityStore({ redis, namespace: graphNamespace }), graph, model: defaultPersonModel, logger, now: () => at, onResolved: async (r) => void resolved.push(r) });
  let offset = 0;
  for (const incident of [first, second]) await stage.handle(incident as any, { topic: 'cad.incidents.v1', partition: 0, message: { offset: String(offset++) } } as any);
  victimId = resolved[1]!.parties[0]!.resolution.entityId;
  suspectId = resolved[1]!.parties[1]!.resolution.entityId;
  // What the other services keep of them: scores (with the scorer's kept event records), a published ranking,
  // a briefing, the intelligence, a plan and a recent call.
  const scorer = createScorer({ graph, board, harm: DEFAULT_HARM_CONFIG, logger });
  for (const r of resolved) await scorer.scoreEvent(graphEventOfIncident(r, r.incident.receivedAt), at);
  await scorer.publishPending(at);
  await briefings.keepBriefing(LAMBETH, { at, entries: [victimId, suspectId].map((entityId, i) => ({ entityId, rank: i + 1, score: 1, lastIncidentAt: at, incidents: 2, contributions: [] })) });
  for (const r of resolved) await store.keepIntel(r.intelligence);
  await store.keepPlan({ entityId: victimId, boroughCode: LAMBETH, owner: 'DS Example', actions: ['Visit'], status: 'ACTIVE', reviewDate: '2027-01-31', updatedAt: at, updatedBy: 'lead' });

  const issuer = stackSetting('OIDC_ISSUER')!;
  const oidc = await discoverOidc({ issuer, clientId: stackSetting('DAUNTLESS_WEB_CLIENT_ID') ?? 'dauntless-web', clientSecret: stackSetting('DAUNTLESS_WEB_CLIENT_SECRET') ?? 'unused-here' });
  entries = await collectDecoded(kafka, codec, audit);
  app = await buildWebServer({
    logger,
    read: createReadModel({ redis, graphNamespace, graph, admin: createIdentityAdmin({ redis, namespace: graphNamespace }), board, briefings, store, harm: DEFAULT_HARM_CONFIG }),
    store,
    audit: createAuditLog({ producer, codec, topic: audit }),
    sessions,
    verifyToken: createTokenVerifier({ issuer: oidc.issuer, audience: 'dauntless-api', jwksUri: oidc.jwksUri }),
    oidc,
    hub: createLiveHub(),
    ...UNUSED_WEB_ACTIONS,
    erasePerson: (entityId) => erasePerson({ redis, graphNamespace, graph, board, briefings, store, harm: DEFAULT_HARM_CONFIG, logger, now: () => at }, entityId),
  });
}, 90_000);

afterAll(async () => {
  await app?.close();
  await entries?.stop();
  for (const ns of [graphNamespace, boards, state]) await clearNamespace(redis, ns);
  redis.disconnect();
  adminRedisFresh.disconnect();
});

const sessionOf = async (role: string) => {
  const user = seededUser(role);
  const { id, session } = await sessions.create({ subject: `sub-${user.username}`, username: user.username, displayName: user.username, roles: rolesFrom(user.roles), boroughs: user.boroughs, kind: 'PERSON' }, 'id-token');
  return { cookie: `${SESSION_COOKIE}=${id}`, csrf: session.csrfToken };
};

describe('erasing a person', () => {
  it('leaves no trace of the victim in the graph, the boards or the web keys, keeps the incidents in the suspect\'s history, and audits the erasure by ids', async () => {
    expect(victimId).not.toBe(suspectId);
    expect(resolved[1]!.parties[0]!.resolution.decision.outcome).toBe('link');
    const victimRecords = ['evt-erase-1:P1', 'evt-erase-2:P1'];
    const before = await dump(redis, [graphNamespace, boards, state]);
    // The test can fail: before the erasure the victim is everywhere.
    expect(before.some(({ text }) => text.includes(victimId))).toBe(true);
    expect(before.some(({ text }) => text.toLowerCase().includes('7700900123'))).toBe(true);
    expect(before.some(({ key }) => key.endsWith(`:plan:${victimId}`))).toBe(true);

    // Refused to a lead, and without a reason.
    const lead = await sessionOf('dauntless-lead');
    const refused = await app.inject({ method: 'POST', url: `/api/persons/${victimId}/erase`, headers: { cookie: lead.cookie, 'x-csrf-token': lead.csrf }, payload: { reason: 'asked by the data subject' } });
    expect(refused.statusCode).toBe(403);
    const supervisor = await sessionOf('supervisor');
    const noReason = await app.inject({ method: 'POST', url: `/api/persons/${victimId}/erase`, headers: { cookie: supervisor.cookie, 'x-csrf-token': supervisor.csrf }, payload: { reason: 'short' } });
    expect(noReason.statusCode).toBe(400);
    const noCsrf = await app.inject({ method: 'POST', url: `/persons/${victimId}/erase`, headers: { cookie: supervisor.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'reason=asked+by+the+data+subject' });
    expect(noCsrf.statusCode).toBe(403);

    const done = await app.inject({
      method: 'POST',
      url: `/persons/${victimId}/erase`,
      headers: { cookie: supervisor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(supervisor.csrf)}&reason=${encodeURIComponent('Erasure requested by the data subject, ref DP-0001')}`,
    });
    expect(done.statusCode).toBe(200);

    const after = await dump(redis, [graphNamespace, boards, state]);
    const traces = after.filter(({ text }) => [victimId, ...victimRecords, ...VICTIM_DATA].some((needle) => text.toLowerCase().includes(needle.toLowerCase())));
    expect(traces.map((t) => t.text)).toEqual([]);

    // The suspect keeps both incidents, with a party that is nobody now (read as a process started now reads it:
    // a running process keeps the facts it parsed, whose party entities are read afresh each time).
    const [history] = await createIncidentGraph({ redis: adminRedisFresh, namespace: graphNamespace }).histories([suspectId]);
    expect(history!.events.map((e) => e.facts.eventId).sort()).toEqual(['evt-erase-1', 'evt-erase-2']);
    for (const event of history!.events) {
      expect(event.partyEntityIds).toEqual([undefined, suspectId]);
      expect(event.facts.parties.map((p) => p.recordId)).toEqual(['erased', `${event.facts.eventId}:P2`]);
    }
    const intel = JSON.parse((await redis.get(`${state}:intel:CAD-ERASE-2`))!);
    expect(intel.persons.map((p: { entityId: string }) => p.entityId)).toEqual([suspectId]);
    expect(await store.plan(victimId)).toBeUndefined();
    // Scored again without her: the suspect's incidents stay, with no victim known.
    expect((await board.summaries([suspectId]))[0]?.distinctVictims).toBe(0);

    const entry: any = await waitFor('the erasure in the audit log', () => entries.values.find((e) => e.action === 'person.erased' && e.outcome === 'DONE'), { timeoutMs: 15_000 });
    expect(entry).toMatchObject({ kind: 'ERASURE', purpose: 'Erasure requested by the data subject, ref DP-0001' });
    expect([...entry.subjectIds].sort()).toEqual([victimId, ...victimRecords].sort());
    const text = JSON.stringify(entry).toLowerCase();
    for (const needle of VICTIM_DATA) expect(text).not.toContain(needle.toLowerCase());
    // Written before the erasure: the refusals first, then it.
    expect(entries.values.filter((e) => e.action === 'person.erased').map((e) => e.outcome)).toEqual(['REFUSED', 'DONE']);
  }, 60_000);
});
