// The resolver service process: load config, build, connect, run until a
// signal, stop cleanly. Everything else lives in the stages it wires.
import { createRedis } from '../../shared/redis/create-redis.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createBatchedSender, createPartitionOutbox } from '../../shared/kafka/batched-sender.ts';
import { createStageConsumer } from '../../shared/kafka/stage-consumer.ts';
import { createServiceLogger } from '../../shared/logging/create-logger.ts';
import { createPipelineMetrics } from '../../shared/metrics/metrics.ts';
import { serveMetrics } from '../../shared/metrics/serve-metrics.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { loadResolverConfig } from './config.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createIncidentStage } from './incident-stage.ts';
import { createJusticeStage } from './justice-stage.ts';
import { graphEventKey, type GraphEventRecorded } from '../../shared/contracts/graph-event.ts';
import { graphEventOfIncident, graphEventOfJustice } from './graph-event.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { routeByTopic } from './route-by-topic.ts';

const logger = createServiceLogger('resolver');

async function main(): Promise<void> {
  const config = loadResolverConfig();
  const kafka = createKafka({ brokers: config.endpoints.kafkaBrokers, clientId: 'dauntless-resolver', logger });
  const codec = createAvroCodec({ url: config.endpoints.schemaRegistryUrl });
  const redis = createRedis({ url: config.endpoints.redisUrl, logger, maxRetriesPerRequest: 3 });
  const store = createRedisIdentityStore({ redis, namespace: config.graphNamespace, mirrorKeys: config.graphCopyKeys });
  const graph = createIncidentGraph({ redis, namespace: config.graphNamespace });
  const intelSubject = valueSubject(config.intelTopic);
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  // Intelligence is sent in the background, batched, so the next call is resolved meanwhile; the
  // outbox makes the stage consumer wait for a partition's sends before it commits that partition.
  const sender = createBatchedSender({ producer });
  const outbox = createPartitionOutbox();
  const metrics = createPipelineMetrics({ service: 'resolver' });
  const metricsServer = config.metricsPort === 0 ? undefined : await serveMetrics({ registry: metrics.registry, port: config.metricsPort, logger });
  // Scoring (issue 6): each event recorded on the graph is announced on graph.events.v1 for the scorer,
  // through the same batched sender and outbox, so a partition commits only once its announcements are acknowledged too.
  const announce = (event: GraphEventRecorded, where: { topic: string; partition: number }) => {
    if (!config.graphEventsTopic) return;
    const topic = config.graphEventsTopic;
    outbox.add(where, codec.encode(valueSubject(topic), event).then((value) => sender.send(topic, { key: graphEventKey(event), value })));
  };

  const incidentStage = {
    ...createIncidentStage({
      codec,
      store,
      graph,
      model: defaultPersonModel,
      logger,
      // Keyed by incident: a replay's second message for an incident lands beside the first, and readers keep the latest.
      onResolved: async ({ incident, parties, intelligence, recorded }, { topic, partition, message }) => {
        const value = await codec.encode(intelSubject, intelligence);
        const sent = sender.send(config.intelTopic, { key: incident.incidentId, value }).then(() => {
          // Counted once sent: a failed send is redone and would count twice.
          for (const p of parties) metrics.countResolution(p.resolution);
          // From the call's publication on the CAD topic to its intelligence acknowledged: the pipeline's part of the pre-arrival clock.
          metrics.observeEndToEnd(Date.now() - Number(message.timestamp));
        });
        outbox.add({ topic, partition }, sent);
        announce(graphEventOfIncident({ incident, parties, recorded }, Date.now()), { topic, partition }); // scoring
      },
    }),
    flush: outbox.flush,
  };
  // Justice events only go onto the graph: the next call's intelligence reads them there.
  // Scoring: the justice stage now announces its events too, so it waits for them like the incident stage (flush).
  const justiceStage = {
    ...createJusticeStage({
      codec,
      store,
      graph,
      model: defaultPersonModel,
      logger,
      onRecorded: async (recorded, { topic, partition }) => {
        for (const p of recorded.persons) metrics.countResolution(p.resolution);
        announce(graphEventOfJustice(recorded, Date.now()), { topic, partition }); // scoring
      },
    }),
    flush: outbox.flush,
  };
  const justiceTopics = new Set(config.justiceTopics);

  const consumer = createStageConsumer({
    kafka,
    groupId: config.groupId,
    topics: [...config.topics],
    service: 'resolver',
    logger,
    maxWaitTimeInMs: config.maxWaitTimeInMs,
    sessionTimeoutMs: config.sessionTimeoutMs,
    commitIntervalMs: config.commitIntervalMs,
    partitionsConcurrently: config.partitionsConcurrently,
    retry: config.retry,
    ...metrics.stageConsumerHooks(),
    // Every input topic is a call topic or a justice topic (config.ts checked the names).
    stage: routeByTopic({ name: 'resolve', stageFor: (topic) => (justiceTopics.has(topic) ? justiceStage : incidentStage) }),
    deadLetters: async (topic, key, letter) => {
      await producer.send({ topic, messages: [{ key, value: await codec.encode(valueSubject(topic), letter) }] });
    },
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await consumer.stop().catch((error) => logger.error({ err: error }, 'consumer did not stop cleanly'));
    await producer.disconnect().catch(() => undefined);
    await metricsServer?.close().catch(() => undefined);
    redis.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await consumer.start();
  logger.info(
    { topics: config.topics, justiceTopics: config.justiceTopics, intelTopic: config.intelTopic, graphEventsTopic: config.graphEventsTopic, groupId: config.groupId, graph: config.graphNamespace, model: defaultPersonModel.modelVersion, metricsPort: metricsServer?.port },
    'resolver running',
  );
}

main().catch((error) => {
  logger.fatal({ err: error, code: (error as { code?: string }).code }, (error as Error).message);
  process.exit(1);
});
