// The HTTP edge of the metrics: GET /metrics (Prometheus text format) and
// GET /healthz ("ok": the process is up and its event loop answers). Nothing
// else is served: 404 for any other path, 405 for another method on these.
// Port 0 asks the system for a free port; the port bound is returned.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/create-logger.ts';

export type ServeMetricsOptions = {
  registry: Registry;
  /** TCP port; 0 for any free one. */
  port: number;
  /** Interface to listen on. Default: every interface (Prometheus scrapes from elsewhere). */
  host?: string;
  logger: Logger;
};

export type MetricsServer = {
  /** The port bound (the one asked for, or the system's choice for 0). */
  port: number;
  /** Stops listening and closes open (keep-alive) connections. */
  close(): Promise<void>;
};

export async function serveMetrics({ registry, port, host, logger }: ServeMetricsOptions): Promise<MetricsServer> {
  const log = logger.child({ stage: 'metrics' });

  async function respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' && path !== '/healthz') return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    if (path === '/healthz') return send(response, 200, 'text/plain; charset=utf-8', 'ok\n');
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
  log.info({ port: bound, host: host ?? '*' }, 'serving metrics on /metrics');

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
