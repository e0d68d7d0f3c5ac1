// Sends messages without making the caller wait for each: they gather for a
// moment (lingerMs) and go to Kafka as one request while the stage moves on
// to the next message. Each message's promise settles with its request.
// kafkajs has no linger of its own (docs/CONTRIBUTING.md "Local stack facts"),
// and an idempotent producer keeps one request in flight, so batching is what
// makes sends cheap.
//
// The outbox keeps those promises by the input partition whose message
// caused them, so the stage consumer can wait for one partition's output
// before marking its offsets done (Stage.flush): nothing is committed that
// was not sent, and a failed send fails only the partition it belongs to.
import type { Message, Producer } from 'kafkajs';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { COMPRESSIONS, type CompressionName } from './load-compression.ts';

export type BatchedSender = {
  /** Queues a message; it goes within lingerMs (sooner when maxBatch are waiting). Rejects (retriable) if Kafka did not take it. */
  send(topic: string, message: Message): Promise<void>;
};

export function createBatchedSender({
  producer,
  lingerMs = 2,
  maxBatch = 500,
  compression = 'none',
}: {
  producer: Pick<Producer, 'sendBatch'>;
  lingerMs?: number;
  maxBatch?: number;
  /** The codec of each request's batches (DAUNTLESS_KAFKA_COMPRESSION, see load-compression.ts). */
  compression?: CompressionName;
}): BatchedSender {
  type Queued = { topic: string; message: Message; done: (error?: unknown) => void };
  let queued: Queued[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** Requests go one at a time, in order. */
  let tail: Promise<void> = Promise.resolve();

  function sendQueued(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queued.length === 0) return;
    const batch = queued;
    queued = [];
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of batch) {
      const list = byTopic.get(topic);
      if (list) list.push(message);
      else byTopic.set(topic, [message]);
    }
    tail = tail.then(async () => {
      try {
        await producer.sendBatch({ acks: -1, compression: COMPRESSIONS[compression], topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        for (const q of batch) q.done();
      } catch (error) {
        const failure = new DauntlessError('KAFKA_UNAVAILABLE', `Kafka did not take ${batch.length} message(s): ${(error as Error).message}`, { retriable: true, cause: error });
        for (const q of batch) q.done(failure);
      }
    });
  }

  return {
    send(topic, message) {
      return new Promise<void>((resolve, reject) => {
        queued.push({ topic, message, done: (error) => (error ? reject(error) : resolve()) });
        if (queued.length >= maxBatch) sendQueued();
        else timer ??= setTimeout(sendQueued, lingerMs);
      });
    },
  };
}

export type PartitionOutbox = {
  /** Keeps a send caused by a message of this partition. */
  add(where: { topic: string; partition: number }, sent: Promise<void>): void;
  /** Waits for every send of this partition kept so far; throws the first failure. */
  flush(where: { topic: string; partition: number }): Promise<void>;
};

export function createPartitionOutbox(): PartitionOutbox {
  const pending = new Map<string, Promise<void>[]>();
  const keyOf = ({ topic, partition }: { topic: string; partition: number }) => `${topic}\u0000${partition}`;
  return {
    add(where, sent) {
      // Observed here so a failure is never "unhandled" before flush awaits it.
      sent.catch(() => undefined);
      const key = keyOf(where);
      const list = pending.get(key);
      if (list) list.push(sent);
      else pending.set(key, [sent]);
    },
    async flush(where) {
      const key = keyOf(where);
      const sends = pending.get(key) ?? [];
      pending.delete(key);
      await Promise.all(sends);
    },
  };
}
