// Topics of a test's own, with their value schemas registered, and a reader
// that collects what lands on a topic, decoded: the plumbing the Kafka
// integration tests share.
import type { Admin, Kafka } from 'kafkajs';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { RegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { readSchema } from '../../deploy/provision.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { uniqueName } from './unique.ts';

/** `config`: topic-level configs (Kafka names and string values), e.g. a declared max.message.bytes. */
export type TestTopic = { topic: string; partitions: number; valueSchema?: string; config?: Record<string, string> };

/** Creates the topics and registers their value schemas (BACKWARD); returns what removes them again. */
export async function createTestTopics(admin: Admin, registry: RegistryAdmin, topics: TestTopic[]): Promise<() => Promise<void>> {
  await admin.createTopics({
    topics: topics.map((t) => ({ topic: t.topic, numPartitions: t.partitions, configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })) })),
    waitForLeaders: true,
  });
  for (const t of topics.filter((t) => t.valueSchema)) {
    await registry.setCompatibility(valueSubject(t.topic), 'BACKWARD');
    await registry.register(valueSubject(t.topic), readSchema(t.valueSchema!));
  }
  return async () => {
    await admin.deleteTopics({ topics: topics.map((t) => t.topic) }).catch(() => undefined);
    for (const t of topics.filter((t) => t.valueSchema)) await registry.deleteSubject(valueSubject(t.topic)).catch(() => undefined);
  };
}

/** Reads a topic from the beginning in a group of its own, decoding each value with the registry, key alongside. */
export async function collectDecoded(kafka: Kafka, codec: AvroCodec, topic: string): Promise<{ values: any[]; stop(): Promise<void> }> {
  const values: any[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 50 });
  await reader.connect();
  await reader.subscribe({ topic, fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void values.push({ key: message.key?.toString(), ...(await codec.decode(message.value!)).value }) });
  return { values, stop: () => reader.disconnect() };
}
