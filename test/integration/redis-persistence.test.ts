import { adminRedis } from '../helpers/redis.ts';
import { afterAll, describe, expect, it } from 'vitest';

const redis = adminRedis();

afterAll(() => {
  redis.disconnect();
});

describe('the Redis the identity graph lives in', () => {
  it('keeps an append-only file, so a restart keeps the graph (Dauntless needs AOF on)', async () => {
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  });
});
