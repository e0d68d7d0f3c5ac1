// npm run bench:web [-- --incidents 100000 --runs 7 --namespace NAME --keep --concurrency 16 --intel 1000 --no-kafka]
// Whether the web pages load in under a second with 100,000 incidents in the
// graph. A benchmark, not a timed test.
//   1. Seeds a graph under a namespace of its own in Redis (the stack's, or
//      REDIS_URL's: the environment wins over .stack/endpoints.env): the
//      simulated call stream (shared/synth/call-stream.ts) resolved in-process
//      by the resolver's own steps (resolve-persons.ts) over the real Redis
//      identity store and recorded on the graph once by event id, several
//      calls in flight (--concurrency; a call waits for an earlier one in
//      flight that shares a blocking key, as the service's call order does).
//      Then the boards as the scorer leaves them for a graph recorded before
//      it ran (`dauntless rescore --all`): everyone scored from the graph now.
//      The last --intel calls also get their intelligence, built as the
//      incident stage builds it and filed as the web service files it
//      (fileIntel), so the control room has cards and the consistency page
//      figures.
//   2. Builds the web server in-process (buildWebServer) on that namespace
//      with the real read model, web store, session store and audit log (a
//      Kafka producer on audit.v1); sign-in is a session made directly in the
//      session store, for a lead who is also a supervisor (every page below
//      opens to them).
//      --no-kafka (a stack whose Kafka or registry this bench cannot reach):
//      each audit entry is still encoded with its contract schema
//      (schemas/audit-entry.avsc), but not sent, so the figures then lack
//      the audit's one produce round trip per page.
//   3. Times each page over --runs runs after one warm-up: the server's full
//      answer (fetch with the session cookie), and in Chromium the `load`
//      event (the navigation entry's loadEventEnd).
// The LAST line is one JSON object. The namespace is removed afterwards
// unless --keep; a later run with the same --namespace skips the seeding.
import { randomBytes } from 'node:crypto';
import avro from 'avsc';
import { ADMIN_PRINCIPAL } from '../deploy/principals.ts';
import { findRegistryAuth } from '../shared/config/credentials.ts';
import { loadKafkaSecurity, withoutKafkaLogin } from '../shared/config/kafka-security.ts';
import { loadRedisConnection, REDIS_USER } from '../shared/redis/redis-connection.ts';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import type { Redis } from 'ioredis';
import { createAuditLog } from '../shared/audit/audit-log.ts';
import { createBriefingStore } from '../shared/boards/briefing-store.ts';
import { scorerNamespaceFor } from '../shared/boards/namespaces.ts';
import { createScoreBoard } from '../shared/boards/score-board.ts';
import { createScorer } from '../shared/boards/scorer.ts';
import { loadEndpoints } from '../shared/config/endpoints.ts';
import type { IncidentReported } from '../shared/contracts/incident.ts';
import { TOPIC } from '../shared/contracts/topics.ts';
import { contractSchema, SCHEMA_FILE } from '../shared/contracts/contract-schemas.ts';
import { defaultPersonModel } from '../shared/er/model.ts';
import { createIdentityAdmin } from '../shared/graph/identity-admin.ts';
import { createIncidentGraph } from '../shared/graph/incident-graph.ts';
import { createRedisIdentityStore } from '../shared/graph/redis-identity-store.ts';
import { DEFAULT_HARM_CONFIG } from '../shared/harm/harm-config.ts';
import { createKafka } from '../shared/kafka/create-kafka.ts';
import { createRedis } from '../shared/redis/create-redis.ts';
import { clearNamespace } from '../shared/redis/keys.ts';
import { createAvroCodec } from '../shared/schema-registry/avro-codec.ts';
import { createCallStream } from '../shared/synth/call-stream.ts';
import { buildIntelligence } from '../services/resolver/build-intelligence.ts';
import { prepareRecords, recordOrderKeys, resolveInOrder, type PreparedRecord } from '../services/resolver/resolve-persons.ts';
import { incidentFacts } from '../shared/graph/incident-facts.ts';
import { partyToPersonRecord } from '../shared/graph/party-record.ts';
import { createSessionStore } from '../services/web/auth/sessions.ts';
import { createLiveHub, fileIntel } from '../services/web/live-topics.ts';
import { createReadModel } from '../services/web/read-model.ts';
import { buildWebServer, SESSION_COOKIE } from '../services/web/server.ts';
import { createWebStore } from '../services/web/web-store.ts';
import { freePort } from '../scripts/pipeline/free-port.ts';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const whole = (name: string, fallback: number) => {
  const text = option(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a whole number above 0 (got "${text}")`);
  return value;
};
const incidents = whole('incidents', 100_000);
const runs = whole('runs', 7);
const concurrency = whole('concurrency', 16);
const intelCalls = Math.min(incidents, whole('intel', 1_000));
const keep = args.includes('--keep');
const noKafka = args.includes('--no-kafka');
const seed = option('seed') ?? 'bench-web';
const graphNamespace = option('namespace') ?? `dauntless-bench-web:{bw${randomBytes(4).toString('hex')}}`;
if (!/\{[^}]+\}/.test(graphNamespace)) throw new Error(`--namespace ${graphNamespace} has no {hash tag}: write it like "dauntless-bench-web:{bw1}"`);
const boardsNamespace = scorerNamespaceFor(graphNamespace);
const webNamespace = `${graphNamespace}-web`;
/** What the seeding found, for the pages to ask about and for a re-run with --keep. */
const seededKey = `${graphNamespace}:bench-web:seeded`;
const DAY = 86_400_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Evaluated in the page: ms from the navigation's start to the end of its load event. */
const NAVIGATION_LOAD_MS = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return nav ? nav.loadEventEnd - nav.startTime : performance.timing.loadEventEnd - performance.timing.navigationStart;
})()`;

const say = (line: string) => process.stderr.write(line + '\n');
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn', base: { service: 'bench-web' } }, pino.destination(2));

type Seeded = { incidents: number; seconds: number; boroughCode: string; boroughIncidents: number; victim: { entityId: string; events: number }; perpetrator: { entityId: string; events: number }; entities: number };

async function seedGraph(redis: Redis): Promise<Seeded> {
  const store = createRedisIdentityStore({ redis, namespace: graphNamespace });
  const graph = createIncidentGraph({ redis, namespace: graphNamespace });
  const board = createScoreBoard({ redis, namespace: boardsNamespace });
  const scorer = createScorer({ graph, board, harm: DEFAULT_HARM_CONFIG, logger });
  const web = createWebStore({ redis, namespace: webNamespace });
  const end = Date.now() - 2 * DAY;
  const stream = createCallStream({
    seed,
    persons: Math.max(20_000, Math.round(incidents / 2)),
    start: new Date(end - 530 * DAY),
    meanGapMs: (530 * DAY) / incidents,
    horizonCalls: incidents,
    runId: graphNamespace.replace(/[^A-Za-z0-9]/g, '').slice(-12),
  });

  // Incidents per borough, and per entity as victim and as suspect (by the entity a record resolved to then; merges
  // are settled by reading the leaders' histories at the end).
  const perBorough = new Map<string, number>();
  const asVictim = new Map<string, number>();
  const asSuspect = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  // Call order among the calls in flight: the last call to use each blocking key.
  const lastByKey = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  const started = performance.now();
  let done = 0;
  let lastSaid = started;
  let filing: Promise<unknown> = Promise.resolve();

  /** One call as the incident stage handles it: each party resolved in order, the incident recorded once by event id. */
  const handle = async (incident: IncidentReported, prepared: PreparedRecord[], index: number) => {
    const t0 = performance.now();
    const { resolutions, matches } = await resolveInOrder(
      prepared.map(({ record, features }, i) => ({ key: incident.parties[i]!.partyId, record, features })),
      { store, model: defaultPersonModel, referenceDate: new Date(incident.receivedAt) },
    );
    const entityIds = resolutions.map((r) => r.resolution.entityId);
    const facts = incidentFacts(incident, matches);
    if (index < incidents - intelCalls) await graph.recordIncident(facts);
    else {
      // The last calls also get their intelligence, built as the stage builds it, and filed as the web service files it.
      const written = await graph.recordIncidentWithHistories(facts, entityIds);
      const generatedAt = incident.receivedAt + Math.round(performance.now() - t0);
      const intel = buildIntelligence({ incident: written.facts, histories: written.histories, generatedAt });
      filing = filing.then(() => fileIntel({ store: web, abuseTypesOf: async () => incident.abuseTypes }, intel));
      await filing;
    }
    bump(perBorough, incident.boroughCode);
    resolutions.forEach(({ resolution }, i) => {
      const roles = incident.parties[i]!.roles;
      if (roles.includes('VICTIM')) bump(asVictim, resolution.entityId);
      if (roles.includes('SUSPECT')) bump(asSuspect, resolution.entityId);
    });
  };

  for (let i = 0; i < incidents; i++) {
    const { incident } = stream.next();
    const prepared = prepareRecords(incident.parties.map((party) => partyToPersonRecord(incident, party)), new Date(incident.receivedAt));
    const keys = recordOrderKeys(prepared);
    const earlier = [...new Set(keys.map((k) => lastByKey.get(k)).filter((p): p is Promise<unknown> => !!p))];
    const mine: Promise<unknown> = Promise.all(earlier)
      .then(() => handle(incident, prepared, i))
      .finally(() => {
        for (const k of keys) if (lastByKey.get(k) === mine) lastByKey.delete(k);
        inFlight.delete(mine);
        done++;
        const now = performance.now();
        if (now - lastSaid > 10_000) {
          lastSaid = now;
          say(`  ${done}/${incidents} incidents on the graph, ${Math.round(done / ((now - started) / 1000))}/s`);
        }
      });
    for (const k of keys) lastByKey.set(k, mine.catch(() => undefined));
    inFlight.add(mine);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const resolvedIn = (performance.now() - started) / 1000;
  say(`  resolved and recorded in ${Math.round(resolvedIn)} s; scoring everyone on the graph onto the boards ...`);

  // The boards as the scorer leaves them for a graph recorded before it ran (`dauntless rescore --all`, a backfill):
  // everyone scored from their histories now. Scoring each call as it came would give the same boards (the scorer's
  // integration test holds it to that), one Lua round trip after another, at a tenth of the speed.
  const admin = createIdentityAdmin({ redis, namespace: graphNamespace });
  const everyone = [...(await admin.entities()).keys()].sort();
  await scorer.rescoreEntities(everyone, Date.now());
  await scorer.publishPending(Date.now());
  const seconds = (performance.now() - started) / 1000;

  const [boroughCode, boroughIncidents] = [...perBorough].sort((a, b) => b[1] - a[1])[0]!;
  const busiest = async (counts: Map<string, number>, role: string) => {
    const leaders = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([id]) => id);
    const histories = await graph.histories(leaders, { maxEvents: 10_000 });
    const events = histories.map((h) => ({ entityId: h.entityId, events: h.events.filter((e) => (e.facts.parties as { roles: string[] }[]).some((p, j) => e.partyEntityIds[j] === h.entityId && p.roles.includes(role))).length }));
    return events.sort((a, b) => b.events - a.events)[0]!;
  };
  return { incidents, seconds: Math.round(seconds), boroughCode, boroughIncidents, victim: await busiest(asVictim, 'VICTIM'), perpetrator: await busiest(asSuspect, 'SUSPECT'), entities: everyone.length };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number) => Math.round(x * 10) / 10;

const endpoints = loadEndpoints();
// A benchmark seeds a graph of its own and removes it: the stack's admin, on every server.
const redis = createRedis({ connection: loadRedisConnection({ ...process.env, REDIS_URL: endpoints.redisUrl }, REDIS_USER.admin), logger });
const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: findRegistryAuth(ADMIN_PRINCIPAL) });
const producer = noKafka ? undefined : createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'dauntless-bench-web', logger, security: loadKafkaSecurity(withoutKafkaLogin(process.env), ADMIN_PRINCIPAL) }).producer({ idempotent: true });
/** Without Kafka: the entry encoded as the registry codec would (magic byte, a schema id, Avro), and dropped. */
const localAudit = () => {
  const type = avro.Type.forSchema(contractSchema(SCHEMA_FILE.audit) as avro.Schema);
  return createAuditLog({ producer: { send: async () => [] }, codec: { encode: async (_subject: string, value: unknown) => Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), type.toBuffer(value)]) } });
};
let exitCode = 0;
try {
  let seeded: Seeded;
  const kept = await redis.get(seededKey);
  if (kept) {
    seeded = JSON.parse(kept) as Seeded;
    say(`graph ${graphNamespace} was seeded before (${seeded.incidents} incidents): not seeding again`);
  } else {
    say(`seeding ${incidents} incidents under ${graphNamespace} (${concurrency} in flight) ...`);
    seeded = await seedGraph(redis);
    await redis.set(seededKey, JSON.stringify(seeded));
    say(`  seeded in ${seeded.seconds} s: ${seeded.entities} entities; busiest borough ${seeded.boroughCode} (${seeded.boroughIncidents} incidents); victim ${seeded.victim.entityId} (${seeded.victim.events}), perpetrator ${seeded.perpetrator.entityId} (${seeded.perpetrator.events})`);
  }

  await producer?.connect();
  const graph = createIncidentGraph({ redis, namespace: graphNamespace });
  const board = createScoreBoard({ redis, namespace: boardsNamespace });
  const store = createWebStore({ redis, namespace: webNamespace });
  const read = createReadModel({ redis, graphNamespace, graph, admin: createIdentityAdmin({ redis, namespace: graphNamespace }), board, briefings: createBriefingStore({ redis, namespace: boardsNamespace }), store, harm: DEFAULT_HARM_CONFIG });
  const sessions = createSessionStore({ redis, namespace: webNamespace, idleSeconds: 3600 });
  const notUsed = (what: string) => async (): Promise<never> => {
    throw new Error(`${what}: not used in the benchmark`);
  };
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const app = await buildWebServer({
    logger,
    read,
    store,
    audit: producer ? createAuditLog({ producer, codec, topic: TOPIC.audit }) : localAudit(),
    sessions,
    verifyToken: notUsed('bearer tokens'),
    oidc: { start: notUsed('sign-in'), finish: notUsed('sign-in'), signOutUrl: () => '/signed-out' },
    hub: createLiveHub(),
    reportIncident: notUsed('reporting calls'),
    unmerge: notUsed('undoing merges'),
    erasePerson: notUsed('erasing a person'),
    readRecord: notUsed('reading a record to correct'),
    correctRecord: notUsed('correcting a record'),
    reviewRetention: notUsed('the retention review'),
    searchAudit: notUsed('the audit search'),
    renderPdf: notUsed('PDF briefings'),
    readiness: [],
    publicUrl,
    secureCookies: false,
    sessionIdleSeconds: 3600,
  });
  await app.listen({ host: '127.0.0.1', port });
  try {
    const { id: sessionId } = await sessions.create(
      { subject: 'bench-web', username: 'bench.web', displayName: 'Bench Web', roles: new Set(['dauntless-lead', 'supervisor']), boroughs: [], kind: 'PERSON' },
      'bench',
    );
    const pages: [string, string][] = [
      ['control-room', '/control-room'],
      ['person-victim', `/persons/${encodeURIComponent(seeded.victim.entityId)}`],
      ['person-perpetrator', `/persons/${encodeURIComponent(seeded.perpetrator.entityId)}`],
      ['borough', `/boroughs/${seeded.boroughCode}`],
      ['leads', '/dauntless'],
      ['consistency', '/consistency'],
      ['api-top-five', `/api/boroughs/${seeded.boroughCode}/top-five`],
    ];

    const serverMs = new Map<string, number[]>();
    const bytes = new Map<string, number>();
    for (const [name, path] of pages) {
      const times: number[] = [];
      for (let run = 0; run <= runs; run++) {
        const t0 = performance.now();
        const res = await fetch(publicUrl + path, { headers: { cookie: `${SESSION_COOKIE}=${sessionId}` }, redirect: 'manual' });
        const body = await res.text();
        const ms = performance.now() - t0;
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.slice(0, 300)}`);
        bytes.set(name, body.length);
        if (run > 0) times.push(ms);
      }
      serverMs.set(name, times);
      say(`  server ${name}: median ${round(median(times))} ms`);
    }

    const loadMs = new Map<string, number[]>();
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name: SESSION_COOKIE, value: sessionId, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Lax' }]);
      for (const [name, path] of pages) {
        const times: number[] = [];
        for (let run = 0; run <= runs; run++) {
          const tab = await context.newPage();
          try {
            const res = await tab.goto(publicUrl + path, { waitUntil: 'load' });
            if (res?.status() !== 200) throw new Error(`${path} answered ${res?.status()} in Chromium`);
            // In the page (no DOM types here): the navigation entry's load end, else the older performance.timing.
            const ms = await tab.evaluate<number>(NAVIGATION_LOAD_MS);
            if (run > 0) times.push(ms);
          } finally {
            await tab.close();
          }
        }
        loadMs.set(name, times);
        say(`  chromium ${name}: median ${round(median(times))} ms`);
      }
    } finally {
      await browser.close();
    }

    const result: Record<string, { path: string; bytes: number; serverMsMedian: number; serverMsMax: number; loadMsMedian: number; loadMsMax: number; under1s: boolean }> = {};
    for (const [name, path] of pages) {
      const s = serverMs.get(name)!;
      const l = loadMs.get(name)!;
      result[name] = { path, bytes: bytes.get(name)!, serverMsMedian: round(median(s)), serverMsMax: round(Math.max(...s)), loadMsMedian: round(median(l)), loadMsMax: round(Math.max(...l)), under1s: median(s) < 1000 && median(l) < 1000 };
    }
    const rows = Object.entries(result).map(([name, r]) => `${name.padEnd(20)} ${String(r.serverMsMedian).padStart(8)} ${String(r.serverMsMax).padStart(8)} ${String(r.loadMsMedian).padStart(8)} ${String(r.loadMsMax).padStart(8)} ${String(Math.round(r.bytes / 1024)).padStart(6)}  ${r.under1s ? 'yes' : 'NO'}`);
    process.stdout.write(
      [
        `${seeded.incidents} incidents, ${seeded.entities} entities; borough ${seeded.boroughCode} (${seeded.boroughIncidents} incidents), victim ${seeded.victim.entityId} (${seeded.victim.events} as victim), perpetrator ${seeded.perpetrator.entityId} (${seeded.perpetrator.events} as suspect); ${runs} runs after a warm-up`,
        `${'page'.padEnd(20)} ${'server'.padStart(8)} ${'max'.padStart(8)} ${'load'.padStart(8)} ${'max'.padStart(8)} ${'KiB'.padStart(6)}  <1 s`,
        ...rows,
        '',
      ].join('\n'),
    );
    const allUnder1s = Object.values(result).every((r) => r.under1s);
    process.stdout.write(JSON.stringify({ incidents: seeded.incidents, auditSent: !noKafka, entities: seeded.entities, seedSeconds: seeded.seconds, runs, boroughCode: seeded.boroughCode, pages: result, allUnder1s }) + '\n');
  } finally {
    await app.close();
  }
} catch (error) {
  say(`bench:web failed: ${(error as Error).stack ?? error}`);
  exitCode = 1;
} finally {
  if (keep) say(`kept ${graphNamespace} (run again with --namespace '${graphNamespace}' to skip the seeding)`);
  else {
    say(`removing ${graphNamespace} ...`);
    for (const ns of [graphNamespace, boardsNamespace, webNamespace]) await clearNamespace(redis, ns);
  }
  await producer?.disconnect().catch(() => undefined);
  redis.disconnect();
}
process.exit(exitCode);
