// A Redis client for a test, on the servers global-setup.ts found.
import { Redis } from 'ioredis';
import { testEndpoints } from './endpoints.ts';

export function testRedis(): Redis {
  return new Redis(testEndpoints().redisUrl);
}
