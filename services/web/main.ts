// The web service process: load config, build, connect, serve until a signal
// (shared/kafka/run-service.ts). What it serves is server.ts; what it reads
// from Kafka is live-topics.ts.
import { chromium, type Browser } from 'playwright-core';
import { createAuditLog } from '../../shared/audit/audit-log.ts';
import { searchAuditLog } from '../../shared/audit/audit-reader.ts';
import { createBriefingStore } from '../../shared/boards/briefing-store.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { createIdentityAdmin } from '../../shared/graph/identity-admin.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { reverseMerge } from '../../shared/graph/reverse-merge.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { runService } from '../../shared/kafka/run-service.ts';
import { createServiceLogger } from '../../shared/logging/create-logger.ts';
import { kafkaConsumerCheck, redisCheck, registryCheck } from '../../shared/metrics/readiness.ts';
import { createRedis } from '../../shared/redis/create-redis.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { discoverOidc } from './auth/oidc.ts';
import { createSessionStore } from './auth/sessions.ts';
import { createTokenVerifier } from '../../shared/access/tokens.ts';
import { loadWebConfig } from './config.ts';
import { createLiveHub, startLiveTopics } from './live-topics.ts';
import { createReadModel } from './read-model.ts';
import { checkIncident } from './report-incident.ts';
import { buildWebServer } from './server.ts';
import { createWebStore } from './web-store.ts';
import { erasePerson } from './erase-person.ts';
import { correctRecord, resumeCorrections, type CorrectionDeps } from './correct-record.ts';
import { createRecordCorrections } from '../../shared/graph/correct-record.ts';
import { createRefugeRegisterStore } from '../../shared/graph/refuge-register.ts';
import { createRetentionIndex } from '../../shared/graph/retention-index.ts';
import { reviewRetention } from './retention-review.ts';
import { scheduleRetention } from './retention-schedule.ts';

const logger = createServiceLogger('web');

/** The provider may still be starting (it is the slowest server of the stack): asked again for a minute before giving up. */
async function discoverWhenUp<T>(discover: () => Promise<T>, issuer: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await discover();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`The identity provider at ${issuer} did not answer within a minute (${(error as Error).message}).`);
      logger.warn({ issuer, attempt, err: (error as Error).message }, 'identity provider not answering yet; asking again');
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 500 * attempt)));
    }
  }
}

