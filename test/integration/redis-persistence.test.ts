import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../helpers/endpoints.ts';

const redis = new Redis(testEndpoints().redisUrl);

afterAll(() => {
  redis.disconnect();
});

describe('the Redis the identity graph lives in', () => {
  it('keeps an append-only file, so a restart keeps the graph (Dauntless needs AOF on)', async () => {
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  });
});
