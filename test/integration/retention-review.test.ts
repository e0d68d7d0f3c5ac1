// The retention review (docs/SECURITY.md "Retention"), against the real
// servers: three calls resolved in-process by the resolver's incident stage
// onto a real graph and scored onto real boards. Two are eleven years old;
// the third, a month old, names again the suspect of the second. With the
// default period of ten years an administrator runs the review through the
// API: the dry run counts three people and changes nothing; the review
// removes those three (the first call's pair and the second call's victim),
// keeps the suspect whose clock the recent call restarted and his recent
// victim, writes an ERASURE entry per removal with ids only, and leaves no
// trace of them outside the audit log. An LPT officer is refused, audited.
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
import { createRetentionIndex } from '../../shared/graph/retention-index.ts';
import { DEFAULT_REVIEW_DAYS } from '../../shared/graph/retention-rule.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { clearNamespace, scanKeys } from '../../shared/redis/keys.ts';
import { createIncidentStage, type ResolvedIncident } from '../../services/resolver/incident-stage.ts';
import { graphEventOfIncident } from '../../services/resolver/graph-event.ts';
import { discoverOidc } from '../../services/web/auth/oidc.ts';
import { createSessionStore } from '../../services/web/auth/sessions.ts';
import { createTokenVerifier } from '../../shared/access/tokens.ts';
import { createLiveHub } from '../../services/web/live-topics.ts';
import { createReadModel } from '../../services/web/read-model.ts';
import { reviewRetention } from '../../services/web/retention-review.ts';
import { scheduleRetention } from '../../services/web/retention-schedule.ts';
import { buildWebServer } from '../../services/web/server.ts';
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
const { kafka, codec, producer } = kafkaTestKit('retention-review', () => [{ topic: audit, partitions: 1, valueSchema: 'audit-entry.avsc' }]);
const redis = adminRedis();
/** A second client, for a graph reader with nothing cached. */
const freshRedis = adminRedis();
const graphNamespace = `${uniqueName('retention')}:{g}`;
const boards = scorerNamespaceFor(graphNamespace);
const state = webNamespaceFor(graphNamespace);
const logger = createLogger('test', { level: 'silent' });
const graph = createIncidentGraph({ redis, namespace: graphNamespace });
const board = createScoreBoard({ redis, namespace: boards });
const briefings = createBriefingStore({ redis, namespace: boards });
const store = createWebStore({ redis, namespace: state });
const admin = createIdentityAdmin({ redis, namespace: graphNamespace });
let app: FastifyInstance;
let entries: { values: any[]; stop(): Promise<void> };

const DAY = 86_400_000;
const NOW = Date.now();
const party = (partyId: string, roles: string[], given: string, family: string, dateOfBirth: string, phone: string, address: string) => ({
  partyId, roles, name: { title: null, given, middle: null, family, full: null, aliases: [] }, dateOfBirth, ageYears: null, gender: null, phones: [phone], emails: [], addresses: [address], relationshipToVictim: null,
});
const call = (n: number, receivedAt: number, parties: unknown[]) => sampleIncident({ incidentId: `CAD-RET-${n}`, eventId: `evt-ret-${n}`, receivedAt, reportedAt: receivedAt - 60_000, parties });
const OLD = NOW - 11 * 365 * DAY;
const calls = [
  call(1, OLD, [party('P1', ['VICTIM', 'CALLER'], 'Alys', 'OLDCASTLE-EXAMPLE', '1970-02-03', '07700 900301', '1 Quince Row, E8 1AA'), party('P2', ['SUSPECT'], 'Bartholomew', 'FORMERLY-EXAMPLE', '1968-05-06', '07700 900302', '1 Quince Row, E8 1AA')]),
  call(2, OLD + DAY, [party('P1', ['VICTIM', 'CALLER'], 'Carys', 'LONGAGO-EXAMPLE', '1975-07-08', '07700 900303', '9 Medlar Way, N16 2BB'), party('P2', ['SUSPECT'], 'Desmond', 'STILLHERE-EXAMPLE', '1972-09-10', '07700 900304', '4 Rowan Court, SE5 3CC')]),
  call(3, NOW - 30 * DAY, [party('P1', ['VICTIM', 'CALLER'], 'Eirlys', 'RECENT-EXAMPLE', '1990-11-12', '07700 900305', '4 Rowan Court, SE5 3CC'), party('P2', ['SUSPECT'], 'Desmond', 'STILLHERE-EXAMPLE', '1972-09-10', '07700 900304', '4 Rowan Court, SE5 3CC')]),
];
/** What must not be found anywhere once the first three people are removed, besides their ids. */
const REMOVED_DATA = ['oldcastle', 'formerly', 'longago', '7700900301', '7700900302', '7700900303', 'quince', 'medlar', '1970-02-03', '1968-05-06', '1975-07-08'];
const REMOVED_RECORDS = ['evt-ret-1:P1', 'evt-ret-1:P2', 'evt-ret-2:P1'];

