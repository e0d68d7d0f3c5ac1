// Creates the declared topics, makes the broker's ACLs those declared in
// deploy/principals.ts (where the broker authenticates), and registers the
// value schemas with BACKWARD compatibility. Run by `npm run stack:up` and by the docker-compose
// `provision` service, so every stack has the same contracts. Idempotent: an
// existing topic is brought to the declared config (never shrunk), and an
// unchanged schema keeps its id.
import { loadRegistryAuth } from '../shared/config/credentials.ts';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs, { type Admin, type ITopicConfig } from 'kafkajs';
import { loadEndpoints } from '../shared/config/endpoints.ts';
import { loadKafkaSecurity, withoutKafkaLogin } from '../shared/config/kafka-security.ts';
import { createKafka } from '../shared/kafka/create-kafka.ts';
import { createLogger, type Logger } from '../shared/logging/create-logger.ts';
import { createRegistryAdmin, type RegistryAdmin } from '../shared/schema-registry/registry-admin.ts';
import { valueSubject } from '../shared/contracts/topics.ts';
import { TOPICS, type TopicDeclaration } from './topics.ts';
import { ADMIN_PRINCIPAL, provisionAcls } from './principals.ts';

// kafkajs is CommonJS: its enums are reachable only through the default export under ESM.
const { ConfigResourceTypes } = kafkajs;

export const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');

export function readSchema(file: string, dir = SCHEMAS_DIR): object {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as object;
}

export type ExistingTopic = { partitions: number; replicationFactor: number; config: Record<string, string> };

/** A topic given less replication than declared, because the cluster has fewer brokers. */
export type ReplicationException = {
  topic: string;
  declared: { replicationFactor: number; minInsyncReplicas: number };
  applied: { replicationFactor: number; minInsyncReplicas: number };
};

export type TopicPlan = {
  create: ITopicConfig[];
  /** Topics whose declared configs differ from the broker's: set to the declared values. */
  alter: { topic: string; config: Record<string, string> }[];
  /** Topics with fewer partitions than declared (partitions are only ever added). */
  grow: { topic: string; count: number }[];
  /** Topics with more partitions than declared: left alone, reported. */
  larger: { topic: string; partitions: number; declared: number }[];
  /** Topics declared with more replication than the cluster's brokers can hold: given what it can (the local single broker). */
  exceptions: ReplicationException[];
  /** Existing topics with fewer copies than the cluster can hold: reported (more copies need a partition reassignment, not a config). */
  underReplicated: { topic: string; replicationFactor: number; wanted: number }[];
};

/**
 * The replication factor and configs a declared topic gets on a cluster of
 * `brokers` brokers: as declared, or, where the cluster has fewer brokers
 * than copies declared, one copy per broker and `min.insync.replicas` no
 * more than that (more would refuse every acks=all write). Pure.
 */
export function topicSettingsFor(topic: TopicDeclaration, brokers: number): { replicationFactor: number; config: Record<string, string>; exception?: ReplicationException } {
  const replicationFactor = Math.max(1, Math.min(topic.replicationFactor, brokers));
  const declaredMinInsync = Number(topic.config['min.insync.replicas'] ?? '1');
  const minInsyncReplicas = Math.min(declaredMinInsync, replicationFactor);
  const config = topic.config['min.insync.replicas'] === undefined ? topic.config : { ...topic.config, 'min.insync.replicas': String(minInsyncReplicas) };
  if (replicationFactor === topic.replicationFactor && minInsyncReplicas === declaredMinInsync) return { replicationFactor, config };
  return {
    replicationFactor,
    config,
    exception: {
      topic: topic.name,
      declared: { replicationFactor: topic.replicationFactor, minInsyncReplicas: declaredMinInsync },
      applied: { replicationFactor, minInsyncReplicas },
    },
  };
}

/** What to change so a cluster of `brokers` brokers holds exactly the declared topics and configs. Pure. */
export function planTopics(
  declared: readonly TopicDeclaration[],
  existing: ReadonlyMap<string, ExistingTopic>,
  brokers: number,
): TopicPlan {
  const plan: TopicPlan = { create: [], alter: [], grow: [], larger: [], exceptions: [], underReplicated: [] };
  for (const topic of declared) {
    const { replicationFactor, config, exception } = topicSettingsFor(topic, brokers);
    if (exception) plan.exceptions.push(exception);
    const found = existing.get(topic.name);
    if (!found) {
      plan.create.push({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor,
        configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
      });
      continue;
    }
    const drift = Object.fromEntries(Object.entries(config).filter(([name, value]) => found.config[name] !== value));
    if (Object.keys(drift).length > 0) plan.alter.push({ topic: topic.name, config: drift });
    if (found.partitions < topic.partitions) plan.grow.push({ topic: topic.name, count: topic.partitions });
    if (found.partitions > topic.partitions) plan.larger.push({ topic: topic.name, partitions: found.partitions, declared: topic.partitions });
    if (found.replicationFactor < replicationFactor) plan.underReplicated.push({ topic: topic.name, replicationFactor: found.replicationFactor, wanted: replicationFactor });
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
    // The fewest copies any partition has is what the topic can lose.
    const replicationFactor = Math.min(...topic.partitions.map((p) => p.replicas.length));
    existing.set(topic.name, { partitions: topic.partitions.length, replicationFactor, config });
  }
  return existing;
}

