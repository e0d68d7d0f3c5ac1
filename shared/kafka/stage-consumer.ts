// Runs one stage over Kafka topics in a consumer group, with the failure
// policies of docs/ARCHITECTURE.md (decided by shared/errors/failure-policy.ts):
//   - bad input (a non-retriable error from decode or handle), or a programmer
//     error: the message goes to its topic's dead-letter topic, byte for byte,
//     with the code and reason; its offset is then committed (within
//     commitIntervalMs) and the stage goes on;
//   - a broken dependency (a retriable error): the message is tried again
//     with backoff, heartbeating meanwhile, and nothing after it is committed,
//     so a restart resumes from it. Writes are idempotent, so a message handled
//     twice changes nothing. A Redis error reply is tried a bounded number of
//     times, then dead-lettered (REDIS_SCRIPT_FAILED);
//   - a configuration error (a subject missing from the registry): nothing is
//     dead-lettered or committed past it; `failed` settles and the service stops,
//     as it does when kafkajs gives up on the consumer (CRASH without restart).
// Backoff is retry-policy.ts; when offsets are committed, offset-committer.ts.
// The stage itself is two plain functions; this file is the Kafka edge.
// Metrics reach out through optional hooks (onOutcome, onLag, onAssignment),
// so this file needs no metrics library; a hook that throws is logged and
// ignored, never taken for a failure of the message.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { failurePolicy, scriptFailedError } from '../errors/failure-policy.ts';
import type { Logger } from '../logging/create-logger.ts';
import { DEAD_LETTER_MAX_BYTES, deadLetterTopicOf, fitDeadLetter, isMessageTooLarge, reducedDeadLetter, toDeadLetter, type DeadLetter } from './dead-letter.ts';
import { createCallOrder, type Ticket } from './call-order.ts';
import { createOffsetCommitter } from './offset-committer.ts';
import { createRetryPolicy, type RetryConfig } from './retry-policy.ts';

export type StageMessage = {
  topic: string;
  partition: number;
  message: KafkaMessage;
  /**
   * With calls in call order (call-order.ts): notes the earlier messages still in flight (call it just before reading
   * what they could change); the function returned waits for them and gives the entities they touched.
   */
  earlierInFlight?: () => () => Promise<ReadonlySet<string>>;
  /** With calls in call order: the entities this message wrote to, for the later ones that read them. */
  touched?: (entityIds: readonly string[]) => void;
  /**
   * With `behindAtMessages` set: the partitions held now that may hold messages this one is handled without (see
   * PartitionBehind). Call it when reading what they would have written.
   */
  partitionsBehind?: () => PartitionBehind[];
};

/**
 * A partition whose messages a message was handled without: not known to be caught up since it was assigned
 * (`messages` null: how far is not known yet), at least `behindAtMessages` behind its high watermark, or gone ahead
 * of in call order once its bound passed (`holdsBackAtMost`).
 */
export type PartitionBehind = { topic: string; partition: number; messages: number | null };

export type Stage<T> = {
  name: string;
  /** Bytes to a typed value; throws a non-retriable DauntlessError for bad input. */
  decode(input: StageMessage): Promise<T>;
  handle(value: T, input: StageMessage): Promise<void>;
  /**
   * With calls in call order: the keys through which this message could find, or change, another (the parties'
   * blocking keys). A later message sharing one waits for this one. None: it conflicts with nothing.
   */
  orderKeys?(value: T): readonly string[];
  /**
   * Waits until the output of every message of this partition handled so
   * far is written (for a stage that sends without waiting, to overlap sends
   * with the next message). Offsets are marked done only after it resolves;
   * if it throws, nothing since the last flush is marked done and the batch
   * is fetched again (writes are idempotent).
   */
  flush?(where: { topic: string; partition: number }): Promise<void>;
};

export type DeadLetterSink = (topic: string, key: Buffer | null, letter: DeadLetter) => Promise<void>;

export type StageOutcome = 'handled' | 'dead_lettered' | 'retried';

