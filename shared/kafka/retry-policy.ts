// How long to wait before trying a failed message again: exponential backoff
// from initialMs, capped at maxMs, with jitter so that the members of a group
// (or every partition of one process) that failed on the same outage do not
// all come back at the same instant. The one backoff of the stage consumer,
// for dependency failures and for a dead letter Kafka would not take.
//   full:          a uniform draw from [0, min(maxMs, initialMs * 2^(attempt-1))] (AWS "full jitter")
//   decorrelated:  a uniform draw from [initialMs, min(maxMs, 3 * previous delay)], never below initialMs
// Decorrelated is the default: it spreads retries as widely as full jitter
// but never retries at once, which would only hammer a dependency that is down.

export type Jitter = 'full' | 'decorrelated';

export type RetryConfig = Readonly<{
  /** The first delay's scale, in ms. */
  initialMs: number;
  /** The longest delay, in ms. */
  maxMs: number;
  /** Default decorrelated. */
  jitter?: Jitter;
}>;

/** The delays of one message's retries: next() is the delay before the next attempt, in whole ms. */
export type Backoff = { next(): number };

export type RetryPolicy = Readonly<{
  config: RetryConfig;
  /** A fresh sequence of delays, one per message that fails. */
  backoff(): Backoff;
}>;

/** The exponential ceiling of attempt n (1-based): initialMs * 2^(n-1), capped at maxMs. */
export function exponentialCeilingMs(attempt: number, { initialMs, maxMs }: RetryConfig): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

/** Full jitter: uniform in [0, ceiling of this attempt]. `random` is in [0, 1). */
export function fullJitterMs(attempt: number, config: RetryConfig, random: () => number): number {
  return Math.floor(random() * (exponentialCeilingMs(attempt, config) + 1));
}

/** Decorrelated jitter: uniform in [initialMs, min(maxMs, 3 * previousMs)]; the first call passes previousMs = initialMs. */
export function decorrelatedJitterMs(previousMs: number, { initialMs, maxMs }: RetryConfig, random: () => number): number {
  const high = Math.min(maxMs, Math.max(initialMs, previousMs * 3));
  return Math.min(maxMs, Math.floor(initialMs + random() * (high - initialMs + 1)));
}

export function createRetryPolicy(config: RetryConfig, random: () => number = Math.random): RetryPolicy {
  const jitter = config.jitter ?? 'decorrelated';
  return Object.freeze({
    config,
    backoff(): Backoff {
      let attempt = 0;
      let previous = config.initialMs;
      return {
        next() {
          attempt++;
          previous = jitter === 'full' ? fullJitterMs(attempt, config, random) : decorrelatedJitterMs(previous, config, random);
          return previous;
        },
      };
    },
  });
}
