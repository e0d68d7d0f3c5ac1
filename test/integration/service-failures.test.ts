// Failures a whole service shows, with the real resolver process
// (services/resolver/main.ts): a topic whose subject the registry lacks stops
// it at start with a sentence saying what to register; a Redis it cannot
// reach makes /readyz answer 503 naming Redis while /healthz still answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import { startResolverProcess } from '../../scripts/pipeline/resolver-process.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { testKafkaSecurity } from '../helpers/kafka-security.ts';
import { createTestTopics } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { freePort } from '../../scripts/pipeline/free-port.ts';

const endpoints = testEndpoints();
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'service-failures-test', logger, security: testKafkaSecurity() });
const registry = createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const calls = `${uniqueName('failures')}.cad.incidents.v1`;
const intelTopic = `${uniqueName('failures-intel')}.v1`;
const unregisteredIntel = `${uniqueName('failures-unregistered')}.v1`;
let admin: Admin;
let removeTopics: () => Promise<void>;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  removeTopics = await createTestTopics(admin, registry, [
    { topic: calls, partitions: 1, valueSchema: 'incident-reported.avsc' },
    { topic: deadLetterTopicOf(calls), partitions: 1, valueSchema: 'dead-letter.avsc' },
    { topic: intelTopic, partitions: 1, valueSchema: 'pre-arrival-intelligence.avsc' },
    // A topic that exists with no subject registered: a deployment that skipped provisioning.
    { topic: unregisteredIntel, partitions: 1 },
  ]);
});

afterAll(async () => {
  await removeTopics();
  await admin.disconnect();
});

describe('a service', () => {
  it('fails at start, exiting 1, when the registry lacks the subject of a topic it writes, saying what to register', async () => {
    const error = await startResolverProcess({ endpoints, inputTopic: calls, intelTopic: unregisteredIntel, groupId: uniqueName('no-subject'), graphNamespace: `${uniqueName('g')}:{g}` }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('exited (1) before it was running');
    expect(message).toContain(
      `The registry has no subject ${unregisteredIntel}-value: run \`npm run stack:up\` (deploy/provision.ts registers the schemas), or register schemas/pre-arrival-intelligence.avsc under ${unregisteredIntel}-value.`,
    );
    expect(message).toContain('REGISTRY_SUBJECT_MISSING');
  }, 90_000);

  it('waits for a Redis that cannot be reached before consuming, answering /readyz with 503 naming it, while /healthz answers 200', async () => {
    const resolver = await startResolverProcess({
      endpoints,
      inputTopic: calls,
      intelTopic,
      groupId: uniqueName('no-redis'),
      graphNamespace: `${uniqueName('g')}:{g}`,
      env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
      // It takes no partitions it could not process: started is waiting for Redis, not consuming.
      startedWhen: 'Redis is not answering; its durability is checked once it does',
    });
    try {
      const base = resolver.metricsUrl.replace(/\/metrics$/, '');
      const report = await waitFor(
        'readiness to name Redis',
        async () => {
          const response = await fetch(`${base}/readyz`).catch(() => undefined);
          if (!response) return undefined;
          const body = (await response.json()) as { ready: boolean; down: string[]; checks: Record<string, string> };
          return response.status === 503 && body.down.includes('redis') ? body : undefined;
        },
        { timeoutMs: 40_000, intervalMs: 250 },
      );
      expect(report).toMatchObject({ ready: false, checks: { registry: 'ok' } });
      expect(report.checks.redis).toMatch(/^down: /);
      // Not consuming: no partitions taken that it could not process.
      expect(report.down).toContain('kafka');
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('ok\n');
    } finally {
      expect(await resolver.kill('SIGTERM')).toBe(0);
    }
  }, 90_000);
});
