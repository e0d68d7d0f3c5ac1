import { describe, expect, it } from 'vitest';
import { loadMetricsHost } from './load-metrics-host.ts';

describe('loadMetricsHost', () => {
  it('listens on loopback unless DAUNTLESS_METRICS_HOST says otherwise', () => {
    expect(loadMetricsHost({})).toBe('127.0.0.1');
    expect(loadMetricsHost({ DAUNTLESS_METRICS_HOST: ' ' })).toBe('127.0.0.1');
    expect(loadMetricsHost({ DAUNTLESS_METRICS_HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });
});
