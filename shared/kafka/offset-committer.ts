// When a stage consumer's done offsets reach Kafka. A commit is a round trip
// and a write to __consumer_offsets; kafkajs's own policy commits after every
// batch, and a consumer tuned for latency gets batches of one message, so at
// 200 calls/s that would be 200 commits a second, each awaited before the
// partition's next fetch. This commits what is done:
//   - at most once per intervalMs while messages are marked done;
//   - by an idle timer, so the last offsets of a quiet partition are committed within the interval too;
//   - on stop, so the next owner of a partition starts after what this member did.
// A failed commit puts its offsets back unless a newer one for the partition
// was marked meanwhile (the next commit carries that), and a commit never
// forgets another started while it was awaited. What a crash leaves
// uncommitted is processed again, which changes nothing (writes are idempotent).
import type { Logger } from '../logging/create-logger.ts';

export type TopicPartitionOffset = { topic: string; partition: number; offset: string };

export type OffsetCommitter = {
  /** Records `nextOffset` (the next offset to process) as done for the partition; commits if the interval has passed since the last commit. */
  markDone(topic: string, partition: number, nextOffset: string): Promise<void>;
  /** Forgets the pending offsets of partitions not in the assignment (topic → partitions): after a rebalance they are another member's to commit. */
  keepOnly(assignment: Record<string, number[]>): void;
  /** Commits every pending offset now, after any commit already running. */
  commitPending(): Promise<void>;
  /** Starts the idle timer. */
  start(): void;
  /** Stops the idle timer and commits what is pending. */
  stop(): Promise<void>;
};

export type OffsetCommitterOptions = {
  /** Writes the offsets to Kafka (consumer.commitOffsets). */
  commit(offsets: TopicPartitionOffset[]): Promise<void>;
  /** Most time between commits while offsets are pending, in ms (> 0). */
  intervalMs: number;
  logger: Logger;
  now?: () => number;
};

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export function createOffsetCommitter({ commit, intervalMs, logger, now = Date.now }: OffsetCommitterOptions): OffsetCommitter {
  // The next offset to process, by partition, done and not yet committed.
  const pending = new Map<string, TopicPartitionOffset>();
  let lastCommit = now();
  let committing: Promise<void> | undefined;
  let idle: NodeJS.Timeout | undefined;

  async function commitPending(): Promise<void> {
    await committing;
    if (pending.size === 0) return;
    const offsets = [...pending.values()];
    pending.clear();
    lastCommit = now();
    const running = commit(offsets).catch((error: unknown) => {
      for (const o of offsets) {
        const key = keyOf(o.topic, o.partition);
        if (!pending.has(key)) pending.set(key, o);
      }
      logger.warn({ err: (error as Error)?.message }, 'offsets not committed; will try again');
    });
    committing = running;
    await running;
    // A later caller may have started the next commit meanwhile: that one stays awaited.
    if (committing === running) committing = undefined;
  }

  const due = () => now() - lastCommit >= intervalMs;

  return {
    async markDone(topic, partition, nextOffset) {
      pending.set(keyOf(topic, partition), { topic, partition, offset: nextOffset });
      if (due()) await commitPending();
    },
    keepOnly(assignment) {
      for (const [key, { topic, partition }] of pending) if (!assignment[topic]?.includes(partition)) pending.delete(key);
    },
    commitPending,
    start() {
      clearInterval(idle);
      idle = setInterval(() => void (due() && commitPending()), intervalMs);
      idle.unref();
    },
    async stop() {
      clearInterval(idle);
      idle = undefined;
      await commitPending();
    },
  };
}
