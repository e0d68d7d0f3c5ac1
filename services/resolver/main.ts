// The resolver service process: load config, build, connect, run until a
// signal (shared/kafka/run-service.ts). What it reads and writes is its
// topology (topology.ts); the work is in the stages that wires.
import { createRedis } from '../../shared/redis/create-redis.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
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
import { loadResolverConfig } from './config.ts';
import { EMPTY_REGISTER } from '../../shared/er/refuges.ts';
import { createRefugeRegisterStore, watchRefuges } from '../../shared/graph/refuge-register.ts';
import { createResolverTopology, resolverContracts } from './topology.ts';

const logger = createServiceLogger('resolver');

void runService({
  service: 'resolver',
  logger,
  async start() {
    const config = loadResolverConfig();
    const kafka = createKafka({ brokers: config.endpoints.kafkaBrokers, clientId: 'dauntless-resolver', logger, security: config.kafkaSecurity });
    const registryAdmin = createRegistryAdmin({ url: config.endpoints.schemaRegistryUrl, auth: config.registryAuth });
    // A subject missing is a deployment not provisioned: say what to register, before any message is touched.
    await checkSubjects({ registry: registryAdmin, contracts: resolverContracts(config) });
    const codec = createAvroCodec({ url: config.endpoints.schemaRegistryUrl, auth: config.registryAuth });
    const redis = createRedis({ connection: config.redis, logger, maxRetriesPerRequest: 3 });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const metrics = createPipelineMetrics({ service: 'resolver' });
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
      messageBudgetMs: config.messageBudgetMs,
      partitionsConcurrently: config.partitionsConcurrently,
      callOrder: config.callOrder,
      // A justice partition behind holds calls back for a bound at most; past it, or far behind, intelligence says so.
      holdsBackAtMost: (topic) => (justiceTopics.has(topic) ? config.justiceHoldMs : Infinity),
      behindAtMessages: config.justiceBehindMessages,
      retry: config.retry,
      ...metrics.stageConsumerHooks(),
      stage: createResolverTopology({
        config,
        codec,
        store: createRedisIdentityStore({ redis, namespace: config.graphNamespace, mirrorKeys: config.graphMirrorKeys }),
        graph: createIncidentGraph({ redis, namespace: config.graphNamespace }),
        model: defaultPersonModel,
        logger,
        // Sent in the background, batched, so the next call is resolved meanwhile; a partition commits once its sends are acknowledged.
        output: createStageOutput({ codec, sender: createBatchedSender({ producer, compression: config.compression }), outbox: createPartitionOutbox() }),
        counters: metrics,
        // Read before consuming (below); until then no call is taken.
        refuges: () => refugeCopy?.current() ?? EMPTY_REGISTER,
      }),
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
    const refugeCopy = await watchRefuges({ store: createRefugeRegisterStore({ redis, namespace: config.graphNamespace }), refreshMs: config.refugeRefreshMs, logger });
    await consumer.start();
    return {
      ready: { topics: config.topics, justiceTopics: config.justiceTopics, intelTopic: config.intelTopic, graphEventsTopic: config.graphEventsTopic, groupId: config.groupId, compression: config.compression, graph: config.graphNamespace, model: defaultPersonModel.modelVersion, metricsPort: metricsServer?.port },
      failed: consumer.failed,
      async stop() {
        await consumer.stop().catch((error) => logger.error({ err: error }, 'consumer did not stop cleanly'));
        refugeCopy.stop();
        await producer.disconnect().catch(() => undefined);
        await metricsServer?.close().catch(() => undefined);
        redis.disconnect();
      },
    };
  },
});