let resolved: ResolvedIncident[] = [];
const entity = (i: number, p: number) => resolved[i]!.parties[p]!.resolution.entityId;

/** Every key under the prefixes, with everything it holds, as text. */
async function dump(client: Redis, prefixes: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const prefix of prefixes) {
    for await (const keys of scanKeys(client, `${prefix}:`)) {
      for (const key of keys) {
        const type = await client.type(key);
        const value =
          type === 'string' ? await client.get(key)
          // Sorted: a hash or set in its hashtable form is read in bucket order, which a rehash changes without a write.
          : type === 'hash' ? Object.fromEntries(Object.entries(await client.hgetall(key)).sort(([a], [b]) => (a < b ? -1 : 1)))
          : type === 'zset' ? await client.zrange(key, 0, -1, 'WITHSCORES')
          : type === 'list' ? await client.lrange(key, 0, -1)
          : type === 'set' ? (await client.smembers(key)).sort()
          : type;
        out.push(`${key} ${JSON.stringify(value)}`);
      }
    }
  }
  return out.sort();
}

beforeAll(async () => {
  const stage = createIncidentStage({ codec, store: createRedisIdentityStore({ redis, namespace: graphNamespace }), graph, model: defaultPersonModel, logger, now: () => NOW, onResolved: async (r) => void resolved.push(r) });
  let offset = 0;
  for (const incident of calls) await stage.handle(incident as any, { topic: 'cad.incidents.v1', partition: 0, message: { offset: String(offset++) } } as any);
  const scorer = createScorer({ graph, board, harm: DEFAULT_HARM_CONFIG, logger });
  for (const r of resolved) await scorer.scoreEvent(graphEventOfIncident(r, r.incident.receivedAt), NOW);
  await scorer.publishPending(NOW);
  for (const r of resolved) await store.keepIntel(r.intelligence);

  const issuer = stackSetting('OIDC_ISSUER')!;
  const oidc = await discoverOidc({ issuer, clientId: stackSetting('DAUNTLESS_WEB_CLIENT_ID') ?? 'dauntless-web', clientSecret: stackSetting('DAUNTLESS_WEB_CLIENT_SECRET') ?? 'unused-here' });
  entries = await collectDecoded(kafka, codec, audit);
  const auditLog = createAuditLog({ producer, codec, topic: audit });
  const erasure = { redis, graphNamespace, graph, board, briefings, store, harm: DEFAULT_HARM_CONFIG, logger, now: () => NOW };
  const retention = scheduleRetention({
    review: (opts) => reviewRetention({ index: createRetentionIndex({ redis, namespace: graphNamespace }), admin, erasure, audit: auditLog, reviewDays: DEFAULT_REVIEW_DAYS, principal: 'dauntless-web', logger, batch: 2 }, opts),
    redis,
    graphNamespace,
    sweepMs: 0,
    logger,
    now: () => NOW,
  });
  app = await buildWebServer({
    logger,
    read: createReadModel({ redis, graphNamespace, graph, admin, board, briefings, store, harm: DEFAULT_HARM_CONFIG }),
    store,
    audit: auditLog,
    sessions: createSessionStore({ redis, namespace: state, idleSeconds: 600 }),
    verifyToken: createTokenVerifier({ issuer: oidc.issuer, audience: 'dauntless-api', jwksUri: oidc.jwksUri }),
    oidc,
    hub: createLiveHub(),
    ...UNUSED_WEB_ACTIONS,
    reviewRetention: (opts) => retention.run(opts),
  });
}, 90_000);

afterAll(async () => {
  await app?.close();
  await entries?.stop();
  for (const ns of [graphNamespace, boards, state]) await clearNamespace(redis, ns);
  redis.disconnect();
  freshRedis.disconnect();
});

