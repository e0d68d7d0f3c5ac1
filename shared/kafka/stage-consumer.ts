// Runs one stage over Kafka topics in a consumer group, with the two failure
// policies of docs/ARCHITECTURE.md:
//   - bad input (a non-retriable error from decode or handle): the message
//     goes to its topic's dead-letter topic, byte for byte, with the code and
//     reason; its offset is then committed and the stage goes on;
//   - a broken dependency (a retriable error): the message is tried again
//     with backoff, heartbeating meanwhile, and nothing after it is committed,
//     so a restart resumes from it. Writes are idempotent, so a message handled
//     twice changes nothing.
// The stage itself is two plain functions; this file is the Kafka edge.
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { isRetriable } from '../errors/dauntless-error.ts';
import type { Logger } from '../logging/create-logger.ts';
import { deadLetterTopicOf, toDeadLetter, type DeadLetter } from './dead-letter.ts';

export type StageMessage = { topic: string; partition: number; message: KafkaMessage };

export type Stage<T> = {
  name: string;
  /** Bytes to a typed value; throws a non-retriable DauntlessError for bad input. */
  decode(input: StageMessage): Promise<T>;
  handle(value: T, input: StageMessage): Promise<void>;
};

export type DeadLetterSink = (topic: string, key: Buffer | null, letter: DeadLetter) => Promise<void>;

export type StageConsumerOptions<T> = {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  stage: Stage<T>;
  deadLetters: DeadLetterSink;
  logger: Logger;
  service: string;
  /** Longest a fetch waits for data: kafkajs's default 5 s would make "within seconds" impossible under light load. */
  maxWaitTimeInMs?: number;
  retry?: { initialMs: number; maxMs: number };
  fromBeginning?: boolean;
  /** Called for every outcome, for metrics. */
  onOutcome?: (outcome: 'handled' | 'dead_lettered' | 'retried', input: StageMessage) => void;
  now?: () => number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createStageConsumer<T>(options: StageConsumerOptions<T>): { start(): Promise<void>; stop(): Promise<void>; consumer: Consumer } {
  const { kafka, groupId, topics, stage, deadLetters, service, onOutcome } = options;
  const retry = options.retry ?? { initialMs: 100, maxMs: 10_000 };
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ stage: stage.name });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: options.maxWaitTimeInMs ?? 20, allowAutoTopicCreation: false });

  async function processOne(input: StageMessage, batch: EachBatchPayload): Promise<'processed' | 'stopped'> {
    const where = { topic: input.topic, partition: input.partition, offset: input.message.offset };
    for (let attempt = 1; ; attempt++) {
      try {
        await stage.handle(await stage.decode(input), input);
        onOutcome?.('handled', input);
        return 'processed';
      } catch (error) {
        if (!isRetriable(error)) {
          const letter = toDeadLetter({ ...input, error, service, stage: stage.name, now: now() });
          try {
            await deadLetters(deadLetterTopicOf(input.topic), input.message.key, letter);
          } catch (sinkError) {
            // Kafka itself failing to take the dead letter is a dependency failure: retry.
            logger.warn({ ...where, err: (sinkError as Error).message }, 'dead letter could not be written; retrying');
            await sleep(Math.min(retry.maxMs, retry.initialMs * 2 ** attempt));
            continue;
          }
          logger.warn({ ...where, code: letter.errorCode }, 'message dead-lettered');
          onOutcome?.('dead_lettered', input);
          return 'processed';
        }
        onOutcome?.('retried', input);
        const delay = Math.min(retry.maxMs, retry.initialMs * 2 ** (attempt - 1));
        logger.warn({ ...where, attempt, delayMs: delay, code: (error as { code?: string }).code }, 'dependency failed; retrying without committing');
        await sleep(delay);
        if (!batch.isRunning() || batch.isStale()) return 'stopped';
        await batch.heartbeat().catch(() => undefined);
      }
    }
  }

  return {
    consumer,
    async start() {
      await consumer.connect();
      for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async (batch) => {
          for (const message of batch.batch.messages) {
            if (!batch.isRunning() || batch.isStale()) break;
            const outcome = await processOne({ topic: batch.batch.topic, partition: batch.batch.partition, message }, batch);
            if (outcome === 'stopped') break;
            batch.resolveOffset(message.offset);
            await batch.commitOffsetsIfNecessary();
            await batch.heartbeat();
          }
        },
      });
    },
    async stop() {
      await consumer.disconnect();
    },
  };
}
