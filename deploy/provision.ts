// Creates the declared topics and registers their value schemas with BACKWARD
// compatibility. Run by `npm run stack:up` and by the docker-compose
// `provision` service, so every stack has the same contracts. Idempotent: an
// existing topic is brought to the declared config (never shrunk), and an
// unchanged schema keeps its id.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs, { type Admin, type ITopicConfig } from 'kafkajs';
import { loadEndpoints } from '../shared/config/endpoints.ts';
import { createKafka } from '../shared/kafka/create-kafka.ts';
import { createLogger, type Logger } from '../shared/logging/create-logger.ts';
import { createRegistryAdmin, type RegistryAdmin } from '../shared/schema-registry/registry-admin.ts';
import { valueSubject } from '../shared/contracts/topics.ts';
import { TOPICS, type TopicDeclaration } from './topics.ts';

// kafkajs is CommonJS: its enums are reachable only through the default export under ESM.
const { ConfigResourceTypes } = kafkajs;

export const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');

export function readSchema(file: string, dir = SCHEMAS_DIR): object {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as object;
}

export type ExistingTopic = { partitions: number; config: Record<string, string> };

export type TopicPlan = {
  create: ITopicConfig[];
  /** Topics whose declared configs differ from the broker's: set to the declared values. */
  alter: { topic: string; config: Record<string, string> }[];
  /** Topics with fewer partitions than declared (partitions are only ever added). */
  grow: { topic: string; count: number }[];
  /** Topics with more partitions than declared: left alone, reported. */
  larger: { topic: string; partitions: number; declared: number }[];
};

/** What to change so the broker holds exactly the declared topics and configs. Pure. */
export function planTopics(
  declared: readonly TopicDeclaration[],
  existing: ReadonlyMap<string, ExistingTopic>,
  replicationFactor: number,
): TopicPlan {
  const plan: TopicPlan = { create: [], alter: [], grow: [], larger: [] };
  for (const topic of declared) {
    const found = existing.get(topic.name);
    if (!found) {
      plan.create.push({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor,
        configEntries: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
      });
      continue;
    }
    const drift = Object.fromEntries(Object.entries(topic.config).filter(([name, value]) => found.config[name] !== value));
    if (Object.keys(drift).length > 0) plan.alter.push({ topic: topic.name, config: drift });
    if (found.partitions < topic.partitions) plan.grow.push({ topic: topic.name, count: topic.partitions });
    if (found.partitions > topic.partitions) plan.larger.push({ topic: topic.name, partitions: found.partitions, declared: topic.partitions });
  }
  return plan;
}

async function describeExisting(admin: Admin, names: string[]): Promise<Map<string, ExistingTopic>> {
  const present = new Set(await admin.listTopics());
  const wanted = names.filter((name) => present.has(name));
  const existing = new Map<string, ExistingTopic>();
  if (wanted.length === 0) return existing;
  const metadata = await admin.fetchTopicMetadata({ topics: wanted });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: wanted.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  for (const topic of metadata.topics) {
    const resource = configs.resources.find((r) => r.resourceName === topic.name);
    const config = Object.fromEntries((resource?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
    existing.set(topic.name, { partitions: topic.partitions.length, config });
  }
  return existing;
}

export async function provisionTopics({ admin, topics = TOPICS, replicationFactor = 1, logger }: {
  admin: Admin;
  topics?: readonly TopicDeclaration[];
  replicationFactor?: number;
  logger: Logger;
}): Promise<TopicPlan> {
  const existing = await describeExisting(admin, topics.map((t) => t.name));
  const plan = planTopics(topics, existing, replicationFactor);
  if (plan.create.length > 0) {
    await admin.createTopics({ topics: plan.create, waitForLeaders: true });
  }
  for (const { topic, config } of plan.alter) {
    // kafkajs alterConfigs replaces the whole set: send every declared value for the topic.
    const declared = topics.find((t) => t.name === topic)!.config;
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries({ ...declared, ...config }).map(([name, value]) => ({ name, value })) }],
    });
  }
  if (plan.grow.length > 0) await admin.createPartitions({ topicPartitions: plan.grow });
  for (const { topic, partitions, declared } of plan.larger) {
    logger.warn({ topic, partitions, declared }, 'topic has more partitions than declared; partitions are never removed');
  }
  return plan;
}

export async function provisionSchemas({ registry, topics = TOPICS, schemasDir = SCHEMAS_DIR }: {
  registry: RegistryAdmin;
  topics?: readonly TopicDeclaration[];
  schemasDir?: string;
}): Promise<{ subject: string; id: number }[]> {
  const registered: { subject: string; id: number }[] = [];
  for (const topic of topics) {
    const subject = valueSubject(topic.name);
    // Compatibility first, so even the first version is governed by it.
    await registry.setCompatibility(subject, 'BACKWARD');
    const id = await registry.register(subject, readSchema(topic.valueSchema, schemasDir));
    registered.push({ subject, id });
  }
  return registered;
}

async function main(): Promise<void> {
  const logger = createLogger('provision');
  const endpoints = loadEndpoints();
  const replicationFactor = Number(process.env.DAUNTLESS_REPLICATION_FACTOR ?? '1');
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'dauntless-provision', logger });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const plan = await provisionTopics({ admin, replicationFactor, logger });
    const schemas = await provisionSchemas({ registry: createRegistryAdmin({ url: endpoints.schemaRegistryUrl }) });
    const created = plan.create.map((t) => t.topic);
    process.stdout.write(
      `  topics: ${TOPICS.length} declared` +
        (created.length ? `, created ${created.join(', ')}` : ', all present') +
        (plan.alter.length ? `; configs set on ${plan.alter.map((a) => a.topic).join(', ')}` : '') +
        (plan.grow.length ? `; partitions added to ${plan.grow.map((g) => g.topic).join(', ')}` : '') +
        '\n' +
        `  schemas: ${schemas.map((s) => `${s.subject}=${s.id}`).join(', ')} (BACKWARD)\n`,
    );
  } finally {
    await admin.disconnect();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    process.stderr.write(`provision: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