/** What onOutcome learns beside the outcome. */
export type OutcomeDetail = {
  /** The stage's name (Stage.name). */
  stage: string;
  /**
   * The error's stable code: the dead letter's errorCode when dead-lettered
   * (UNEXPECTED for an error of no known code), the thrown error's code when
   * retried (undefined if it has none); undefined when handled.
   */
  code: string | undefined;
  /** Wall time of this attempt, in ms: decode and handle, plus writing the dead letter when dead-lettered; backoff sleeps excluded. */
  durationMs: number;
};

/** A partition's consumer lag, in messages: its high watermark minus the next offset this consumer will process. */
export type PartitionLag = { topic: string; partition: number; messages: number };

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
  /**
   * How long the group waits for a member that stopped heartbeating before
   * giving its partitions to another: the gap in service after a crash.
   * Default 10 s (kafkajs: 30 s); the broker's floor is 6 s.
   */
  sessionTimeoutMs?: number;
  /**
   * Partitions processed at once, each still in offset order. Resolving is
   * mostly waiting on Redis and Kafka round trips, so several partitions in
   * flight keep one process busy. Default 1.
   */
  partitionsConcurrently?: number;
  /**
   * Messages started in the order of their Kafka timestamps across the partitions in hand (call-order.ts), so a
   * backlog is resolved as the calls came in, not partition by partition. Default false: partition order only.
   */
  callOrder?: boolean;
  /** Backoff between attempts (retry-policy.ts). Default 100 ms to 10 s, decorrelated jitter. */
  retry?: RetryConfig;
  /** Attempts given a Redis error reply (a Lua script error) before the message is dead-lettered as REDIS_SCRIPT_FAILED. Default 5. */
  boundedAttempts?: number;
  /**
   * Most time between commits of the offsets done (handled and flushed). A
   * commit is a round trip and a write to __consumer_offsets: kafkajs's own
   * policy commits after every batch, and a consumer tuned for latency gets
   * batches of one message, so at 200 calls/s that is 200 commits a second,
   * each waited for before the partition's next fetch. What a crash leaves
   * uncommitted is handled again, which changes nothing (writes are
   * idempotent by event id). Default 1,000 ms; 0 commits after every batch.
   */
  commitIntervalMs?: number;
  fromBeginning?: boolean;
  /**
   * A message whose processing (decode and handle, and its dead letter if
   * any) takes longer than this, in ms, is logged with its topic, partition
   * and offset: one slow message holds back its partition, and every
   * partition sharing the event loop. Default 1,000; 0 logs none.
   */
  messageBudgetMs?: number;
  /** Largest dead letter written as it is, in bytes (default DEAD_LETTER_MAX_BYTES, the dead-letter topics' max.message.bytes); a larger one is reduced (dead-letter.ts). */
  maxDeadLetterBytes?: number;
  /** Called for every outcome (one per attempt: a message retried twice then handled gives retried, retried, handled), for metrics. */
  onOutcome?: (outcome: StageOutcome, input: StageMessage, detail: OutcomeDetail) => void;
  /**
   * Called with a partition's lag when a batch arrives (counting the batch
   * itself) and after each of its messages is processed. The high watermark
   * is the one the fetch saw, so lag grown since shows at the next fetch.
   */
  onLag?: (lag: PartitionLag) => void;
  /**
   * With call order: the longest a partition of `topic` may hold back a later message of another partition, in ms
   * (default without end). Past it the message goes ahead, and its partitionsBehind names the partition.
   */
  holdsBackAtMost?: (topic: string) => number;
  /**
   * Lag, in messages, from which a partition counts as behind for StageMessage.partitionsBehind (which is given
   * only when this is set). A partition just assigned is behind until found caught up or fetched.
   */
  behindAtMessages?: number;
  /** Called after each rebalance with the partitions this member now holds (topic → partitions), so lag of partitions now elsewhere can be dropped. */
  onAssignment?: (assignment: Record<string, number[]>) => void;
  now?: () => number;
};

