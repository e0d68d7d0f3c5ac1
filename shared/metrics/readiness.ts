// What /readyz asks before it says a service is ready: each dependency in
// turn (Kafka, Redis, the registry), each within a time limit, so one that
// hangs answers "down" rather than holding the probe. A check resolves when
// its dependency answers and throws (with why) when it does not. /healthz
// asks none of them: a process whose Redis is down is alive and waiting, and
// restarting it would not bring Redis back.

export type ReadinessCheck = { name: string; check(): Promise<void> };

export type ReadinessReport = {
  ready: boolean;
  /** Each check by name: "ok", or "down: <why>". */
  checks: Record<string, string>;
  /** The names of the checks that failed. */
  down: string[];
};

/** Longest a check may take, in ms, before it counts as down. */
export const READINESS_TIMEOUT_MS = 2_000;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs = READINESS_TIMEOUT_MS): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await within(timeoutMs, check());
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, `down: ${(error as Error)?.message ?? String(error)}`] as const;
      }
    }),
  );
  const down = results.filter(([, state]) => state !== 'ok').map(([name]) => name);
  return { ready: down.length === 0, checks: Object.fromEntries(results), down };
}

/** Kafka: the consumer is in its group (joined, not crashed or rebalancing). */
export function kafkaConsumerCheck(isJoined: () => boolean): ReadinessCheck {
  return {
    name: 'kafka',
    async check() {
      if (!isJoined()) throw new Error('the consumer is not in its group (starting, rebalancing or crashed)');
    },
  };
}

/** Redis answers PING. */
export function redisCheck(redis: { ping(): Promise<string> }): ReadinessCheck {
  return {
    name: 'redis',
    async check() {
      await redis.ping();
    },
  };
}

/** The schema registry answers GET /subjects. */
export function registryCheck(registry: { subjects(): Promise<string[]> }): ReadinessCheck {
  return {
    name: 'registry',
    async check() {
      await registry.subjects();
    },
  };
}
