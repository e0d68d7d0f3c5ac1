// The HTTP edge of the metrics: GET /metrics (Prometheus text format),
// GET /healthz ("ok": the process is up and its event loop answers; a dead
// consumer exits the process, stage-consumer.ts `failed`) and GET /readyz
// (each dependency answers: 200 "ready", or 503 naming what is down).
// Nothing else is served: 404 for any other path, 405 for another method on
// these. Port 0 asks the system for a free port; the port bound is returned.
// It listens on 127.0.0.1 unless told otherwise (DAUNTLESS_METRICS_HOST,
// load-metrics-host.ts): metrics and readiness are no business of the network
// until someone decides a scraper elsewhere may read them.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/create-logger.ts';
import { checkReadiness, type ReadinessCheck } from './readiness.ts';

export const DEFAULT_METRICS_HOST = '127.0.0.1';

export type ServeMetricsOptions = {
  registry: Registry;
  /** TCP port; 0 for any free one. */
  port: number;
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** What /readyz asks, in order shown (readiness.ts). None: /readyz answers ready while the process is up. */
  readiness?: readonly ReadinessCheck[];
  logger: Logger;
};

export type MetricsServer = {
  /** The port bound (the one asked for, or the system's choice for 0). */
  port: number;
  /** Stops listening and closes open (keep-alive) connections. */
  close(): Promise<void>;
};

export async function serveMetrics({ registry, port, host = DEFAULT_METRICS_HOST, readiness = [], logger }: ServeMetricsOptions): Promise<MetricsServer> {
  const log = logger.child({ stage: 'metrics' });

  async function respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' && path !== '/healthz' && path !== '/readyz') return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    if (path === '/healthz') return send(response, 200, 'text/plain; charset=utf-8', 'ok\n');
    if (path === '/readyz') {
      const report = await checkReadiness(readiness);
      if (!report.ready) log.warn({ down: report.down }, 'not ready');
      return send(response, report.ready ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(report) + '\n');
    }
    try {
      send(response, 200, registry.contentType, await registry.metrics());
    } catch (error) {
      log.error({ err: (error as Error)?.message }, 'metrics could not be collected');
      send(response, 500, 'text/plain; charset=utf-8', 'metrics could not be collected\n');
    }
  }

  const server = createServer((request, response) => void respond(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error.message }, 'metrics server failed'));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  log.info({ port: bound, host }, 'serving metrics on /metrics, /healthz and /readyz');

  return {
    port: bound,
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
