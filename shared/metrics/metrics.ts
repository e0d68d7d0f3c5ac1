// The pipeline's Prometheus metrics, on a registry of the service's own (never
// prom-client's global one, so two pipelines in one test process do not
// collide). Every series carries `service` as a default label. Label values
// are topics, partitions, stage names, outcomes and error codes: a small,
// fixed set; never an incident, entity or person id.
//
//   dauntless_messages_total{topic,outcome}        handled | dead_lettered | retried (one per attempt)
//   dauntless_dead_letters_total{topic,code}       by the source topic of the bad message
//   dauntless_processing_seconds{stage}            a message's final attempt: decode + handle (+ dead letter)
//   dauntless_end_to_end_seconds                   call received by call handling → intelligence produced
//   dauntless_match_outcomes_total{outcome}        new | link | merge | possible | duplicate, per party resolved
//   dauntless_consumer_lag{topic,partition}        messages behind the high watermark
//   dauntless_resolve_conflicts_total              decisions refused by the graph (a key moved) and made again
//
// plus prom-client's default process and Node.js metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ResolutionResult } from '../er/resolve-record.ts';
import type { OutcomeDetail, PartitionLag, StageMessage, StageOutcome } from '../kafka/stage-consumer.ts';

export type MatchOutcome = 'new' | 'link' | 'merge' | 'possible' | 'duplicate';

/**
 * Seconds. Fine-grained from 1 ms to 5 s: a stage is a few ms against Redis,
 * and "intelligence within seconds" needs the seconds told apart.
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5,
]);

/** Seconds. The same, and on to 10 s: an end-to-end time past 5 s is the one a dispatcher notices. */
export const END_TO_END_BUCKETS_SECONDS: readonly number[] = Object.freeze([...LATENCY_BUCKETS_SECONDS, 7.5, 10]);

/** The stage consumer's hooks, fed into these metrics. */
export type StageConsumerHooks = {
  onOutcome(outcome: StageOutcome, input: StageMessage, detail: OutcomeDetail): void;
  onLag(lag: PartitionLag): void;
  onAssignment(assignment: Record<string, number[]>): void;
};

export type PipelineMetrics = {
  /** Serve this (serveMetrics) or read it back in tests. */
  readonly registry: Registry;
  countMessage(topic: string, outcome: StageOutcome): void;
  /** `topic` is the source topic of the bad message, not its dead-letter topic. */
  countDeadLetter(topic: string, code: string): void;
  observeProcessing(stage: string, ms: number): void;
  /** From when call handling received the call (IncidentReported.receivedAt) to when its intelligence was produced, in ms. */
  observeEndToEnd(ms: number): void;
  countMatch(outcome: MatchOutcome): void;
  /** A party's resolution: its match outcome, and the decisions the graph refused on the way (attempts - 1). */
  countResolution(resolution: Pick<ResolutionResult, 'duplicate' | 'decision' | 'possible' | 'attempts'>): void;
  setConsumerLag(lag: PartitionLag): void;
  /** Drops the lag of every partition not in the assignment (topic → partitions): after a rebalance they are another member's to report. */
  keepConsumerLagOf(assignment: Record<string, number[]>): void;
  /** onOutcome, onLag and onAssignment for createStageConsumer. */
  stageConsumerHooks(): StageConsumerHooks;
};

export type PipelineMetricsOptions = {
  /** The service name, a default label on every series. */
  service: string;
  /** Default: a new Registry. */
  registry?: Registry;
  /** Collect prom-client's process and Node.js metrics too. Default true. */
  defaultMetrics?: boolean;
};

