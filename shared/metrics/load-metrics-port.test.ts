import { describe, expect, it } from 'vitest';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { DEFAULT_METRICS_PORT, loadMetricsPort } from './load-metrics-port.ts';

describe('loadMetricsPort', () => {
  it('defaults to 9464 when DAUNTLESS_METRICS_PORT is unset or empty', () => {
    expect(loadMetricsPort({})).toBe(DEFAULT_METRICS_PORT);
    expect(loadMetricsPort({ DAUNTLESS_METRICS_PORT: '' })).toBe(9464);
  });

  it('reads a port, and 0 as "no metrics endpoint"', () => {
    expect(loadMetricsPort({ DAUNTLESS_METRICS_PORT: '9100' })).toBe(9100);
    expect(loadMetricsPort({ DAUNTLESS_METRICS_PORT: ' 65535 ' })).toBe(65535);
    expect(loadMetricsPort({ DAUNTLESS_METRICS_PORT: '0' })).toBe(0);
  });

  it.each(['abc', '-1', '65536', '94.64', '1e3', '0x10'])('refuses %s with a sentence that says what to write', (raw) => {
    let error: unknown;
    try {
      loadMetricsPort({ DAUNTLESS_METRICS_PORT: raw });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DauntlessError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', retriable: false });
    expect((error as Error).message).toBe(
      `DAUNTLESS_METRICS_PORT=${raw} is not a port: write a whole number from 1 to 65535 (default 9464), or 0 to serve no metrics.`,
    );
  });
});
