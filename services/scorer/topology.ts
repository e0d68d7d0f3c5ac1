// The scorer's topology: graph events in, what changed out, and the timer
// that scores whoever time alone moves. Built from its dependencies, so tests
// drive it without a process; main.ts only connects it.
//
//   graph.events.v1 ─► score ─► dauntless.topfive.v1 (key borough)
//                            └► dauntless.alerts.v1  (key borough)
//   tick (tickMs)   ─► unsent, then unpublished boards, then whoever is due ─► the same topics
import type { Scorer, ScorerOutput } from '../../shared/boards/scorer.ts';
import type { ScoreBoard } from '../../shared/boards/score-board.ts';
import type { Stage } from '../../shared/kafka/stage-consumer.ts';
import type { OutputMessage, StageOutput } from '../../shared/kafka/stage-output.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { failurePolicy } from '../../shared/errors/failure-policy.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { GraphEventRecorded } from '../../shared/contracts/graph-event.ts';
import type { TopicContract } from '../../shared/schema-registry/check-subjects.ts';
import { SCHEMA_FILE } from '../../shared/contracts/contract-schemas.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import type { ScorerConfig } from './config.ts';
import { createScorerStage } from './scorer-stage.ts';

export type ScorerOutputTopics = Pick<ScorerConfig, 'topFiveTopic' | 'alertsTopic'>;

/**
 * The scorer's outputs as messages, keyed by borough. A top five decided by time alone (no cause event) is kept in
 * Redis until Kafka acknowledges it (board.sent then forgets it): an event's are replayed with the event instead.
 */
export function scorerMessages(topics: ScorerOutputTopics, outputs: readonly ScorerOutput[], board: Pick<ScoreBoard, 'sent'>): OutputMessage[] {
  return outputs.map((o) => ({
    topic: o.kind === 'topfive' ? topics.topFiveTopic : topics.alertsTopic,
    key: o.boroughCode,
    value: o.value,
    acknowledged: o.kind === 'topfive' && o.value.causeEventId === null ? () => board.sent(o.boroughCode, JSON.stringify(o.value)) : undefined,
  }));
}

/** Every topic the scorer reads or writes, with its schema: the registry must have each one's subject before it starts. */
export function scorerContracts(config: ScorerOutputTopics & Pick<ScorerConfig, 'inputTopic'>): TopicContract[] {
  return [
    { topic: config.inputTopic, schema: SCHEMA_FILE.graphEvent },
    { topic: config.topFiveTopic, schema: SCHEMA_FILE.topFive },
    { topic: config.alertsTopic, schema: SCHEMA_FILE.alert },
    { topic: deadLetterTopicOf(config.inputTopic), schema: SCHEMA_FILE.deadLetter },
  ];
}

/** What one tick sends: what Kafka did not take last time first, then boards changed but unpublished, then whoever is due. */
export async function tickOutputs(scorer: Pick<Scorer, 'unsent' | 'publishPending' | 'rescoreDue'>, at: number): Promise<ScorerOutput[]> {
  return [...(await scorer.unsent()), ...(await scorer.publishPending(at)), ...(await scorer.rescoreDue(at))];
}

export type ScorerTopology = {
  stage: Stage<GraphEventRecorded>;
  /** Runs one tick after any still running; a failure is logged and left to the next tick. */
  tick(): Promise<void>;
  /** Settles once the tick running now (if any) has ended. */
  settled(): Promise<void>;
};

export function createScorerTopology({
  config,
  codec,
  scorer,
  board,
  output,
  logger,
  onFatal,
  now = Date.now,
}: {
  config: ScorerOutputTopics;
  codec: AvroCodec;
  scorer: Scorer;
  board: Pick<ScoreBoard, 'sent'>;
  output: StageOutput;
  logger: Logger;
  /** Told of a configuration error from a tick (a subject missing from the registry): the next tick would fail alike, so the service stops. */
  onFatal?: (error: DauntlessError) => void;
  now?: () => number;
}): ScorerTopology {
  const stage = {
    ...createScorerStage({ codec, scorer, now, onOutput: (outputs, { topic, partition }) => output.emit({ topic, partition }, scorerMessages(config, outputs, board)) }),
    flush: output.flush,
  };
  let ticking: Promise<void> = Promise.resolve();
  return {
    stage,
    tick() {
      ticking = ticking
        .then(async () => output.send(scorerMessages(config, await tickOutputs(scorer, now()), board)))
        .catch((error) => {
          if (failurePolicy(error).kind === 'stop') return onFatal?.(error as DauntlessError);
          logger.warn({ err: (error as Error).message, code: (error as { code?: string }).code }, 'scoring by time failed; tried again at the next tick');
        });
      return ticking;
    },
    settled: () => ticking,
  };
}