export function createPipelineMetrics({ service, registry = new Registry(), defaultMetrics = true }: PipelineMetricsOptions): PipelineMetrics {
  registry.setDefaultLabels({ service });
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const messages = new Counter({
    name: 'dauntless_messages_total',
    help: 'Messages taken from input topics, by outcome of each attempt: handled, dead_lettered (bad input), retried (a dependency failed).',
    labelNames: ['topic', 'outcome'] as const,
    registers,
  });
  const deadLetters = new Counter({
    name: 'dauntless_dead_letters_total',
    help: 'Messages written to a dead-letter topic, by source topic and error code.',
    labelNames: ['topic', 'code'] as const,
    registers,
  });
  const processing = new Histogram({
    name: 'dauntless_processing_seconds',
    help: 'Time to process one message (its final attempt: decode, handle, and dead letter if any), by stage, in seconds.',
    labelNames: ['stage'] as const,
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers,
  });
  const endToEnd = new Histogram({
    name: 'dauntless_end_to_end_seconds',
    help: 'From the call received by call handling to its pre-arrival intelligence produced, in seconds.',
    buckets: [...END_TO_END_BUCKETS_SECONDS],
    registers,
  });
  const matches = new Counter({
    name: 'dauntless_match_outcomes_total',
    help: 'Incident parties resolved, by outcome: new person, link to one, merge of several, possible match only, duplicate record.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const conflicts = new Counter({
    name: 'dauntless_resolve_conflicts_total',
    help: 'Decisions the identity graph refused because a key read had moved since (another record filed under it); each was made again on a fresh view.',
    registers,
  });
  const lag = new Gauge({
    name: 'dauntless_consumer_lag',
    help: 'Messages behind the high watermark, by topic and partition, as last seen by this member.',
    labelNames: ['topic', 'partition'] as const,
    registers,
  });
  // Which lag series exist, to drop those of partitions given to another member.
  const lagSeries = new Map<string, { topic: string; partition: string }>();

  const metrics: PipelineMetrics = {
    registry,
    countMessage: (topic, outcome) => messages.inc({ topic, outcome }),
    countDeadLetter: (topic, code) => deadLetters.inc({ topic, code }),
    observeProcessing: (stage, ms) => processing.observe({ stage }, ms / 1000),
    observeEndToEnd: (ms) => endToEnd.observe(Math.max(0, ms) / 1000),
    countMatch: (outcome) => matches.inc({ outcome }),
    countResolution(resolution) {
      matches.inc({ outcome: matchOutcomeOf(resolution) });
      if (resolution.attempts > 1) conflicts.inc(resolution.attempts - 1);
    },
    setConsumerLag({ topic, partition, messages: behind }) {
      const labels = { topic, partition: String(partition) };
      lagSeries.set(`${topic}\u0000${partition}`, labels);
      lag.set(labels, behind);
    },
    keepConsumerLagOf(assignment) {
      for (const [key, labels] of lagSeries) {
        if (!assignment[labels.topic]?.includes(Number(labels.partition))) {
          lag.remove(labels);
          lagSeries.delete(key);
        }
      }
    },
    stageConsumerHooks: () => ({
      onOutcome(outcome, input, detail) {
        metrics.countMessage(input.topic, outcome);
        if (outcome === 'dead_lettered') metrics.countDeadLetter(input.topic, detail.code ?? 'UNEXPECTED');
        // A retried attempt mostly measures a dependency's time-out; its count is in messages_total.
        if (outcome !== 'retried') metrics.observeProcessing(detail.stage, detail.durationMs);
      },
      onLag: (partitionLag) => metrics.setConsumerLag(partitionLag),
      onAssignment: (assignment) => metrics.keepConsumerLagOf(assignment),
    }),
  };
  return metrics;
}

/**
 * The match outcome of one party's resolution: a record seen before is a
 * duplicate; a new entity founded while a candidate scored in the possible
 * band is a possible match (the dispatcher is told so); otherwise the
 * decision itself.
 */
export function matchOutcomeOf(resolution: Pick<ResolutionResult, 'duplicate' | 'decision' | 'possible'>): MatchOutcome {
  if (resolution.duplicate) return 'duplicate';
  if (resolution.decision.outcome === 'new') return resolution.possible.length > 0 ? 'possible' : 'new';
  return resolution.decision.outcome;
}