const review = (token: string, dryRun: boolean) => app.inject({ method: 'POST', url: '/api/retention/review', headers: { authorization: `Bearer ${token}` }, payload: { dryRun } });

describe('the retention review', () => {
  it('removes the people past the review period, keeps the one a recent call restarted, audits each removal by ids, and leaves no trace of them', async () => {
    const [alys, bartholomew, carys, desmond, eirlys] = [entity(0, 0), entity(0, 1), entity(1, 0), entity(1, 1), entity(2, 0)];
    // The test can fail: five people, the suspect of the second call named again by the third.
    expect(new Set([alys, bartholomew, carys, desmond, eirlys]).size).toBe(5);
    expect(entity(2, 1)).toBe(desmond);
    const before = await dump(redis, [graphNamespace, boards, state]);
    expect(before.some((t) => t.toLowerCase().includes('oldcastle'))).toBe(true);

    // Administrators only: an LPT officer is refused, and the refusal audited.
    const lpt = await review(await accessTokenFor(seededUser('lpt-officer', 'E09000022')), false);
    expect(lpt.statusCode).toBe(403);

    const administrator = await accessTokenFor(seededUser('administrator'));
    const dry = await review(administrator, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, reviewDays: 3650, peopleRemoved: 3, recordsRemoved: 3, peopleKept: 1, eventsLookedAt: 2 });
    // The dry run changed nothing but the queue's mark of being complete.
    expect((await dump(redis, [graphNamespace, boards, state])).filter((t) => !t.includes(':review:indexed'))).toEqual(before);

    const done = await review(administrator, false);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ dryRun: false, peopleRemoved: 3, recordsRemoved: 3, peopleKept: 1, eventsLookedAt: 2 });
    // Counts only: no id, no name.
    expect(done.body).not.toMatch(/P[0-9a-f]{20}|evt-ret|example/i);

    const after = await dump(redis, [graphNamespace, boards, state]);
    const traces = after.filter((t) => [alys, bartholomew, carys, ...REMOVED_RECORDS, ...REMOVED_DATA].some((needle) => t.toLowerCase().includes(needle.toLowerCase())));
    expect(traces).toEqual([]);
    // Kept: the suspect with his old and his recent incident, and his recent victim.
    const [history] = await createIncidentGraph({ redis: freshRedis, namespace: graphNamespace }).histories([desmond]);
    expect(history!.events.map((e) => e.facts.eventId).sort()).toEqual(['evt-ret-2', 'evt-ret-3']);
    expect(await redis.zcard(`${graphNamespace}:ent:${eirlys}:members`)).toBe(1);
    // The old events are off the queue; the recent one waits for its time.
    expect(await redis.zrange(`${graphNamespace}:review:events`, 0, -1)).toEqual(['evt-ret-3']);

    // Each removal written first, by the service, naming the rule; ids only.
    const removals: any[] = await waitFor('three removals in the audit log', () => {
      const found = entries.values.filter((e) => e.action === 'retention.removed');
      return found.length === 3 ? found : undefined;
    }, { timeoutMs: 15_000 });
    for (const entry of removals) {
      expect(entry).toMatchObject({ kind: 'ERASURE', outcome: 'DONE', actor: { kind: 'SERVICE', id: 'dauntless-web' }, purpose: 'retention rule: no record for 3650 days (DAUNTLESS_RETENTION_REVIEW_DAYS=3650)' });
    }
    expect(removals.map((e) => [...e.subjectIds].sort()).sort()).toEqual([[alys, 'evt-ret-1:P1'], [bartholomew, 'evt-ret-1:P2'], [carys, 'evt-ret-2:P1']].map((ids) => ids.sort()).sort());
    expect(entries.values.find((e) => e.action === 'retention.reviewed' && e.outcome === 'REFUSED')).toMatchObject({ kind: 'ERASURE', actor: { username: 'lpt.lambeth' } });
    expect(entries.values.find((e) => e.action === 'retention.reviewed' && e.outcome === 'DONE')).toMatchObject({ actor: { username: 'admin' } });
    const text = JSON.stringify(entries.values).toLowerCase();
    for (const needle of REMOVED_DATA) expect(text).not.toContain(needle);

    // Nothing more is due: a second review removes no one.
    expect((await review(administrator, false)).json()).toMatchObject({ peopleRemoved: 0, eventsLookedAt: 0 });
  }, 90_000);
});
