// The scorer service process: load config, build, connect, run until a
// signal, stop cleanly. Everything else lives in the scorer and its stage.
//   graph.events.v1 ─► score the perpetrators concerned ─► boards in Redis
//                                                        ├─► dauntless.topfive.v1 (key borough)
//                                                        └─► dauntless.alerts.v1  (key borough)
//   timer (DAUNTLESS_SCORER_TICK_MS) ─► score again whoever is due (a record
//   leaving the window), and publish any board changed but not yet published
import { createRedis } from '../../shared/redis/create-redis.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createBatchedSender, createPartitionOutbox } from '../../shared/kafka/batched-sender.ts';
import { createStageConsumer } from '../../shared/kafka/stage-consumer.ts';
import { createServiceLogger } from '../../shared/logging/create-logger.ts';
import { createPipelineMetrics } from '../../shared/metrics/metrics.ts';
import { serveMetrics } from '../../shared/metrics/serve-metrics.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { loadScorerConfig } from './config.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { createScorer, type ScorerOutput } from '../../shared/boards/scorer.ts';
import { createScorerStage } from './scorer-stage.ts';

const logger = createServiceLogger('scorer');

async function main(): Promise<void> {
  const config = loadScorerConfig();
  const kafka = createKafka({ brokers: config.endpoints.kafkaBrokers, clientId: 'dauntless-scorer', logger });
  const codec = createAvroCodec({ url: config.endpoints.schemaRegistryUrl });
  const redis = createRedis({ url: config.endpoints.redisUrl, logger, maxRetriesPerRequest: 3 });
  const graph = createIncidentGraph({ redis, namespace: config.graphNamespace });
  const board = createScoreBoard({ redis, namespace: config.stateNamespace });
  const scorer = createScorer({ graph, board, harm: config.harm, logger });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const sender = createBatchedSender({ producer });
  const outbox = createPartitionOutbox();
  const metrics = createPipelineMetrics({ service: 'scorer' });
  const metricsServer = config.metricsPort === 0 ? undefined : await serveMetrics({ registry: metrics.registry, port: config.metricsPort, logger });

  const topicOf = (o: ScorerOutput) => (o.kind === 'topfive' ? config.topFiveTopic : config.alertsTopic);
  // Once Kafka has a change decided by time alone, the board forgets it (board.sent; a no-op for any other message).
  const send = (outputs: ScorerOutput[]) =>
    Promise.all(
      outputs.map(async (o) => {
        await sender.send(topicOf(o), { key: o.boroughCode, value: await codec.encode(valueSubject(topicOf(o)), o.value) });
        if (o.kind === 'topfive' && o.value.causeEventId === null) await board.sent(o.boroughCode, JSON.stringify(o.value));
      }),
    );

  const stage = {
    ...createScorerStage({
      codec,
      scorer,
      // Sent in the background; the partition is committed only once they are acknowledged (flush).
      onOutput: async (outputs, { topic, partition }) => outbox.add({ topic, partition }, send(outputs).then(() => undefined)),
    }),
    flush: outbox.flush,
  };
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
    stage,
    deadLetters: async (topic, key, letter) => {
      await producer.send({ topic, messages: [{ key, value: await codec.encode(valueSubject(topic), letter) }] });
    },
  });

  // Time alone: whoever is due is scored again, and any board left unpublished (a crash between the two) is published.
  // What Kafka did not take is kept in Redis (board.unsent) and sent first at the next tick, by this process or its successor.
  let ticking: Promise<void> = Promise.resolve();
  const tick = () => {
    ticking = ticking
      .then(async () => {
        const at = Date.now();
        await send([...(await scorer.unsent()), ...(await scorer.publishPending(at)), ...(await scorer.rescoreDue(at))]);
      })
      .catch((error) => logger.warn({ err: (error as Error).message, code: (error as { code?: string }).code }, 'scoring by time failed; tried again at the next tick'));
  };
  const timer = setInterval(tick, config.tickMs);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    clearInterval(timer);
    await consumer.stop().catch((error) => logger.error({ err: error }, 'consumer did not stop cleanly'));
    await ticking;
    await producer.disconnect().catch(() => undefined);
    await metricsServer?.close().catch(() => undefined);
    redis.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  tick();
  await consumer.start();
  logger.info(
    {
      inputTopic: config.inputTopic,
      topFiveTopic: config.topFiveTopic,
      alertsTopic: config.alertsTopic,
      groupId: config.groupId,
      graph: config.graphNamespace,
      state: config.stateNamespace,
      tickMs: config.tickMs,
      halfLifeDays: config.harm.halfLifeDays,
      windowDays: config.harm.windowDays,
      metricsPort: metricsServer?.port,
    },
    'scorer running',
  );
}

main().catch((error) => {
  logger.fatal({ err: error, code: (error as { code?: string }).code }, (error as Error).message);
  process.exit(1);
});
