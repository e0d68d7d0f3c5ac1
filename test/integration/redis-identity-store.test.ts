import { adminRedis } from '../helpers/redis.ts';
import { afterAll } from 'vitest';
import { createRedisIdentityStore, type RedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { describeIdentityStoreContract } from '../helpers/identity-store-contract.ts';
import { uniqueName } from '../helpers/unique.ts';
import { createIdentityAdmin } from '../../shared/graph/identity-admin.ts';

const redis = adminRedis();
const stores: RedisIdentityStore[] = [];

afterAll(async () => {
  for (const store of stores) await store.clear();
  redis.disconnect();
});

describeIdentityStoreContract('the Redis identity graph', () => {
  const namespace = `${uniqueName('graph')}:{g}`;
  const store = createRedisIdentityStore({ redis, namespace });
  stores.push(store);
  return Object.assign(store, { entities: () => createIdentityAdmin({ redis, namespace }).entities() });
});
