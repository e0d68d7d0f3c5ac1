// Finds the real servers the integration tests talk to, once per run:
//   1. servers named by the environment (KAFKA_BROKERS, REDIS_URL,
//      SCHEMA_REGISTRY_URL), or by the endpoints file `npm run stack:up` writes;
//   2. else, where a Docker engine answers, testcontainers starts them;
//   3. else the run stops at once with a sentence saying what to do.
// It then checks each one answers, and provisions the declared topics, ACLs
// and schemas, so a test starts from the same contracts as production. The
// registry is reached as provisioning's principal, dauntless-admin (its
// secret from DAUNTLESS_REGISTRY_PASSWORD or the stack's secrets folder). On
// a broker that authenticates (the local stack, CI) it logs in as the admin
// and lets the service principals use the tests' own topics and groups (all
// named `test.`), never more on the real ones, so a resolver a test starts
// runs as dauntless-resolver under the production ACLs.
import type { TestProject } from 'vitest/node';
import { findRegistryAuth, type RegistryAuth } from '../../shared/config/credentials.ts';
import { findEndpoints, type Endpoints } from '../../shared/config/endpoints.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { provisionSchemas, provisionTopics } from '../../deploy/provision.ts';
import { grantRun, provisionAcls, revokeRun } from '../../deploy/principals.ts';
import { TEST_PREFIX, testKafkaSecurity } from './kafka-security.ts';
import { startContainers, type StartedServers } from './containers.ts';
import { checkServersAnswer } from './servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
    registryAuth: RegistryAuth | undefined;
  }
}

let containers: StartedServers | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'warn' });
  const found = findEndpoints();
  let endpoints: Endpoints;
  let registryAuth: RegistryAuth | undefined;
  if (found.KAFKA_BROKERS && found.REDIS_URL && found.SCHEMA_REGISTRY_URL) {
    endpoints = {
      kafkaBrokers: found.KAFKA_BROKERS.split(','),
      redisUrl: found.REDIS_URL,
      schemaRegistryUrl: found.SCHEMA_REGISTRY_URL.replace(/\/+$/, ''),
    };
    registryAuth = findRegistryAuth('dauntless-admin');
  } else {
    containers = await startContainers();
    if (!containers) {
      throw new Error(
        'Integration tests need real Kafka, Redis and a schema registry, and none is named and no Docker engine answers. ' +
          'Run `npm run stack:up` (it starts them locally and writes .stack/endpoints.env), ' +
          'or set KAFKA_BROKERS, REDIS_URL and SCHEMA_REGISTRY_URL to servers you run.',
      );
    }
    endpoints = containers.endpoints;
  }

  await checkServersAnswer(endpoints, registryAuth);

  const security = testKafkaSecurity();
  const admin = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'dauntless-test-setup', logger, security }).admin();
  await admin.connect();
  try {
    await provisionTopics({ admin, logger });
    if (security.sasl) {
      await provisionAcls({ admin, keepPrefixes: [TEST_PREFIX] });
      await grantRun(admin, TEST_PREFIX);
    }
  } finally {
    await admin.disconnect();
  }
  await provisionSchemas({ registry: createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: registryAuth }) });

  project.provide('endpoints', endpoints);
  project.provide('registryAuth', registryAuth);
  return async () => {
    if (security.sasl) {
      const cleanup = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'dauntless-test-teardown', logger, security }).admin();
      await cleanup.connect();
      await revokeRun(cleanup, TEST_PREFIX).catch(() => undefined);
      await cleanup.disconnect();
    }
    await containers?.stop();
  };
}
