import { describe, expect, it } from 'vitest';
import type { ScorerOutput } from '../../shared/boards/scorer.ts';
import type { TopFiveChanged } from '../../shared/boards/top-five-message.ts';
import type { BoroughAlert } from '../../shared/boards/custody-release-alerts.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import type { Scorer } from '../../shared/boards/scorer.ts';
import type { StageOutput } from '../../shared/kafka/stage-output.ts';
import { createScorerTopology, scorerContracts, scorerMessages, tickOutputs } from './topology.ts';

const topics = { topFiveTopic: 'dauntless.topfive.v1', alertsTopic: 'dauntless.alerts.v1' };
const topFive = (boroughCode: string, causeEventId: string | null): ScorerOutput => ({ kind: 'topfive', boroughCode, value: { boroughCode, causeEventId } as TopFiveChanged });
const alert = (boroughCode: string): ScorerOutput => ({ kind: 'alert', boroughCode, value: { boroughCode } as unknown as BoroughAlert });

describe('the scorer topology', () => {
  it('sends rankings and alerts to their topics, keyed by borough', () => {
    const messages = scorerMessages(topics, [topFive('E09000022', 'evt-1'), alert('E09000012')], { sent: async () => undefined });
    expect(messages.map(({ topic, key }) => ({ topic, key }))).toEqual([
      { topic: 'dauntless.topfive.v1', key: 'E09000022' },
      { topic: 'dauntless.alerts.v1', key: 'E09000012' },
    ]);
  });

  it('has the board forget a change decided by time alone only once Kafka acknowledged it, and never one an event caused', async () => {
    const forgotten: string[] = [];
    const board = { sent: async (borough: string, message: string) => void forgotten.push(`${borough} ${message}`) };
    const [byTime, byEvent, anAlert] = scorerMessages(topics, [topFive('E09000022', null), topFive('E09000007', 'evt-2'), alert('E09000012')], board);
    expect(forgotten).toEqual([]);
    await byTime!.acknowledged!();
    expect(forgotten).toEqual([`E09000022 ${JSON.stringify({ boroughCode: 'E09000022', causeEventId: null })}`]);
    expect(byEvent!.acknowledged).toBeUndefined();
    expect(anAlert!.acknowledged).toBeUndefined();
  });

  it('ticks what Kafka did not take first, then unpublished boards, then whoever is due', async () => {
    const asked: string[] = [];
    const scorer = {
      unsent: async () => (asked.push('unsent'), [topFive('A', null)]),
      publishPending: async (at: number) => (asked.push(`pending ${at}`), [topFive('B', null)]),
      rescoreDue: async (at: number) => (asked.push(`due ${at}`), [topFive('C', null)]),
    };
    expect((await tickOutputs(scorer, 7)).map((o) => o.boroughCode)).toEqual(['A', 'B', 'C']);
    expect(asked).toEqual(['unsent', 'pending 7', 'due 7']);
  });

  it('needs the subject of the graph events it reads, of what it writes, and of its dead letters', () => {
    expect(scorerContracts({ inputTopic: 'graph.events.v1', topFiveTopic: 'dauntless.topfive.v1', alertsTopic: 'dauntless.alerts.v1' })).toEqual([
      { topic: 'graph.events.v1', schema: 'graph-event-recorded.avsc' },
      { topic: 'dauntless.topfive.v1', schema: 'top-five-changed.avsc' },
      { topic: 'dauntless.alerts.v1', schema: 'borough-alert.avsc' },
      { topic: 'graph.events.dlq.v1', schema: 'dead-letter.avsc' },
    ]);
  });

  it('stops the service when a tick finds a subject missing from the registry, and only then', async () => {
    const fatal: string[] = [];
    let failure: Error = new DauntlessError('REGISTRY_SUBJECT_MISSING', 'the registry has no subject dauntless.topfive.v1-value');
    const output = { send: async () => Promise.reject(failure) } as unknown as StageOutput;
    const scorer = { unsent: async () => [topFive('A', null)], publishPending: async () => [], rescoreDue: async () => [] } as unknown as Scorer;
    const topology = createScorerTopology({
      config: topics,
      codec: {} as never,
      scorer,
      board: { sent: async () => undefined },
      output,
      logger: createLogger('test', { level: 'silent' }),
      onFatal: (error) => void fatal.push(error.code),
    });
    await topology.tick();
    failure = new DauntlessError('KAFKA_UNAVAILABLE', 'broker gone', { retriable: true });
    await topology.tick();
    expect(fatal).toEqual(['REGISTRY_SUBJECT_MISSING']);
  });
});
