// Which interface a service's metrics server listens on:
// DAUNTLESS_METRICS_HOST, default 127.0.0.1 (loopback). /metrics and /readyz
// tell whoever can reach them what the service runs with and what is down, so
// they stay on the machine unless an operator opens them on purpose (0.0.0.0
// for a Prometheus elsewhere, or one interface's address).
import { DEFAULT_METRICS_HOST } from './serve-metrics.ts';

export function loadMetricsHost(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.DAUNTLESS_METRICS_HOST?.trim();
  return raw ? raw : DEFAULT_METRICS_HOST;
}
