// Generates docker-compose.yml from the same declarations as the no-Docker
// stack: server versions and settings from deploy/servers.ts, topics and
// schemas provisioned by deploy/provision.ts from deploy/topics.ts.
// `npm run compose:generate` rewrites the file; a unit test fails when the
// committed file and the declarations disagree.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTAINER_PORTS, IMAGES, REDIS_COMMAND, REGISTRY_CCOMPAT_PATH, kafkaEnvironment, registryEnvironment } from './servers.ts';

export const COMPOSE_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'docker-compose.yml');

type Yaml = string | number | boolean | Yaml[] | { [key: string]: Yaml };

const NODE_IMAGE = 'node:20-bookworm-slim';

/**
 * Endpoints as seen from inside the compose network. This stack stays plaintext (no TLS, no login, no ACLs):
 * it is for Docker users trying Dauntless on their own machine; the no-Docker stack (deploy/local/stack.sh)
 * and CI run Kafka secured. DAUNTLESS_STACK_DIR points away from the mounted repository's .stack/, so the
 * no-Docker stack's endpoints file and secrets, if there, are never read here.
 */
const INTERNAL_ENDPOINTS = {
  DAUNTLESS_STACK_DIR: '/nonexistent/no-local-stack',
  KAFKA_BROKERS: `kafka:${CONTAINER_PORTS.kafkaInternal}`,
  REDIS_URL: `redis://redis:${CONTAINER_PORTS.redis}`,
  SCHEMA_REGISTRY_URL: `http://registry:${CONTAINER_PORTS.registry}${REGISTRY_CCOMPAT_PATH}`,
};

export function composeDocument(): { [key: string]: Yaml } {
  return {
    name: 'dauntless',
    services: {
      kafka: {
        image: IMAGES.kafka,
        environment: {
          ...kafkaEnvironment({ advertisedHost: 'localhost', advertisedPort: CONTAINER_PORTS.kafka, internalHost: 'kafka' }),
          KAFKA_LOG_DIRS: '/var/lib/kafka/data',
        },
        ports: [`127.0.0.1:${CONTAINER_PORTS.kafka}:${CONTAINER_PORTS.kafka}`],
        volumes: ['kafka-data:/var/lib/kafka/data'],
        healthcheck: {
          test: ['CMD-SHELL', `/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:${CONTAINER_PORTS.kafka} >/dev/null 2>&1`],
          interval: '5s',
          timeout: '10s',
          retries: 30,
        },
      },
      redis: {
        image: IMAGES.redis,
        command: REDIS_COMMAND.map((part) => (part === '' ? '""' : part)).join(' '),
        ports: [`127.0.0.1:${CONTAINER_PORTS.redis}:${CONTAINER_PORTS.redis}`],
        volumes: ['redis-data:/data'],
        healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '2s', timeout: '3s', retries: 30 },
      },
      registry: {
        image: IMAGES.registry,
        environment: registryEnvironment('/data'),
        ports: [`127.0.0.1:8081:${CONTAINER_PORTS.registry}`],
        volumes: ['registry-data:/data'],
        healthcheck: {
          test: ['CMD-SHELL', `curl -fsS http://localhost:${CONTAINER_PORTS.registry}${REGISTRY_CCOMPAT_PATH}/subjects >/dev/null`],
          interval: '3s',
          timeout: '5s',
          retries: 40,
        },
      },
      // Creates the declared topics and registers their schemas, then exits.
      provision: {
        image: NODE_IMAGE,
        working_dir: '/app',
        volumes: ['.:/app', 'node-modules:/app/node_modules'],
        environment: INTERNAL_ENDPOINTS,
        command: ['sh', '-c', 'npm ci --no-audit --no-fund && node --import tsx deploy/provision.ts'],
        depends_on: {
          kafka: { condition: 'service_healthy' },
          registry: { condition: 'service_healthy' },
          redis: { condition: 'service_healthy' },
        },
        restart: 'on-failure',
      },
      // The Dauntless services, from this source tree, once provisioning has finished.
      resolver: dauntlessService('resolver', 9464),
      // Reads what the resolver records (graph.events.v1); keeps every borough's top five and sends changes and alerts.
      scorer: dauntlessService('scorer', 9465),
    },
    volumes: { 'kafka-data': {}, 'redis-data': {}, 'registry-data': {}, 'node-modules': {} },
  };
}

/**
 * A service of services/<name>/main.ts; Prometheus scrapes /metrics on `metricsPort`, /healthz answers while it runs
 * and /readyz while its dependencies do. Inside its container it listens on every interface (a published port never
 * reaches a container's loopback), and the port is published on the host's loopback only: metrics stay on the machine
 * unless an operator opens them.
 */
function dauntlessService(name: string, metricsPort: number): Yaml {
  return {
    image: NODE_IMAGE,
    working_dir: '/app',
    volumes: ['.:/app', 'node-modules:/app/node_modules'],
    environment: { ...INTERNAL_ENDPOINTS, DAUNTLESS_METRICS_HOST: '0.0.0.0' },
    command: ['node', '--import', 'tsx', `services/${name}/main.ts`],
    ports: [`127.0.0.1:${metricsPort}:${metricsPort}`],
    depends_on: { provision: { condition: 'service_completed_successfully' } },
    restart: 'unless-stopped',
  };
}

// A small YAML writer for the shapes above: strings are double-quoted (JSON
// strings are valid YAML), so no value is ever misread as a number or bool.
export function toYaml(value: Yaml, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value.map((item) => `\n${pad}-${isScalar(item) ? ' ' + scalar(item) : toYaml(item, indent + 2).replace(/^\n\s*/, ' ')}`).join('');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return ' {}';
    return entries.map(([key, item]) => `\n${pad}${key}:${isScalar(item) ? ' ' + scalar(item) : toYaml(item, indent + 2)}`).join('');
  }
  return ' ' + scalar(value);
}

function isScalar(value: Yaml): value is string | number | boolean {
  return typeof value !== 'object';
}

function scalar(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function composeFileText(): string {
  return (
    '# Generated by `npm run compose:generate` from deploy/servers.ts, deploy/topics.ts and\n' +
    '# deploy/local/versions.env: edit those, not this file. For machines with Docker;\n' +
    '# `npm run stack:up` runs the same servers without it.\n' +
    toYaml(composeDocument()).replace(/^\n/, '') +
    '\n'
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(COMPOSE_FILE, composeFileText());
  process.stdout.write(`wrote ${COMPOSE_FILE}\n`);
}
