// The three servers every Dauntless stack runs, as container settings. One
// source for docker-compose.yml (deploy/compose.ts) and for the testcontainers
// fallback of the integration tests (test/helpers/containers.ts); versions come
// from deploy/local/versions.env, which the no-Docker stack uses too.
// These containers run Kafka PLAINTEXT, with no login and no ACLs, for Docker
// users on their own machine: clients reach them with no KAFKA_SASL_MECHANISM
// and no DAUNTLESS_CA_FILE (shared/config/kafka-security.ts). The no-Docker
// stack and CI run Kafka secured (deploy/local/stack.sh); the security tests
// skip themselves on a broker that asks for no login.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnvFile } from '../shared/config/endpoints.ts';

const versions = parseEnvFile(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'local', 'versions.env'), 'utf8'));

function version(name: string): string {
  const value = versions[name];
  if (!value) throw new Error(`deploy/local/versions.env has no ${name}.`);
  return value;
}

export const KAFKA_VERSION = version('KAFKA_VERSION');
export const APICURIO_VERSION = version('APICURIO_VERSION');
export const REDIS_VERSION = version('REDIS_VERSION');

export const IMAGES = Object.freeze({
  kafka: `apache/kafka:${KAFKA_VERSION}`,
  redis: `redis:${REDIS_VERSION}`,
  registry: `apicurio/apicurio-registry:${APICURIO_VERSION}`,
});

/** Container ports inside each image. */
export const CONTAINER_PORTS = Object.freeze({ kafka: 9092, kafkaInternal: 29092, kafkaController: 9093, redis: 6379, registry: 8080 });

/** The registry's Confluent-compatible API path, appended to its base URL. */
export const REGISTRY_CCOMPAT_PATH = '/apis/ccompat/v7';

/**
 * Single-node KRaft broker settings, the same as deploy/local/kafka/server.properties.template:
 * auto-creation off, one-node internal topics, no initial rebalance delay.
 * `advertisedHost:advertisedPort` is what clients outside the container use;
 * `internalHost` what other containers use.
 */
export function kafkaEnvironment({ advertisedHost, advertisedPort, internalHost }: { advertisedHost: string; advertisedPort: number; internalHost: string }): Record<string, string> {
  return {
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_CONTROLLER_QUORUM_VOTERS: `1@localhost:${CONTAINER_PORTS.kafkaController}`,
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_LISTENERS: `EXTERNAL://:${CONTAINER_PORTS.kafka},INTERNAL://:${CONTAINER_PORTS.kafkaInternal},CONTROLLER://:${CONTAINER_PORTS.kafkaController}`,
    KAFKA_ADVERTISED_LISTENERS: `EXTERNAL://${advertisedHost}:${advertisedPort},INTERNAL://${internalHost}:${CONTAINER_PORTS.kafkaInternal}`,
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT,INTERNAL:PLAINTEXT',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  };
}

/**
 * Redis as every stack runs it: the append-only file fsynced before each
 * write is acknowledged (`appendfsync always`), because the services commit
 * Kafka offsets once Redis acknowledges their graph writes; `everysec` would
 * let a host crash lose up to two seconds of writes whose offsets are
 * committed (docs/ARCHITECTURE.md, Delivery, has the measured cost). Nothing
 * evicted (`noeviction`: a full Redis refuses writes and the services retry).
 * The services refuse any weaker Redis (shared/redis/check-redis-durability.ts).
 * The file is rewritten when it has doubled and is at least 1 GB (Redis's
 * default floor, 64 MB, is for small caches): the graph grows by about 9 KB a
 * call, so at 200 calls/s the default meant a rewrite every half minute, each
 * a forked child that takes a core for seconds, felt by every call meanwhile
 * on a machine of two cores.
 * A hash keeps its compact form (a listpack) with values up to 8 KB, not
 * Redis's default 64 bytes: a person record's hash holds a dozen fields of
 * JSON of a few hundred bytes each, and as a hashtable it costs 10% more
 * memory a record (bench:memory: 6,601 → 5,938 bytes a record); reading a
 * field of a dozen is a short scan either way.
 */
export const REDIS_COMMAND = ['redis-server', '--appendonly', 'yes', '--appendfsync', 'always', '--no-appendfsync-on-rewrite', 'no', '--maxmemory-policy', 'noeviction', '--auto-aof-rewrite-min-size', '1gb', '--hash-max-listpack-value', '8192', '--save', ''];

/** Apicurio with SQL storage in an H2 file (schema ids survive a restart; WRITE_DELAY=0 as locally). */
export function registryEnvironment(dataDir: string | undefined): Record<string, string> {
  const env: Record<string, string> = { QUARKUS_HTTP_ACCESS_LOG_ENABLED: 'false' };
  if (dataDir) {
    env.APICURIO_STORAGE_KIND = 'sql';
    env.APICURIO_STORAGE_SQL_KIND = 'h2';
    env.APICURIO_DATASOURCE_URL = `jdbc:h2:file:${dataDir}/registry;WRITE_DELAY=0`;
  }
  return env;
}
