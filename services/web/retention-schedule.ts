// When the retention review runs (retention-review.ts): every `sweepMs` on a
// timer, and when an administrator asks. One review at a time across every
// web service instance of a graph: a lock in Redis (`<graph>:review:lock`,
// with an expiry, so a crashed instance's lock lapses) besides this
// process's own. A dry run takes no lock: it changes nothing.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { RetentionCounts } from './retention-review.ts';

export type RetentionSchedule = {
  /** A review now; undefined when one is running already (here or in another instance). */
  run(opts: { dryRun: boolean }): Promise<RetentionCounts | undefined>;
  stop(): void;
};

/** Longer than any review should take; a lock older than this is taken to be a crashed instance's. */
const LOCK_MS = 60 * 60 * 1000;
/** The first timed review waits for the service to settle after start. */
const FIRST_AFTER_MS = 60_000;

export function scheduleRetention({
  review,
  redis,
  graphNamespace,
  sweepMs,
  logger,
  now = Date.now,
}: {
  review: (opts: { now: number; dryRun: boolean }) => Promise<RetentionCounts>;
  redis: Redis;
  graphNamespace: string;
  /** 0: no timer, on demand only. */
  sweepMs: number;
  logger: Logger;
  now?: () => number;
}): RetentionSchedule {
  const lock = `${graphNamespace}:review:lock`;
  let running = false;

  async function run({ dryRun }: { dryRun: boolean }): Promise<RetentionCounts | undefined> {
    if (dryRun) return review({ now: now(), dryRun });
    if (running) return undefined;
    running = true;
    const token = randomUUID();
    try {
      if ((await redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return undefined;
      try {
        return await review({ now: now(), dryRun: false });
      } finally {
        if ((await redis.get(lock)) === token) await redis.del(lock);
      }
    } finally {
      running = false;
    }
  }

  const timed = () =>
    void run({ dryRun: false }).catch((error: Error) => logger.warn({ err: error.message }, 'the retention review failed; the next one resumes it'));
  const timers: NodeJS.Timeout[] = [];
  if (sweepMs > 0) {
    timers.push(setTimeout(timed, Math.min(FIRST_AFTER_MS, sweepMs)), setInterval(timed, sweepMs));
    for (const t of timers) t.unref();
  }
  return {
    run,
    stop: () => timers.forEach((t) => clearTimeout(t)),
  };
}
