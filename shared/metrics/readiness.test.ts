import { describe, expect, it } from 'vitest';
import { checkReadiness, kafkaConsumerCheck, redisCheck, registryCheck } from './readiness.ts';

describe('readiness', () => {
  it('is ready when every dependency answers', async () => {
    const report = await checkReadiness([kafkaConsumerCheck(() => true), redisCheck({ ping: async () => 'PONG' }), registryCheck({ subjects: async () => [] })]);
    expect(report).toEqual({ ready: true, checks: { kafka: 'ok', redis: 'ok', registry: 'ok' }, down: [] });
  });

  it('names what is down and why, and counts a check that hangs as down', async () => {
    const report = await checkReadiness(
      [kafkaConsumerCheck(() => false), redisCheck({ ping: () => new Promise<string>(() => undefined) }), registryCheck({ subjects: async () => Promise.reject(new Error('ECONNREFUSED')) })],
      50,
    );
    expect(report.ready).toBe(false);
    expect(report.down).toEqual(['kafka', 'redis', 'registry']);
    expect(report.checks.redis).toBe('down: no answer within 50 ms');
    expect(report.checks.registry).toBe('down: ECONNREFUSED');
  });
});
