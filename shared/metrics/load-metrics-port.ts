// Where a service serves its Prometheus metrics: DAUNTLESS_METRICS_PORT, a TCP
// port (default 9464, the port OpenTelemetry's Prometheus exporter uses); 0
// turns the endpoint off. Read once at start-up with the service's config.
import { DauntlessError } from '../errors/dauntless-error.ts';

export const DEFAULT_METRICS_PORT = 9464;

/** The metrics port from DAUNTLESS_METRICS_PORT: 1..65535, or 0 for no metrics endpoint. */
export function loadMetricsPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DAUNTLESS_METRICS_PORT?.trim();
  if (raw === undefined || raw === '') return DEFAULT_METRICS_PORT;
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw new DauntlessError(
      'CONFIG_INVALID',
      `DAUNTLESS_METRICS_PORT=${raw} is not a port: write a whole number from 1 to 65535 (default ${DEFAULT_METRICS_PORT}), or 0 to serve no metrics.`,
    );
  }
  return port;
}
