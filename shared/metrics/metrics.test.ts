import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { StageMessage } from '../kafka/stage-consumer.ts';
import { createPipelineMetrics, END_TO_END_BUCKETS_SECONDS, LATENCY_BUCKETS_SECONDS, matchOutcomeOf } from './metrics.ts';

const input = (topic: string, partition = 0): StageMessage => ({
  topic,
  partition,
  message: { key: null, value: null, offset: '7', timestamp: '0', attributes: 0, headers: {} } as StageMessage['message'],
});

/** The value of one series of a metric, read back through the registry as JSON. */
async function valueOf(registry: Registry, name: string, labels: Record<string, string | number> = {}): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const series = metric?.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return series?.value;
}

describe('pipeline metrics', () => {
  it('counts message outcomes and dead letters by topic and code, on a registry of its own', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    metrics.countMessage('cad.incidents.v1', 'handled');
    metrics.countMessage('cad.incidents.v1', 'handled');
    metrics.countMessage('cad.incidents.v1', 'dead_lettered');
    metrics.countDeadLetter('cad.incidents.v1', 'DECODE_FAILED');

    expect(await valueOf(metrics.registry, 'dauntless_messages_total', { topic: 'cad.incidents.v1', outcome: 'handled' })).toBe(2);
    expect(await valueOf(metrics.registry, 'dauntless_messages_total', { outcome: 'dead_lettered' })).toBe(1);
    expect(await valueOf(metrics.registry, 'dauntless_dead_letters_total', { topic: 'cad.incidents.v1', code: 'DECODE_FAILED' })).toBe(1);
    const text = await metrics.registry.getSingleMetricAsString('dauntless_messages_total');
    expect(text).toContain('dauntless_messages_total{topic="cad.incidents.v1",outcome="handled",service="resolver"} 2');
  });

  it('observes processing and end-to-end times in seconds, in buckets from 1 ms to 5 s', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    metrics.observeProcessing('resolve-incident', 4);
    metrics.observeProcessing('resolve-incident', 250);
    metrics.observeEndToEnd(1_200);

    const processing = await metrics.registry.getSingleMetricAsString('dauntless_processing_seconds');
    expect(processing).toContain('dauntless_processing_seconds_bucket{le="0.001",service="resolver",stage="resolve-incident"} 0');
    expect(processing).toContain('dauntless_processing_seconds_bucket{le="0.005",service="resolver",stage="resolve-incident"} 1');
    expect(processing).toContain('dauntless_processing_seconds_bucket{le="0.3",service="resolver",stage="resolve-incident"} 2');
    expect(processing).toContain('dauntless_processing_seconds_sum{service="resolver",stage="resolve-incident"} 0.254');
    expect(processing).toContain('dauntless_processing_seconds_count{service="resolver",stage="resolve-incident"} 2');

    const endToEnd = await metrics.registry.getSingleMetricAsString('dauntless_end_to_end_seconds');
    expect(endToEnd).toContain('dauntless_end_to_end_seconds_bucket{le="1",service="resolver"} 0');
    expect(endToEnd).toContain('dauntless_end_to_end_seconds_bucket{le="1.5",service="resolver"} 1');
    expect(LATENCY_BUCKETS_SECONDS[0]).toBe(0.001);
    expect(LATENCY_BUCKETS_SECONDS.at(-1)).toBe(5);
    expect(END_TO_END_BUCKETS_SECONDS.at(-1)).toBe(10);
  });

  it('counts match outcomes, and names the outcome of a resolution', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    const possible = [{ entityId: 'E2', score: { matchWeight: 3, probability: 0.9, evidence: [] } }];
    const cases = [
      { duplicate: true, decision: { outcome: 'new' as const }, possible: [] },
      { duplicate: false, decision: { outcome: 'new' as const }, possible: [] },
      { duplicate: false, decision: { outcome: 'new' as const }, possible },
      { duplicate: false, decision: { outcome: 'link' as const, entityId: 'E1', score: possible[0]!.score }, possible },
      { duplicate: false, decision: { outcome: 'merge' as const, entityIds: ['E1', 'E2'], scores: {} }, possible: [] },
    ];
    expect(cases.map(matchOutcomeOf)).toEqual(['duplicate', 'new', 'possible', 'link', 'merge']);
    for (const c of cases) metrics.countMatch(matchOutcomeOf(c));
    metrics.countMatch('link');
    expect(await valueOf(metrics.registry, 'dauntless_match_outcomes_total', { outcome: 'link' })).toBe(2);
    expect(await valueOf(metrics.registry, 'dauntless_match_outcomes_total', { outcome: 'possible' })).toBe(1);
  });

  it('counts a resolution by its outcome, and the decisions the graph refused on the way', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    metrics.countResolution({ duplicate: false, decision: { outcome: 'new' }, possible: [], attempts: 1 });
    metrics.countResolution({ duplicate: false, decision: { outcome: 'new' }, possible: [], attempts: 3 });
    expect(await valueOf(metrics.registry, 'dauntless_match_outcomes_total', { outcome: 'new' })).toBe(2);
    expect(await valueOf(metrics.registry, 'dauntless_resolve_conflicts_total')).toBe(2);
  });

  it('keeps the latest lag of each partition, and drops partitions no longer assigned', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    metrics.setConsumerLag({ topic: 'cad.incidents.v1', partition: 0, messages: 12 });
    metrics.setConsumerLag({ topic: 'cad.incidents.v1', partition: 0, messages: 3 });
    metrics.setConsumerLag({ topic: 'cad.incidents.v1', partition: 5, messages: 40 });
    expect(await valueOf(metrics.registry, 'dauntless_consumer_lag', { topic: 'cad.incidents.v1', partition: '0' })).toBe(3);
    expect(await valueOf(metrics.registry, 'dauntless_consumer_lag', { partition: '5' })).toBe(40);

    metrics.keepConsumerLagOf({ 'cad.incidents.v1': [0, 1, 2] });
    expect(await valueOf(metrics.registry, 'dauntless_consumer_lag', { partition: '0' })).toBe(3);
    expect(await valueOf(metrics.registry, 'dauntless_consumer_lag', { partition: '5' })).toBeUndefined();
  });

  it('feeds every metric of a stage consumer from its hooks', async () => {
    const metrics = createPipelineMetrics({ service: 'resolver', defaultMetrics: false });
    const hooks = metrics.stageConsumerHooks();
    hooks.onOutcome('handled', input('cad.incidents.v1'), { stage: 'resolve-incident', code: undefined, durationMs: 3 });
    hooks.onOutcome('retried', input('cad.incidents.v1'), { stage: 'resolve-incident', code: 'REDIS_UNAVAILABLE', durationMs: 2_000 });
    hooks.onOutcome('dead_lettered', input('cad.incidents.v1'), { stage: 'resolve-incident', code: 'VALIDATION_FAILED', durationMs: 1 });
    hooks.onLag({ topic: 'cad.incidents.v1', partition: 2, messages: 9 });

    expect(await valueOf(metrics.registry, 'dauntless_messages_total', { outcome: 'retried' })).toBe(1);
    expect(await valueOf(metrics.registry, 'dauntless_dead_letters_total', { code: 'VALIDATION_FAILED' })).toBe(1);
    // The retried attempt is counted, not timed: a dependency's time-out is not processing time.
    expect(await metrics.registry.getSingleMetricAsString('dauntless_processing_seconds')).toContain(
      'dauntless_processing_seconds_count{service="resolver",stage="resolve-incident"} 2',
    );
    expect(await valueOf(metrics.registry, 'dauntless_consumer_lag', { partition: '2' })).toBe(9);
  });

  it('collects the default process metrics on its own registry, leaving the global one alone', async () => {
    const registry = new Registry();
    createPipelineMetrics({ service: 'resolver', registry });
    const text = await registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total{service="resolver"}');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    const { register } = await import('prom-client');
    expect(register.getSingleMetric('dauntless_messages_total')).toBeUndefined();
  });
});
