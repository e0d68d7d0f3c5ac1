import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { createLogger } from '../logging/create-logger.ts';
import { createPipelineMetrics } from './metrics.ts';
import { serveMetrics, type MetricsServer } from './serve-metrics.ts';

const logger = createLogger('test', { level: 'silent' });
let server: MetricsServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function fetchLocal(port: number, path: string, method = 'GET'): Promise<{ status: number; contentType: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveMetrics', () => {
  it('serves the registry in the Prometheus text format on a free port', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    metrics.countMessage('cad.incidents.v1', 'handled');
    server = await serveMetrics({ registry: metrics.registry, port: 0, host: '127.0.0.1', logger });
    expect(server.port).toBeGreaterThan(0);

    const res = await fetchLocal(server.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('# TYPE dauntless_messages_total counter');
    expect(res.body).toContain('dauntless_messages_total{topic="cad.incidents.v1",outcome="handled",service="resolver"} 1');
  });

  it('answers /healthz with ok, an unknown path with 404, and another method with 405', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    server = await serveMetrics({ registry: metrics.registry, port: 0, host: '127.0.0.1', logger });

    expect(await fetchLocal(server.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await fetchLocal(server.port, '/metrics?x=1')).toMatchObject({ status: 200 });
    expect(await fetchLocal(server.port, '/')).toMatchObject({ status: 404 });
    expect(await fetchLocal(server.port, '/metricsx')).toMatchObject({ status: 404 });
    expect(await fetchLocal(server.port, '/metrics', 'POST')).toMatchObject({ status: 405 });
  });

  it('refuses a port already in use, and stops listening when closed', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    server = await serveMetrics({ registry: metrics.registry, port: 0, host: '127.0.0.1', logger });
    await expect(serveMetrics({ registry: metrics.registry, port: server.port, host: '127.0.0.1', logger })).rejects.toMatchObject({ code: 'EADDRINUSE' });

    const { port } = server;
    await server.close();
    server = undefined;
    await expect(fetchLocal(port, '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('answers /readyz with 200 when every dependency answers, and 503 naming the one that is down', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    let redisUp = true;
    const readiness = [
      { name: 'kafka', check: async () => undefined },
      {
        name: 'redis',
        check: async () => {
          if (!redisUp) throw new Error('connect ECONNREFUSED');
        },
      },
    ];
    server = await serveMetrics({ registry: metrics.registry, port: 0, readiness, logger });

    const ready = await fetchLocal(server.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ready: true, checks: { kafka: 'ok', redis: 'ok' }, down: [] });
    redisUp = false;
    const down = await fetchLocal(server.port, '/readyz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ ready: false, down: ['redis'], checks: { redis: 'down: connect ECONNREFUSED' } });
    // /healthz asks the event loop only.
    expect(await fetchLocal(server.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('listens on loopback only unless told another interface', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    server = await serveMetrics({ registry: metrics.registry, port: 0, logger });
    const { networkInterfaces } = await import('node:os');
    const outside = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    expect(await fetchLocal(server.port, '/healthz')).toMatchObject({ status: 200 });
    if (outside) {
      await expect(new Promise((resolve, reject) => {
        const req = request({ host: outside.address, port: server!.port, path: '/healthz' }, resolve);
        req.on('error', reject);
        req.end();
      })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
  });
});
