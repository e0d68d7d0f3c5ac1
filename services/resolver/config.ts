// The resolver service's settings: read once from the environment at start,
// validated, frozen. A wrong value stops the start with a sentence that says
// what to change.
import { findRegistryAuth, type RegistryAuth } from '../../shared/config/credentials.ts';
import { loadEndpoints, type Endpoints } from '../../shared/config/endpoints.ts';
import { loadKafkaSecurity, type KafkaSecurity } from '../../shared/config/kafka-security.ts';
import { envInteger } from '../../shared/config/env-integer.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { loadRedisConnection, REDIS_USER, type RedisConnection } from '../../shared/redis/redis-connection.ts';
import { loadCompression, type CompressionName } from '../../shared/kafka/load-compression.ts';
import { loadMetricsHost } from '../../shared/metrics/load-metrics-host.ts';
import { loadMetricsPort } from '../../shared/metrics/load-metrics-port.ts';
import { TOPIC } from '../../shared/contracts/topics.ts';
import { DEFAULT_MIRROR_KEYS } from '../../shared/graph/graph-mirror.ts';

export type ResolverConfig = Readonly<{
  endpoints: Endpoints;
  /**
   * Redis as this service reaches it: REDIS_URL, the ACL user DAUNTLESS_REDIS_USER (default "dauntless-resolver" where the
   * local stack wrote its password), DAUNTLESS_REDIS_PASSWORD or _FILE, the CA DAUNTLESS_CA_FILE for rediss://.
   */
  redis: RedisConnection;
  /**
   * The registry credentials of principal dauntless-resolver, which may read schemas and register none
   * (DAUNTLESS_REGISTRY_USER, DAUNTLESS_REGISTRY_PASSWORD or _FILE; default the stack's secret file);
   * undefined where none is set, for a registry that admits anyone.
   */
  registryAuth: RegistryAuth | undefined;
  /**
   * Who it is to Kafka (shared/config/kafka-security.ts): principal dauntless-resolver unless DAUNTLESS_KAFKA_USER
   * says otherwise, its password from DAUNTLESS_KAFKA_PASSWORD(_FILE) or the local stack's secrets.
   */
  kafkaSecurity: KafkaSecurity;
  /** Kafka consumer group (DAUNTLESS_RESOLVER_GROUP, default "dauntless-resolver"). */
  groupId: string;
  /**
   * Input topics (DAUNTLESS_RESOLVER_TOPICS, comma-separated, default
   * "cad.incidents.v1,justice.events.v1"). Each is read by the stage its name
   * says: "cad.incidents" → calls, "justice.events" → justice events.
   */
  topics: readonly string[];
  /** The input topics of calls (IncidentReported): names containing "cad.incidents". */
  incidentTopics: readonly string[];
  /** The input topics of justice events (JusticeEvent): names containing "justice.events". */
  justiceTopics: readonly string[];
  /** Where pre-arrival intelligence goes (DAUNTLESS_INTEL_TOPIC, default "dispatch.intel.v1"). */
  intelTopic: string;
  /**
   * Where each event recorded on the graph is announced for the scorer (DAUNTLESS_GRAPH_EVENTS_TOPIC,
   * default "graph.events.v1"; "off" sends none, for pipelines that run no scorer).
   */
  graphEventsTopic: string | null;
  /**
   * Where the s62 log's collection and combination entries go (DAUNTLESS_AUDIT_TOPIC, default "audit.v1"; "off"
   * writes none, for evaluation pipelines of synthetic data only).
   */
  auditTopic: string | null;
  /** How often the refuge register is read again, in ms (DAUNTLESS_REFUGE_REFRESH_MS, default 5000; 100..600000): a refuge added is withheld from calls within this long. */
  refugeRefreshMs: number;
  /** Identity graph namespace, with a {hash tag} (DAUNTLESS_GRAPH, default "dauntless:{g}"). */
  graphNamespace: string;
  /** Longest a fetch waits for data, in ms (DAUNTLESS_MAX_WAIT_MS, default 20; 1..1000). */
  maxWaitTimeInMs: number;
  /**
   * Input partitions in hand at once, each in order (DAUNTLESS_PARTITION_CONCURRENCY, default 12 = both input topics'
   * partitions; 1..64). Call order can only order the partitions in hand, so it wants them all.
   */
  partitionsConcurrently: number;
  /**
   * Calls started in the order they were made across the partitions in hand, those that could find each other one
   * after the other (DAUNTLESS_CALL_ORDER, "on" (default) or "off": partition order only, as fast, but a backlog
   * drained after a pause may resolve a later call about a person before an earlier one).
   */
  callOrder: boolean;
  /**
   * With call order: the longest a justice-event partition not caught up holds a call back, in ms
   * (DAUNTLESS_JUSTICE_HOLD_MS, default 2000; 0..60000). Past it the call goes out, its intelligence saying it was
   * built without part of the picture (`incomplete`): dispatch needs an answer within seconds, even during a justice backlog.
   */
  justiceHoldMs: number;
  /**
   * A justice-event partition this many messages or more behind its end counts as behind, and the intelligence
   * built meanwhile says so (DAUNTLESS_JUSTICE_BEHIND_MESSAGES, default 100; 1..1000000). One just assigned counts
   * as behind until it is found caught up or read.
   */
  justiceBehindMessages: number;
  /** How soon a crashed member's partitions move to another, in ms (DAUNTLESS_SESSION_TIMEOUT_MS, default 10000; 6000..300000). */
  sessionTimeoutMs: number;
  /** Most time between offset commits, in ms (DAUNTLESS_COMMIT_INTERVAL_MS, default 1000; 0 = after every batch; see stage-consumer.ts). */
  commitIntervalMs: number;
  /**
   * Most block keys in the resolver's in-process mirror of the candidate index
   * (DAUNTLESS_GRAPH_MIRROR_KEYS, default DEFAULT_MIRROR_KEYS: 3000000, about 150 bytes each; 0 = never
   * keep one). The mirror saves a Redis round trip per person while this
   * resolver is the graph's only writer and has been since the graph was
   * empty; past the cap it is dropped and candidates come from Redis.
   */
  graphMirrorKeys: number;
  /** A message processed for longer than this is logged with its position, in ms (DAUNTLESS_MESSAGE_BUDGET_MS, default 1000; 0 = never; see stage-consumer.ts). */
  messageBudgetMs: number;
  /** The codec of what the service writes (DAUNTLESS_KAFKA_COMPRESSION: none, gzip, snappy, lz4, zstd; default none). Every codec is read whatever this says. */
  compression: CompressionName;
  /** Prometheus /metrics and /healthz (DAUNTLESS_METRICS_PORT, default 9464; 0 = off). */
  /** The interface /metrics, /healthz and /readyz listen on (DAUNTLESS_METRICS_HOST, default 127.0.0.1: loopback only; 0.0.0.0 for a scraper elsewhere). */
  metricsHost: string;
  metricsPort: number;
  /** Backoff for a failing dependency, in ms (DAUNTLESS_RETRY_INITIAL_MS 100, DAUNTLESS_RETRY_MAX_MS 10000). */
  retry: Readonly<{ initialMs: number; maxMs: number }>;
}>;