void runService({
  service: 'web',
  logger,
  async start() {
    const config = loadWebConfig();
    const kafka = createKafka({ brokers: config.endpoints.kafkaBrokers, clientId: 'dauntless-web', logger, security: config.kafkaSecurity });
    const registry = createRegistryAdmin({ url: config.endpoints.schemaRegistryUrl, auth: config.registryAuth });
    const codec = createAvroCodec({ url: config.endpoints.schemaRegistryUrl, auth: config.registryAuth });
    const redis = createRedis({ connection: config.redis, logger, maxRetriesPerRequest: 3 });
    const oidc = await discoverWhenUp(() => discoverOidc({ issuer: config.issuer, clientId: config.clientId, clientSecret: config.clientSecret }), config.issuer);
    const graph = createIncidentGraph({ redis, namespace: config.graphNamespace });
    const admin = createIdentityAdmin({ redis, namespace: config.graphNamespace });
    const board = createScoreBoard({ redis, namespace: config.boardsNamespace });
    const store = createWebStore({ redis, namespace: config.stateNamespace });
    const briefings = createBriefingStore({ redis, namespace: config.boardsNamespace });
    const read = createReadModel({ redis, graphNamespace: config.graphNamespace, graph, admin, board, briefings, store, harm: config.harm });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const audit = createAuditLog({ producer, codec, topic: config.topics.audit });
    const hub = createLiveHub();
    const topics = await startLiveTopics({ kafka, codec, groupId: config.groupId, topics: config.topics, filing: { store, abuseTypesOf: (id) => read.abuseTypesOf(id) }, hub, logger });

    let browser: Promise<Browser> | undefined;
    const renderPdf = async (documentHtml: string) => {
      browser ??= chromium.launch({ executablePath: config.chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
      const context = await (await browser).newContext({ javaScriptEnabled: false, offline: true });
      try {
        const tab = await context.newPage();
        await tab.setContent(documentHtml, { waitUntil: 'load' });
        return await tab.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, margin: { top: '18mm', bottom: '18mm', left: '14mm', right: '14mm' },
          headerTemplate: '<div style="font-size:9px;width:100%;text-align:center;font-weight:bold">OFFICIAL-SENSITIVE</div>',
          footerTemplate: '<div style="font-size:9px;width:100%;text-align:center">OFFICIAL-SENSITIVE · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>' });
      } finally {
        await context.close();
      }
    };

    // A correction resolves its record with a store of its own: never a mirror, as the resolvers write the graph too.
    const refuges = createRefugeRegisterStore({ redis, namespace: config.graphNamespace });
    const corrections = createRecordCorrections({ redis, namespace: config.graphNamespace, store: createRedisIdentityStore({ redis, namespace: config.graphNamespace, mirrorKeys: 0 }), model: defaultPersonModel, refuges: () => refuges.load() });
    const correctionDeps: CorrectionDeps = { redis, graphNamespace: config.graphNamespace, corrections, graph, board, harm: config.harm, logger };
    const resumed = await resumeCorrections(correctionDeps);
    if (resumed.length > 0) logger.info({ records: resumed.map((r) => r.recordId) }, 'corrections a stop left half done are finished');

    const erasure = { redis, graphNamespace: config.graphNamespace, graph, board, briefings, store, harm: config.harm, logger };
    const retention = scheduleRetention({
      review: (opts) => reviewRetention({ index: createRetentionIndex({ redis, namespace: config.graphNamespace }), admin, erasure, audit, reviewDays: config.retention.reviewDays, principal: config.kafkaSecurity.sasl?.username ?? 'dauntless-web', logger }, opts),
      redis,
      graphNamespace: config.graphNamespace,
      sweepMs: config.retention.sweepMs,
      logger,
    });

    const publicUrl = config.publicUrl ?? `http://127.0.0.1:${config.port || 8080}`;
    const app = await buildWebServer({
      logger,
      read,
      store,
      audit,
      sessions: createSessionStore({ redis, namespace: config.stateNamespace, idleSeconds: config.sessionIdleSeconds }),
      verifyToken: createTokenVerifier({ issuer: oidc.issuer, audience: config.audience, jwksUri: oidc.jwksUri }),
      oidc,
      hub,
      async reportIncident(body) {
        const checked = checkIncident(body, Date.now());
        if (!checked.ok) return checked;
        await producer.send({ topic: config.topics.incidents, acks: -1, messages: [{ key: checked.incident.incidentId, value: await codec.encode(valueSubject(config.topics.incidents), checked.incident) }] });
        return { ok: true, incidentId: checked.incident.incidentId };
      },
      async unmerge(mergeId) {
        const result = await reverseMerge(mergeId, { admin, store: createRedisIdentityStore({ redis, namespace: config.graphNamespace }), model: defaultPersonModel, referenceDate: new Date() });
        const people = [...new Set([result.survivor, result.restored, ...result.resolvedAgain.map((r) => r.entityId)])];
        await createScorer({ graph, board, harm: config.harm, logger }).rescoreEntities(people, Date.now());
        return { survivor: result.survivor, restored: result.restored, resolvedAgain: result.resolvedAgain.length };
      },
      erasePerson: (entityId) => erasePerson(erasure, entityId),
      reviewRetention: (opts) => retention.run(opts),
      readRecord: (recordId) => corrections.read(recordId),
      correctRecord: (recordId, corrected) => correctRecord(correctionDeps, recordId, corrected),
      searchAudit: (query) => searchAuditLog({ kafka, codec, query, topic: config.topics.audit, groupPrefix: config.groupId }),
      renderPdf,
      readiness: [kafkaConsumerCheck(topics.isJoined), redisCheck(redis), registryCheck(registry)],
      publicUrl,
      secureCookies: publicUrl.startsWith('https:'),
      sessionIdleSeconds: config.sessionIdleSeconds,
    });
    const address = await app.listen({ host: config.host, port: config.port });
    const url = config.publicUrl ?? address.replace('[::1]', '127.0.0.1');
    return {
      ready: { url, issuer: config.issuer, clientId: config.clientId, groupId: config.groupId, graph: config.graphNamespace, boards: config.boardsNamespace, state: config.stateNamespace },
      async stop() {
        retention.stop();
        await app.close().catch(() => undefined);
        await topics.stop();
        if (browser) await (await browser).close().catch(() => undefined);
        await producer.disconnect().catch(() => undefined);
        redis.disconnect();
      },
    };
  },
});
