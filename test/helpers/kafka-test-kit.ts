// What a Kafka test file needs, set up once: the real servers' endpoints, a
// quiet logger, a Kafka client, the registry and a codec, an admin and a
// producer connected before the file's tests, and topics of the file's own
// (their schemas registered) created first and removed last. Hooks run in
// stack order, so the file's own afterAll (stopping a resolver, say) runs
// before these topics go.
import { afterAll, beforeAll } from 'vitest';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { testKafkaSecurity } from './kafka-security.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { testEndpoints, testRegistryAuth } from './endpoints.ts';
import { createTestTopics, type TestTopic } from './topics.ts';

/** `topics` is read when the file's tests start, so it may name topics declared further down the file. */
export function kafkaTestKit(clientId: string, topics: () => TestTopic[]) {
  const endpoints = testEndpoints();
  const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
  // The admin: it creates and deletes the file's topics (kafka-security.ts).
  const security = testKafkaSecurity();
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId, logger, security });
  const registry = createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
  const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
  const admin = kafka.admin();
  const producer = kafka.producer();
  let removeTopics: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    removeTopics = await createTestTopics(admin, registry, topics());
  });
  afterAll(async () => {
    await removeTopics?.();
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });
  return { endpoints, security, logger, kafka, registry, codec, admin, producer };
}
