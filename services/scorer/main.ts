// The scorer service process: load config, build, connect, run until a
// signal (shared/kafka/run-service.ts). What it reads and writes, and its
// timer, are its topology (topology.ts); the work is shared/boards/scorer.ts.
import { createRedis } from '../../shared/redis/create-redis.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createBatchedSender, createPartitionOutbox } from '../../shared/kafka/batched-sender.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createDeadLetterWriter } from '../../shared/kafka/dead-letter-writer.ts';
import { runService } from '../../shared/kafka/run-service.ts';
import { createStageConsumer } from '../../shared/kafka/stage-consumer.ts';
import { createStageOutput } from '../../shared/kafka/stage-output.ts';
import { checkRedisDurability } from '../../shared/redis/check-redis-durability.ts';
import { createServiceLogger } from '../../shared/logging/create-logger.ts';
import { createPipelineMetrics } from '../../shared/metrics/metrics.ts';
import { serveStageMetrics } from '../../shared/metrics/serve-stage-metrics.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { checkSubjects } from '../../shared/schema-registry/check-subjects.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { loadScorerConfig } from './config.ts';
import { createScorerTopology, scorerContracts } from './topology.ts';

const logger = createServiceLogger('scorer');

void runService({
  service: 'scorer',
  logger,
  async start() {
    const config = loadScorerConfig();
    const kafka = createKafka({ brokers: config.endpoints.kafkaBrokers, clientId: 'dauntless-scorer', logger, security: config.kafkaSecurity });
    const registryAdmin = createRegistryAdmin({ url: config.endpoints.schemaRegistryUrl, auth: config.registryAuth });
    // A subject missing is a deployment not provisioned: say what to register, before any message is touched.
    await checkSubjects({ registry: registryAdmin, contracts: scorerContracts(config) });
    const codec = createAvroCodec({ url: config.endpoints.schemaRegistryUrl, auth: config.registryAuth });
    const redis = createRedis({ connection: config.redis, logger, maxRetriesPerRequest: 3 });
    const board = createScoreBoard({ redis, namespace: config.stateNamespace });
    const scorer = createScorer({ graph: createIncidentGraph({ redis, namespace: config.graphNamespace }), board, harm: config.harm, logger });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const metrics = createPipelineMetrics({ service: 'scorer' });
    const output = createStageOutput({ codec, sender: createBatchedSender({ producer, compression: config.compression }), outbox: createPartitionOutbox() });
    let tickFailed!: (error: Error) => void;
    const tickFailure = new Promise<Error>((resolve) => (tickFailed = resolve));
    const topology = createScorerTopology({ config, codec, scorer, board, output, logger, onFatal: tickFailed });
    const consumer = createStageConsumer({
      kafka,
      groupId: config.groupId,
      topics: [config.inputTopic],
      service: 'scorer',
      logger,
      maxWaitTimeInMs: config.maxWaitTimeInMs,
      sessionTimeoutMs: config.sessionTimeoutMs,
      retry: config.retry,
      ...metrics.stageConsumerHooks(),
      stage: topology.stage,
      deadLetters: createDeadLetterWriter({ producer, codec }),
    });
    const metricsServer = await serveStageMetrics({
      port: config.metricsPort,
      host: config.metricsHost,
      registry: metrics.registry,
      isJoined: consumer.isJoined,
      redis,
      schemaRegistry: registryAdmin,
      logger,
    });
    // Before consuming, and after /readyz is served: a Redis not answering yet is waited for (readiness says so).
    await checkRedisDurability({ redis, logger });
    // The timer writes to the boards too: only once Redis is known to keep what it acknowledges.
    const timer = setInterval(() => void topology.tick(), config.tickMs);
    void topology.tick();
    await consumer.start();
    return {
      ready: {
        inputTopic: config.inputTopic,
        topFiveTopic: config.topFiveTopic,
        alertsTopic: config.alertsTopic,
        groupId: config.groupId,
        compression: config.compression,
        graph: config.graphNamespace,
        state: config.stateNamespace,
        tickMs: config.tickMs,
        halfLifeDays: config.harm.halfLifeDays,
        windowDays: config.harm.windowDays,
        metricsPort: metricsServer?.port,
      },
      failed: Promise.race([consumer.failed, tickFailure]),
      async stop() {
        clearInterval(timer);
        await consumer.stop().catch((error) => logger.error({ err: error }, 'consumer did not stop cleanly'));
        await topology.settled();
        await producer.disconnect().catch(() => undefined);
        await metricsServer?.close().catch(() => undefined);
        redis.disconnect();
      },
    };
  },
});
