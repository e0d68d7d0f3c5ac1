// The integration tests' fallback for machines with a Docker engine and no
// servers named: Kafka, Redis and the registry from their official images,
// with the same settings as docker-compose.yml (deploy/servers.ts). Returns
// undefined at once where no engine answers.
import type { Endpoints } from '../../shared/config/endpoints.ts';
import { CONTAINER_PORTS, IMAGES, REDIS_COMMAND, REGISTRY_CCOMPAT_PATH, kafkaEnvironment, registryEnvironment } from '../../deploy/servers.ts';
import { freePort } from '../../scripts/pipeline/free-port.ts';

export type StartedServers = { endpoints: Endpoints; stop(): Promise<void> };


async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    // The docker CLI alone is not an engine: ask the engine, briefly.
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), 5_000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

export async function startContainers(): Promise<StartedServers | undefined> {
  if (!(await dockerAnswers())) return undefined;
  const { GenericContainer, Wait } = await import('testcontainers');

  // The broker must advertise the host port clients reach it on, so that port
  // is chosen before the container starts.
  const kafkaPort = await freePort();
  const [kafka, redis, registry] = await Promise.all([
    new GenericContainer(IMAGES.kafka)
      .withEnvironment(kafkaEnvironment({ advertisedHost: '127.0.0.1', advertisedPort: kafkaPort, internalHost: 'localhost' }))
      .withExposedPorts({ container: CONTAINER_PORTS.kafka, host: kafkaPort })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(120_000)
      .start(),
    new GenericContainer(IMAGES.redis)
      .withCommand(REDIS_COMMAND)
      .withExposedPorts(CONTAINER_PORTS.redis)
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
      .start(),
    new GenericContainer(IMAGES.registry)
      .withEnvironment(registryEnvironment(undefined))
      .withExposedPorts(CONTAINER_PORTS.registry)
      .withWaitStrategy(Wait.forHttp(`${REGISTRY_CCOMPAT_PATH}/subjects`, CONTAINER_PORTS.registry))
      .withStartupTimeout(120_000)
      .start(),
  ]);

  return {
    endpoints: {
      kafkaBrokers: [`127.0.0.1:${kafkaPort}`],
      redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(CONTAINER_PORTS.redis)}`,
      schemaRegistryUrl: `http://${registry.getHost()}:${registry.getMappedPort(CONTAINER_PORTS.registry)}${REGISTRY_CCOMPAT_PATH}`,
    },
    async stop() {
      await Promise.all([kafka.stop(), redis.stop(), registry.stop()]);
    },
  };
}
