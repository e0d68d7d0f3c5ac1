// The scorer service's settings: read once from the environment at start,
// validated, frozen. A wrong value stops the start with a sentence that says
// what to change.
import { findRegistryAuth, type RegistryAuth } from '../../shared/config/credentials.ts';
import { loadEndpoints, type Endpoints } from '../../shared/config/endpoints.ts';
import { loadKafkaSecurity, type KafkaSecurity } from '../../shared/config/kafka-security.ts';
import { envInteger } from '../../shared/config/env-integer.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { loadRedisConnection, REDIS_USER, type RedisConnection } from '../../shared/redis/redis-connection.ts';
import type { HarmConfig } from '../../shared/harm/harm-config.ts';
import { loadHarmConfig } from '../../shared/harm/load-harm-config.ts';
import { loadNamespaces } from '../../shared/boards/namespaces.ts';
import { loadCompression, type CompressionName } from '../../shared/kafka/load-compression.ts';
import { loadMetricsHost } from '../../shared/metrics/load-metrics-host.ts';
import { loadMetricsPort } from '../../shared/metrics/load-metrics-port.ts';
import { TOPIC } from '../../shared/contracts/topics.ts';

/** The scorer's own Kafka principal (deploy/principals.ts). */
export const SCORER_PRINCIPAL = 'dauntless-scorer';

export type ScorerConfig = Readonly<{
  endpoints: Endpoints;
  /**
   * Redis as this service reaches it: REDIS_URL, the ACL user DAUNTLESS_REDIS_USER (default "dauntless-scorer" where the
   * local stack wrote its password), DAUNTLESS_REDIS_PASSWORD or _FILE, the CA DAUNTLESS_CA_FILE for rediss://.
   */
  redis: RedisConnection;
  /**
   * The registry credentials of principal dauntless-scorer, which may read schemas and register none
   * (DAUNTLESS_REGISTRY_USER, DAUNTLESS_REGISTRY_PASSWORD or _FILE; default the stack's secret file);
   * undefined where none is set, for a registry that admits anyone.
   */
  registryAuth: RegistryAuth | undefined;
  /** Who it is to Kafka: principal dauntless-scorer unless DAUNTLESS_KAFKA_USER says otherwise (shared/config/kafka-security.ts). */
  kafkaSecurity: KafkaSecurity;
  /** Kafka consumer group (DAUNTLESS_SCORER_GROUP, default "dauntless-scorer"). */
  groupId: string;
  /** What the resolver recorded on the graph (DAUNTLESS_SCORER_TOPIC, default "graph.events.v1"). */
  inputTopic: string;
  /** Where a borough's new top five goes (DAUNTLESS_TOPFIVE_TOPIC, default "dauntless.topfive.v1"). */
  topFiveTopic: string;
  /** Where borough alerts go (DAUNTLESS_ALERTS_TOPIC, default "dauntless.alerts.v1"). */
  alertsTopic: string;
  /** The identity graph read (DAUNTLESS_GRAPH, default "dauntless:{g}"): the resolver's. */
  graphNamespace: string;
  /** The scorer's own keys, with a {hash tag} (DAUNTLESS_SCORER_STATE, default the graph's namespace with "-top5" in its tag). */
  stateNamespace: string;
  /** The harm score's configuration: the defaults of docs/HARM-SCORE.md, with overrides from the JSON file DAUNTLESS_HARM_CONFIG names. */
  harm: HarmConfig;
  /** How often whoever is due is scored again (a record leaving the window), in ms (DAUNTLESS_SCORER_TICK_MS, default 60000; 100..3600000). */
  tickMs: number;
  /** Longest a fetch waits for data, in ms (DAUNTLESS_MAX_WAIT_MS, default 100; 1..5000). */
  maxWaitTimeInMs: number;
  /** How soon a crashed member's partitions move to another, in ms (DAUNTLESS_SESSION_TIMEOUT_MS, default 10000; 6000..300000). */
  sessionTimeoutMs: number;
  /** The codec of what the service writes (DAUNTLESS_KAFKA_COMPRESSION: none, gzip, snappy, lz4, zstd; default none). Every codec is read whatever this says. */
  compression: CompressionName;
  /** Prometheus /metrics and /healthz (DAUNTLESS_SCORER_METRICS_PORT, default 9465, beside the resolver's 9464; 0 = off). */
  /** The interface /metrics, /healthz and /readyz listen on (DAUNTLESS_METRICS_HOST, default 127.0.0.1: loopback only; 0.0.0.0 for a scraper elsewhere). */
  metricsHost: string;
  metricsPort: number;
  /** Backoff for a failing dependency, in ms (DAUNTLESS_RETRY_INITIAL_MS 100, DAUNTLESS_RETRY_MAX_MS 10000). */
  retry: Readonly<{ initialMs: number; maxMs: number }>;
}>;

export const DEFAULT_SCORER_METRICS_PORT = 9465;

export function loadScorerConfig(env: NodeJS.ProcessEnv = process.env): ScorerConfig {
  const retry = { initialMs: envInteger(env, 'DAUNTLESS_RETRY_INITIAL_MS', 100, 1, 60_000), maxMs: envInteger(env, 'DAUNTLESS_RETRY_MAX_MS', 10_000, 1, 600_000) };
  if (retry.maxMs < retry.initialMs) {
    throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_RETRY_MAX_MS (${retry.maxMs}) is below DAUNTLESS_RETRY_INITIAL_MS (${retry.initialMs}).`);
  }
  const topics = {
    inputTopic: env.DAUNTLESS_SCORER_TOPIC || TOPIC.graphEvents,
    topFiveTopic: env.DAUNTLESS_TOPFIVE_TOPIC || TOPIC.topFive,
    alertsTopic: env.DAUNTLESS_ALERTS_TOPIC || TOPIC.alerts,
  };
  if (topics.topFiveTopic === topics.alertsTopic) {
    throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_TOPFIVE_TOPIC and DAUNTLESS_ALERTS_TOPIC are both ${topics.alertsTopic}: rankings and alerts have different schemas, so they need topics of their own.`);
  }
  return Object.freeze({
    endpoints: loadEndpoints(env),
    redis: loadRedisConnection(env, REDIS_USER.scorer),
    registryAuth: findRegistryAuth('dauntless-scorer', env),
    kafkaSecurity: loadKafkaSecurity(env, SCORER_PRINCIPAL),
    groupId: env.DAUNTLESS_SCORER_GROUP || 'dauntless-scorer',
    ...topics,
    ...loadNamespaces(env),
    harm: loadHarmConfig(env),
    tickMs: envInteger(env, 'DAUNTLESS_SCORER_TICK_MS', 60_000, 100, 3_600_000),
    maxWaitTimeInMs: envInteger(env, 'DAUNTLESS_MAX_WAIT_MS', 100, 1, 5_000),
    sessionTimeoutMs: envInteger(env, 'DAUNTLESS_SESSION_TIMEOUT_MS', 10_000, 6_000, 300_000),
    compression: loadCompression(env),
    // Its own variable, so a scorer beside a resolver on one machine takes another port.
    metricsPort: loadMetricsPort({ DAUNTLESS_METRICS_PORT: env.DAUNTLESS_SCORER_METRICS_PORT ?? String(DEFAULT_SCORER_METRICS_PORT) }),
    metricsHost: loadMetricsHost(env),
    retry: Object.freeze(retry),
  });
}
