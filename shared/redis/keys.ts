// Finding and removing a namespace's keys by prefix, with SCAN (never KEYS,
// which blocks Redis while it walks every key): for the stores' clear() and
// listings, the evaluation runs and the tests. Not for the hot path.
import type { Redis } from 'ioredis';

/** The text with Redis's glob characters escaped, to match it literally in a SCAN pattern. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Every key that starts with `prefix` and ends with `suffix`, a batch at a time as SCAN returns them. */
export async function* scanKeys(redis: Redis, prefix: string, suffix = ''): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*${escapeGlob(suffix)}`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/** Deletes every key that starts with `prefix` (UNLINK: freed in the background). */
export async function unlinkKeysUnder(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of scanKeys(redis, prefix)) await redis.unlink(...keys);
}

/**
 * Removes everything a namespace holds (`ns:*`): a graph, a scorer's boards, an evaluation's run. Nothing else
 * shares a namespace's prefix, so this is the one way any of them is cleared.
 */
export async function clearNamespace(redis: Redis, namespace: string): Promise<void> {
  await unlinkKeysUnder(redis, `${namespace}:`);
}
