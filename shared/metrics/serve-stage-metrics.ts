// The metrics and probes of a stage service (resolver, scorer): /metrics,
// /healthz, and /readyz ready once its consumer has joined its group, Redis
// answers and the registry answers. None when its port is 0.
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/create-logger.ts';
import { kafkaConsumerCheck, redisCheck, registryCheck } from './readiness.ts';
import { serveMetrics, type MetricsServer } from './serve-metrics.ts';

export async function serveStageMetrics({
  port,
  host,
  registry,
  isJoined,
  redis,
  schemaRegistry,
  logger,
}: {
  port: number;
  host?: string;
  registry: Registry;
  isJoined: () => boolean;
  redis: { ping(): Promise<string> };
  schemaRegistry: { subjects(): Promise<string[]> };
  logger: Logger;
}): Promise<MetricsServer | undefined> {
  if (port === 0) return undefined;
  return serveMetrics({ registry, port, ...(host === undefined ? {} : { host }), readiness: [kafkaConsumerCheck(isJoined), redisCheck(redis), registryCheck(schemaRegistry)], logger });
}