/** The resolver's own Kafka principal (deploy/principals.ts). */
export const RESOLVER_PRINCIPAL = 'dauntless-resolver';

/** Which stage reads a topic, told by its name (test and benchmark topics carry the same words). */
export function inputKindOf(topic: string): 'incident' | 'justice' | undefined {
  if (topic.includes('justice.events')) return 'justice';
  if (topic.includes('cad.incidents')) return 'incident';
  return undefined;
}

/** An on/off setting: unset is `fallback`; anything but "on" or "off" stops the start with a sentence. */
function onOrOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new DauntlessError('CONFIG_INVALID', `${name}=${value} is not "on" or "off": set one of them, or unset it (default ${fallback ? 'on' : 'off'}).`);
}

export function loadResolverConfig(env: NodeJS.ProcessEnv = process.env): ResolverConfig {
  const graphNamespace = env.DAUNTLESS_GRAPH || 'dauntless:{g}';
  if (!/\{[^}]+\}/.test(graphNamespace)) {
    throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_GRAPH=${graphNamespace} has no {hash tag}: write it like "dauntless:{g}" so a graph's keys share a Redis Cluster slot.`);
  }
  const retry = { initialMs: envInteger(env, 'DAUNTLESS_RETRY_INITIAL_MS', 100, 1, 60_000), maxMs: envInteger(env, 'DAUNTLESS_RETRY_MAX_MS', 10_000, 1, 600_000) };
  if (retry.maxMs < retry.initialMs) {
    throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_RETRY_MAX_MS (${retry.maxMs}) is below DAUNTLESS_RETRY_INITIAL_MS (${retry.initialMs}).`);
  }
  const topics = [...new Set((env.DAUNTLESS_RESOLVER_TOPICS || `${TOPIC.incidents},${TOPIC.justiceEvents}`).split(',').map((t) => t.trim()).filter(Boolean))];
  if (topics.length === 0) throw new DauntlessError('CONFIG_INVALID', 'DAUNTLESS_RESOLVER_TOPICS names no topic: give a comma-separated list such as "cad.incidents.v1,justice.events.v1".');
  const unknown = topics.filter((t) => !inputKindOf(t));
  if (unknown.length > 0) {
    throw new DauntlessError(
      'CONFIG_INVALID',
      `DAUNTLESS_RESOLVER_TOPICS names ${unknown.join(', ')}: the resolver reads a topic by what its name says, so each must contain "cad.incidents" (calls) or "justice.events" (justice events).`,
    );
  }
  return Object.freeze({
    endpoints: loadEndpoints(env),
    redis: loadRedisConnection(env, REDIS_USER.resolver),
    registryAuth: findRegistryAuth('dauntless-resolver', env),
    kafkaSecurity: loadKafkaSecurity(env, RESOLVER_PRINCIPAL),
    groupId: env.DAUNTLESS_RESOLVER_GROUP || 'dauntless-resolver',
    topics: Object.freeze(topics),
    incidentTopics: Object.freeze(topics.filter((t) => inputKindOf(t) === 'incident')),
    justiceTopics: Object.freeze(topics.filter((t) => inputKindOf(t) === 'justice')),
    intelTopic: env.DAUNTLESS_INTEL_TOPIC || TOPIC.intelligence,
    graphEventsTopic: env.DAUNTLESS_GRAPH_EVENTS_TOPIC === 'off' ? null : env.DAUNTLESS_GRAPH_EVENTS_TOPIC || TOPIC.graphEvents,
    auditTopic: env.DAUNTLESS_AUDIT_TOPIC === 'off' ? null : env.DAUNTLESS_AUDIT_TOPIC || TOPIC.audit,
    graphNamespace,
    refugeRefreshMs: envInteger(env, 'DAUNTLESS_REFUGE_REFRESH_MS', 5_000, 100, 600_000),
    maxWaitTimeInMs: envInteger(env, 'DAUNTLESS_MAX_WAIT_MS', 20, 1, 1000),
    partitionsConcurrently: envInteger(env, 'DAUNTLESS_PARTITION_CONCURRENCY', 12, 1, 64),
    callOrder: onOrOff(env, 'DAUNTLESS_CALL_ORDER', true),
    justiceHoldMs: envInteger(env, 'DAUNTLESS_JUSTICE_HOLD_MS', 2_000, 0, 60_000),
    justiceBehindMessages: envInteger(env, 'DAUNTLESS_JUSTICE_BEHIND_MESSAGES', 100, 1, 1_000_000),
    sessionTimeoutMs: envInteger(env, 'DAUNTLESS_SESSION_TIMEOUT_MS', 10_000, 6_000, 300_000),
    commitIntervalMs: envInteger(env, 'DAUNTLESS_COMMIT_INTERVAL_MS', 1_000, 0, 60_000),
    retry: Object.freeze(retry),
    graphMirrorKeys: envInteger(env, 'DAUNTLESS_GRAPH_MIRROR_KEYS', DEFAULT_MIRROR_KEYS, 0, 50_000_000),
    messageBudgetMs: envInteger(env, 'DAUNTLESS_MESSAGE_BUDGET_MS', 1_000, 0, 600_000),
    compression: loadCompression(env),
    metricsPort: loadMetricsPort(env),
    metricsHost: loadMetricsHost(env),
  });
}