/** Messages a stage with `flush` may handle before its output is awaited: bounds what a crash makes it redo. */
const FLUSH_EVERY = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type StageConsumer = {
  start(): Promise<void>;
  stop(): Promise<void>;
  consumer: Consumer;
  /**
   * Settles with the error once the consumer cannot go on: a configuration
   * error from the stage (nothing is committed past its message), or kafkajs
   * giving up on the consumer. The service then stops and exits non-zero.
   */
  failed: Promise<DauntlessError>;
  /** Whether the consumer is in its group now (joined, not crashed, stopped or rebalancing): for /readyz. */
  isJoined(): boolean;
};

export function createStageConsumer<T>(options: StageConsumerOptions<T>): StageConsumer {
  const { kafka, groupId, topics, stage, deadLetters, service } = options;
  const retry = createRetryPolicy(options.retry ?? { initialMs: 100, maxMs: 10_000 });
  const boundedAttempts = options.boundedAttempts ?? 5;
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ stage: stage.name });
  const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 20,
    sessionTimeout,
    heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 5)),
    allowAutoTopicCreation: false,
  });

  // Hooks are for observing: one that throws must not dead-letter or retry a message.
  function notify<A extends unknown[]>(name: string, hook: ((...args: A) => void) | undefined, ...args: A): void {
    if (!hook) return;
    try {
      hook(...args);
    } catch (error) {
      logger.warn({ hook: name, err: (error as Error)?.message }, 'a stage consumer hook threw; ignored');
    }
  }
  const messageBudgetMs = options.messageBudgetMs ?? 1_000;
  const outcome = (result: StageOutcome, input: StageMessage, code: string | undefined, startedAt: number) => {
    const durationMs = performance.now() - startedAt;
    if (messageBudgetMs > 0 && durationMs > messageBudgetMs && result !== 'retried') {
      logger.warn({ topic: input.topic, partition: input.partition, offset: input.message.offset, outcome: result, code, durationMs: Math.round(durationMs), budgetMs: messageBudgetMs }, 'message took longer than its budget');
    }
    notify('onOutcome', options.onOutcome, result, input, { stage: stage.name, code, durationMs });
  };
  const maxDeadLetterBytes = options.maxDeadLetterBytes ?? DEAD_LETTER_MAX_BYTES;
  /**
   * Writes the letter, reduced first if it is over the limit, or reduced
   * after the broker refused it as too large: a letter that can never be
   * written would stop its partition for good. Returns the letter written.
   */
  async function writeDeadLetter(inputTopic: string, letter: DeadLetter): Promise<DeadLetter> {
    const topic = deadLetterTopicOf(inputTopic);
    const fitted = fitDeadLetter(letter, maxDeadLetterBytes);
    try {
      await deadLetters(topic, fitted.originalKey, fitted);
      return fitted;
    } catch (error) {
      if (fitted.originalValueSha256 || !isMessageTooLarge(error)) throw error;
    }
    const reduced = reducedDeadLetter(letter);
    await deadLetters(topic, reduced.originalKey, reduced);
    return reduced;
  }
  /** Each partition held: its lag in messages as last seen, null while not known since it was assigned. */
  const positions = new Map<string, number | null>();
  const behindAtMessages = options.behindAtMessages;
  // Offsets are 64-bit decimal strings: subtract as BigInt, report as a number.
  const lag = (batch: EachBatchPayload['batch'], nextOffset: bigint) => {
    const messages = Math.max(0, Number(BigInt(batch.highWatermark) - nextOffset));
    if (behindAtMessages !== undefined) positions.set(`${batch.topic}/${batch.partition}`, messages);
    notify('onLag', options.onLag, { topic: batch.topic, partition: batch.partition, messages });
  };
  const splitKey = (key: string) => ({ topic: key.slice(0, key.lastIndexOf('/')), partition: Number(key.slice(key.lastIndexOf('/') + 1)) });
  /** What partitionsBehind answers for a message that went ahead of `aheadOf` in call order. */
  const behindNow = (aheadOf: readonly string[]): PartitionBehind[] => {
    const keys = new Set(aheadOf);
    for (const [key, messages] of positions) if (messages === null || messages >= behindAtMessages!) keys.add(key);
    return [...keys].sort().map((key) => ({ ...splitKey(key), messages: positions.get(key) ?? null }));
  };
  if (behindAtMessages !== undefined) {
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      positions.clear();
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) for (const p of partitions) positions.set(`${topic}/${p}`, null);
      if (order) return; // call order reads which are caught up (below) and says so
      void findCaughtUp(payload.memberAssignment).then(
        (keys) => keys.forEach((key) => positions.get(key) === null && positions.set(key, 0)),
        (error: unknown) => logger.warn({ err: (error as Error).message }, 'could not read which partitions are caught up; their first batches will show it'),
      );
    });
  }
  if (options.onAssignment) {
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => notify('onAssignment', options.onAssignment, payload.memberAssignment));
  }

  const holdsBackAtMost = options.holdsBackAtMost;
  const order = options.callOrder ? createCallOrder(holdsBackAtMost ? { holdsBackAtMost: (key) => holdsBackAtMost(splitKey(key).topic) } : {}) : undefined;
  if (order) {
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      order.assigned(new Set(Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}/${p}`))));
      void findCaughtUp(payload.memberAssignment).then(
        (keys) => {
          order.caughtUp(keys);
          for (const key of keys) if (positions.get(key) === null) positions.set(key, 0);
        },
        (error: unknown) => logger.warn({ err: (error as Error).message }, 'could not read which partitions are caught up; their first batches will show it'),
      );
    });
  }
  /** The assigned partitions whose committed offset (or, never committed, the earliest kept) is their end: nothing to wait for. */
  async function findCaughtUp(assignment: Record<string, number[]>): Promise<string[]> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics: Object.keys(assignment) });
      const caughtUp: string[] = [];
      for (const [topic, partitions] of Object.entries(assignment)) {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o]));
        const mine = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, p.offset]));
        for (const partition of partitions) {
          const end = ends.get(partition);
          const at = mine.get(partition);
          const position = at !== undefined && at !== '-1' ? BigInt(at) : BigInt(end?.low ?? '0');
          if (end && position >= BigInt(end.high)) caughtUp.push(`${topic}/${partition}`);
        }
      }
      return caughtUp;
    } finally {
      await admin.disconnect();
    }
  }
  const commitIntervalMs = options.commitIntervalMs ?? 1_000;
  const committer = commitIntervalMs > 0 ? createOffsetCommitter({ commit: (offsets) => consumer.commitOffsets(offsets), intervalMs: commitIntervalMs, logger }) : undefined;
  if (committer) {
    // After a rebalance only this member's partitions are its to commit: another's would move back.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => committer.keepOnly(payload.memberAssignment));
  }

  // Once failed, no message anywhere is processed further: each would fail the same way.
  let fail!: (error: DauntlessError) => void;
  let halted: DauntlessError | undefined;
  const failed = new Promise<DauntlessError>((resolve) => (fail = resolve));
  function halt(error: DauntlessError): void {
    if (halted) return;
    halted = error;
    // runService writes the fatal line as it stops the process.
    logger.error({ err: error, code: error.code }, `stage consumer halted: ${error.message}`);
    fail(error);
  }
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => void (joined = true));
  consumer.on(consumer.events.REBALANCING, () => void (joined = false));
  consumer.on(consumer.events.STOP, () => void (joined = false));
  consumer.on(consumer.events.DISCONNECT, () => void (joined = false));
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    // kafkajs restarts the consumer itself after a retriable crash; after any other it is gone for good.
    if (payload.restart) {
      logger.warn({ err: payload.error?.message }, 'kafka consumer crashed; kafkajs restarts it');
      return;
    }
    halt(new DauntlessError('KAFKA_CONSUMER_CRASHED', `The Kafka consumer of group ${groupId} crashed and will not restart (${payload.error?.name}: ${payload.error?.message}): exiting so the supervisor starts the service again.`, { cause: payload.error }));
  });

  /** Writes the letter for `error`; false if Kafka would not take it (the caller backs off and tries the message again). */
  async function deadLetter(input: StageMessage, error: unknown, startedAt: number): Promise<boolean> {
    const where = { topic: input.topic, partition: input.partition, offset: input.message.offset };
    let letter = toDeadLetter({ ...input, error, service, stage: stage.name, now: now() });
    try {
      letter = await writeDeadLetter(input.topic, letter);
    } catch (sinkError) {
      const policy = failurePolicy(sinkError);
      if (policy.kind === 'stop') {
        halt(sinkError as DauntlessError);
        return false;
      }
      // Kafka itself failing to take the dead letter is a dependency failure: retry.
      logger.warn({ ...where, err: (sinkError as Error).message }, 'dead letter could not be written; retrying');
      return false;
    }
    logger.warn({ ...where, code: letter.errorCode, ...(letter.originalValueSha256 ? { reduced: true, originalValueBytes: letter.originalValueBytes } : {}) }, 'message dead-lettered');
    outcome('dead_lettered', input, letter.errorCode, startedAt);
    return true;
  }

  async function processOne(input: StageMessage, batch: EachBatchPayload): Promise<'processed' | 'stopped' | 'yield'> {
    let ticket: Ticket | undefined;
    let aheadOf: readonly string[] = [];
    if (order) {
      const admission = await order.admit(`${input.topic}/${input.partition}`, {
        heartbeat: () => batch.heartbeat(),
        running: () => batch.isRunning() && !batch.isStale() && !halted,
      });
      if (admission.kind !== 'go') return admission.kind;
      ticket = admission.ticket;
      aheadOf = admission.aheadOf;
    }
    const withOrder = ticket ? { ...input, earlierInFlight: ticket.earlierInFlight, touched: ticket.touch } : input;
    try {
      return await attempts(behindAtMessages === undefined ? withOrder : { ...withOrder, partitionsBehind: () => behindNow(aheadOf) }, batch, ticket);
    } finally {
      ticket?.done();
    }
  }

  async function attempts(input: StageMessage, batch: EachBatchPayload, ticket: Ticket | undefined): Promise<'processed' | 'stopped'> {
    const where = { topic: input.topic, partition: input.partition, offset: input.message.offset };
    const backoff = retry.backoff();
    let decoded: { value: T } | undefined;
    let locked = !ticket;
    for (let attempt = 1; ; attempt++) {
      if (halted) return 'stopped';
      const startedAt = performance.now();
      let error: unknown;
      try {
        decoded ??= { value: await stage.decode(input) };
        if (!locked) {
          await ticket!.lock(stage.orderKeys?.(decoded.value) ?? []);
          locked = true;
        }
        await stage.handle(decoded.value, input);
        outcome('handled', input, undefined, startedAt);
        return 'processed';
      } catch (thrown) {
        error = thrown;
      }
      const policy = failurePolicy(error, { boundedAttempts });
      if (policy.kind === 'stop') {
        halt(error instanceof DauntlessError ? error : new DauntlessError(policy.code, String((error as Error)?.message), { cause: error }));
        return 'stopped';
      }
      let letterOf: unknown;
      if (policy.kind === 'dead-letter') {
        if (policy.programmerError) {
          // A bug: the stack is for whoever fixes it; the letter keeps the record for the replay after the fix.
          logger.error({ ...where, code: policy.code, err: error }, 'programmer error while processing; dead-lettered');
          letterOf = new DauntlessError('PROGRAMMER_ERROR', `unexpected ${(error as Error).name} while processing (a bug: see the service's log at this offset)`, { cause: error });
        } else letterOf = error;
      } else if (policy.kind === 'retry-bounded' && attempt >= policy.maxAttempts) {
        letterOf = scriptFailedError(error, attempt);
        logger.error({ ...where, code: policy.code, attempts: attempt, err: (error as Error)?.message }, 'Redis refused the same command every attempt; dead-lettered');
      }
      if (letterOf !== undefined) {
        if (await deadLetter(input, letterOf, startedAt)) return 'processed';
        if (halted) return 'stopped';
      } else {
        outcome('retried', input, policy.code ?? (error as { code?: string })?.code, startedAt);
      }
      const delay = backoff.next();
      if (letterOf === undefined) logger.warn({ ...where, attempt, delayMs: delay, code: policy.code, err: (error as Error)?.message }, policy.kind === 'retry-bounded' ? 'Redis refused the command; retrying a bounded number of times' : 'dependency failed; retrying without committing');
      await sleep(delay);
      if (!batch.isRunning() || batch.isStale()) return 'stopped';
      await batch.heartbeat().catch(() => undefined);
    }
  }

  /** A batch's messages in offset order, each started when call order allows; `brokeOff` says where it stopped early. */
  async function eachBatchInOrder(batch: EachBatchPayload, brokeOff: (nextTimestamp: number) => void): Promise<void> {
    // kafkajs calls eachBatch only with messages; the first is the next to process.
    const first = batch.batch.messages[0];
    if (first) lag(batch.batch, BigInt(first.offset));
    // Done = handled and, for a stage that sends in the background, flushed.
    let handled: string | undefined;
    const markDone = async () => {
      if (handled === undefined) return;
      await stage.flush?.({ topic: batch.batch.topic, partition: batch.batch.partition });
      batch.resolveOffset(handled);
      await committer?.markDone(batch.batch.topic, batch.batch.partition, (BigInt(handled) + 1n).toString());
      handled = undefined;
    };
    for (const [i, message] of batch.batch.messages.entries()) {
      if (!batch.isRunning() || batch.isStale()) {
        brokeOff(Number(message.timestamp));
        break;
      }
      const result = await processOne({ topic: batch.batch.topic, partition: batch.batch.partition, message }, batch);
      if (result !== 'processed') {
        // A yield: an earlier call may be in the unfetched rest of another partition; this batch is fetched again.
        brokeOff(Number(message.timestamp));
        break;
      }
      lag(batch.batch, BigInt(message.offset) + 1n);
      handled = message.offset;
      if (!stage.flush || (i + 1) % FLUSH_EVERY === 0) await markDone();
      await batch.heartbeat();
    }
    await markDone();
  }

  return {
    consumer,
    failed,
    isJoined: () => joined && !halted,
    async start() {
      await consumer.connect();
      for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
      committer?.start();
      await consumer.run({
        // Without a commit interval, kafkajs commits the offsets resolved after every batch.
        autoCommit: commitIntervalMs === 0,
        partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
        eachBatchAutoResolve: false,
        eachBatch: async (batch) => {
          // kafkajs calls eachBatch only with messages; the first is the next to process.
          const partitionKey = `${batch.batch.topic}/${batch.batch.partition}`;
          order?.enter(
            partitionKey,
            batch.batch.messages.map((m) => Number(m.timestamp)),
            BigInt(batch.batch.lastOffset()) + 1n >= BigInt(batch.batch.highWatermark),
          );
          let brokeOffAt: number | undefined;
          try {
            // kafkajs hands a fetch's batches to its workers one after another in one turn of the event loop, each
            // running until its first await: admitted at once, this batch's first message would go before the
            // batches after it in the same fetch were in hand, ahead of an earlier call in one of them.
            if (order) await nextTurn();
            await eachBatchInOrder(batch, (at) => (brokeOffAt = at));
          } finally {
            order?.leave(partitionKey, brokeOffAt === undefined ? {} : { nextTimestamp: brokeOffAt });
          }
        },
      });
    },
    async stop() {
      // Commit what is done before leaving, so the next owner starts after it (kafkajs commits
      // nothing once its runner is stopping; the few messages in hand meanwhile are handled again).
      await committer?.stop();
      await consumer.disconnect();
    },
  };
}
