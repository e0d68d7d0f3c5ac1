import { describe, expect, it } from 'vitest';
import { loadLiveConfig, newRunId } from './config.ts';

// Endpoints from the environment, so no test reads the stack's endpoints file.
const ENDPOINTS = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7', DAUNTLESS_STACK_DIR: '/tmp/dauntless-stack' };
const NOW = Date.UTC(2026, 10, 25, 14, 3, 7);
const load = (args: string[] = [], env: Record<string, string> = {}) => loadLiveConfig({ args, env: { ...ENDPOINTS, ...env }, nowMs: NOW });

describe('the main job options', () => {
  it('runs a 2,000-call history then one live call a second until stopped, by default', () => {
    const config = load();
    expect(config).toMatchObject({ rate: 1, history: 2000, seconds: undefined, seed: String(NOW % 1_000_000), persons: 20_000 });
    expect(config.historySpanMs).toBe(548 * 86_400_000);
    expect(config.resolverLogFile).toBe('/tmp/dauntless-stack/logs/live-resolver.log');
    expect(config.liveLogFile).toBe('/tmp/dauntless-stack/logs/live.log');
    expect(config.truthFile).toBe('/tmp/dauntless-stack/live-truth.jsonl');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the environment', () => {
    const config = load([], { DAUNTLESS_LIVE_RATE: '2.5', DAUNTLESS_LIVE_HISTORY: '0', DAUNTLESS_LIVE_SEED: 'demo', DAUNTLESS_LIVE_SECONDS: '20' });
    expect(config).toMatchObject({ rate: 2.5, history: 0, seed: 'demo', seconds: 20 });
  });

  it('lets a flag win over its variable', () => {
    const config = load(['--rate', '3', '--history=300', '--seed', '7', '--for', '20'], { DAUNTLESS_LIVE_RATE: '2', DAUNTLESS_LIVE_HISTORY: '50' });
    expect(config).toMatchObject({ rate: 3, history: 300, seed: '7', seconds: 20 });
  });

  it.each([
    [['--rate', '0'], {}, /--rate 0: give a number of live calls per second > 0/],
    [[], { DAUNTLESS_LIVE_RATE: 'fast' }, /DAUNTLESS_LIVE_RATE=fast: give a number of live calls per second/],
    [['--history', '12.5'], {}, /--history 12.5: give a whole number of calls of history from 0/],
    [['--history', '-1'], {}, /--history -1/],
    [['--for', '0'], {}, /--for 0: give a number of seconds > 0/],
    [[], { DAUNTLESS_LIVE_SECONDS: 'soon' }, /DAUNTLESS_LIVE_SECONDS=soon/],
    [['--speed', '9'], {}, /unknown option --speed/],
    [['--for'], {}, /--for needs a value/],
    [['20'], {}, /unexpected argument "20"/],
  ])('refuses %j %j, saying what to change', (args, env, message) => {
    expect(() => load(args as string[], env as Record<string, string>)).toThrow(message as RegExp);
  });

  it('says how to start the stack when no endpoints are known', () => {
    expect(() => loadLiveConfig({ env: { DAUNTLESS_STACK_DIR: '/nonexistent/dauntless' } })).toThrow(/npm run stack:up/);
  });
});

describe('the run id', () => {
  it('is fresh each second and fits an incident id (1-16 letters or digits)', () => {
    const a = newRunId(NOW, () => 0);
    const b = newRunId(NOW + 1000, () => 0.999);
    expect(a).toMatch(/^L[0-9a-z]{1,15}$/);
    expect(a.length).toBeLessThanOrEqual(16);
    expect(b).not.toBe(a);
    expect(newRunId(NOW, () => 0.5)).not.toBe(a);
  });
});
