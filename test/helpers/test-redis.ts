// A Redis client for a test, as the stack's admin user (test/helpers/redis.ts).
import type { Redis } from 'ioredis';
import { adminRedis } from './redis.ts';

export function testRedis(): Redis {
  return adminRedis();
}
