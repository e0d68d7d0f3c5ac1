import { basicAuthorization, type RegistryAuth } from '../../shared/config/credentials.ts';
import type { Endpoints } from '../../shared/config/endpoints.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { kafkaPrincipalOf } from '../../shared/config/kafka-security.ts';
import { testKafkaSecurity } from './kafka-security.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createRedis } from '../../shared/redis/create-redis.ts';
import { loadRedisConnection, REDIS_USER } from '../../shared/redis/redis-connection.ts';

// A named server that does not answer is a set-up problem, not a test failure:
// say which one and how to start it.
export async function checkServersAnswer(endpoints: Endpoints, registryAuth: RegistryAuth | undefined): Promise<void> {
  const hint = 'Is the stack running? `npm run stack:status` says; `npm run stack:up` starts it.';
  // As the tests will: the admin user, over TLS where the URL says rediss://.
  const redis = createRedis({
    connection: loadRedisConnection({ ...process.env, REDIS_URL: endpoints.redisUrl }, REDIS_USER.admin),
    logger: createLogger('test', { level: 'silent' }),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    connectTimeout: 3_000,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis at ${endpoints.redisUrl} does not answer (${(error as Error).message}). ${hint}`);
  } finally {
    redis.disconnect();
  }

  const security = testKafkaSecurity();
  const admin = createKafka({
    brokers: endpoints.kafkaBrokers,
    clientId: 'dauntless-test-check',
    logger: createLogger('test', { level: 'silent' }),
    security,
    config: { retry: { retries: 2 } },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new Error(`Kafka at ${endpoints.kafkaBrokers.join(',')} does not answer as ${kafkaPrincipalOf(security)} (${(error as Error).message}). ${hint}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }

  try {
    const headers = registryAuth ? { authorization: basicAuthorization(registryAuth) } : undefined;
    const response = await fetch(`${endpoints.schemaRegistryUrl}/subjects`, { headers, signal: AbortSignal.timeout(5_000) });
    if (response.status === 401) {
      throw new Error(registryAuth ? `HTTP 401: it refused ${registryAuth.username}'s credentials` : 'HTTP 401: it wants credentials, and no DAUNTLESS_REGISTRY_PASSWORD or secrets/dauntless-admin.password was found');
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new Error(`Schema registry at ${endpoints.schemaRegistryUrl} does not answer (${(error as Error).message}). ${hint}`);
  }
}