/** The brokers of the cluster the admin client talks to. */
export async function countBrokers(admin: Pick<Admin, 'describeCluster'>): Promise<number> {
  return (await admin.describeCluster()).brokers.length;
}

/** What the replication exception is, in a sentence; undefined when every topic has its declared replication. */
export function describeReplicationExceptions(brokers: number, exceptions: readonly ReplicationException[]): string | undefined {
  if (exceptions.length === 0) return undefined;
  const shape = (e: ReplicationException) =>
    `replication factor ${e.applied.replicationFactor} and min.insync.replicas ${e.applied.minInsyncReplicas} (declared ${e.declared.replicationFactor} and ${e.declared.minInsyncReplicas})`;
  const shapes = [...new Set(exceptions.map(shape))].join('; ');
  const which = exceptions.length === 1 ? `${exceptions[0]!.topic} gets` : `${exceptions.length} topics get`;
  const needed = Math.max(...exceptions.map((e) => e.declared.replicationFactor));
  return `the cluster has ${brokers} broker${brokers === 1 ? '' : 's'}, so ${which} ${shapes}: the exception for a local stack, where a lost broker loses acknowledged messages; a real cluster needs at least ${needed} brokers.`;
}

export async function provisionTopics({ admin, topics = TOPICS, brokers, logger }: {
  admin: Admin;
  topics?: readonly TopicDeclaration[];
  /** Brokers of the cluster; asked of the cluster when not given. */
  brokers?: number;
  logger: Logger;
}): Promise<TopicPlan & { brokers: number }> {
  const clusterBrokers = brokers ?? (await countBrokers(admin));
  const existing = await describeExisting(admin, topics.map((t) => t.name));
  const plan = planTopics(topics, existing, clusterBrokers);
  const exception = describeReplicationExceptions(clusterBrokers, plan.exceptions);
  if (exception) logger.warn({ brokers: clusterBrokers, topics: plan.exceptions.map((e) => e.topic) }, exception);
  if (plan.create.length > 0) {
    await admin.createTopics({ topics: plan.create, waitForLeaders: true });
  }
  for (const { topic } of plan.alter) {
    // kafkajs alterConfigs replaces the whole set: send every value the topic is to have.
    const { config } = topicSettingsFor(topics.find((t) => t.name === topic)!, clusterBrokers);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }],
    });
  }
  if (plan.grow.length > 0) await admin.createPartitions({ topicPartitions: plan.grow });
  for (const { topic, partitions, declared } of plan.larger) {
    logger.warn({ topic, partitions, declared }, 'topic has more partitions than declared; partitions are never removed');
  }
  for (const { topic, replicationFactor, wanted } of plan.underReplicated) {
    logger.warn({ topic, replicationFactor, wanted }, 'topic has fewer copies than the cluster can hold; add them with a partition reassignment (kafka-reassign-partitions), which provisioning does not do');
  }
  return { ...plan, brokers: clusterBrokers };
}

export async function provisionSchemas({ registry, topics = TOPICS, schemasDir = SCHEMAS_DIR }: {
  registry: RegistryAdmin;
  topics?: readonly TopicDeclaration[];
  schemasDir?: string;
}): Promise<{ subject: string; id: number }[]> {
  const registered: { subject: string; id: number }[] = [];
  for (const topic of topics) {
    if (topic.valueSchema === null) continue;
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
  // Always the admin: provisioning creates topics and ACLs, which no service principal may.
  const security = loadKafkaSecurity(withoutKafkaLogin(process.env), ADMIN_PRINCIPAL);
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'dauntless-provision', logger, security });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const plan = await provisionTopics({ admin, logger });
    const schemas = await provisionSchemas({ registry: createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: loadRegistryAuth('dauntless-admin') }) });
    // A broker that asks for no login (docker-compose.yml) has no authorizer: ACLs would be refused.
    const acls = security.sasl ? await provisionAcls({ admin }) : undefined;
    const created = plan.create.map((t) => t.topic);
    process.stdout.write(
      `  topics: ${TOPICS.length} declared` +
        (created.length ? `, created ${created.join(', ')}` : ', all present') +
        (plan.alter.length ? `; configs set on ${plan.alter.map((a) => a.topic).join(', ')}` : '') +
        (plan.grow.length ? `; partitions added to ${plan.grow.map((g) => g.topic).join(', ')}` : '') +
        '\n' +
        (acls ? `  acls: ${acls.created} created, ${acls.removed} no longer declared removed (deploy/principals.ts)\n` : '  acls: none (the broker asks for no login)\n') +
        `  replication: ${describeReplicationExceptions(plan.brokers, plan.exceptions) ?? `as declared (${plan.brokers} brokers)`}\n` +
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
