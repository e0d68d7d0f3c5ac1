import { describe, expect, it } from 'vitest';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { createStageConsumer, type OutcomeDetail, type PartitionLag, type Stage } from '../../shared/kafka/stage-consumer.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { createDeadLetterWriter } from '../../shared/kafka/dead-letter-writer.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';

const { logger, kafka, codec, admin, producer } = kafkaTestKit('stage-consumer-test', () => [
  { topic: input, partitions: 1 },
  { topic: dlq, partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: hooked, partitions: 1 },
  { topic: flushed, partitions: 1 },
  { topic: paced, partitions: 1 },
]);
const input = `${uniqueName('stage')}.v1`;
const dlq = deadLetterTopicOf(input);
const hooked = `${uniqueName('stage-hooks')}.v1`;
const flushed = `${uniqueName('stage-flush')}.v1`;
const paced = `${uniqueName('stage-commits')}.v1`;

describe('a stage consumer', () => {
  it('dead-letters bad input with its bytes and position, retries a failing dependency without losing the message, and commits past both', async () => {
    const handled: string[] = [];
    let flakyAttempts = 0;
    const stage: Stage<string> = {
      name: 'test-stage',
      async decode({ message }) {
        const text = message.value?.toString() ?? '';
        if (!text.startsWith('ok:')) throw new DauntlessError('DECODE_FAILED', 'value is not an ok: message');
        return text;
      },
      async handle(value) {
        if (value === 'ok:flaky' && ++flakyAttempts < 3) throw new DauntlessError('REDIS_UNAVAILABLE', 'redis down', { retriable: true });
        if (value === 'ok:invalid') throw new DauntlessError('VALIDATION_FAILED', 'borough code is not a Met borough');
        handled.push(value);
      },
    };
    const outcomes: string[] = [];
    const details: OutcomeDetail[] = [];
    const lags: PartitionLag[] = [];
    const assignments: Record<string, number[]>[] = [];
    const groupId = uniqueName('stage-group');
    const running = createStageConsumer({
      kafka,
      groupId,
      topics: [input],
      stage,
      service: 'test',
      logger,
      retry: { initialMs: 20, maxMs: 100 },
      // Hooks only record: the stage consumer logs and ignores a hook that throws, so assertions come after.
      onOutcome: (outcome, _input, detail) => {
        outcomes.push(outcome);
        details.push(detail);
      },
      onLag: (lag) => lags.push(lag),
      onAssignment: (assignment) => assignments.push(assignment),
      deadLetters: createDeadLetterWriter({ producer, codec }),
    });

    const bad = Buffer.from([0xff, 0x00, 0x13, 0x37]);
    await producer.send({
      topic: input,
      messages: [
        { key: 'k0', value: 'ok:first' },
        { key: 'k1', value: bad, headers: { trace: 'abc' } },
        { key: 'k2', value: 'ok:flaky' },
        { key: 'k3', value: 'ok:invalid' },
        { key: 'k4', value: 'ok:last' },
      ],
    });
    await running.start();
    try {
      await waitFor('the last message to be handled', () => handled.includes('ok:last'));
      expect(handled).toEqual(['ok:first', 'ok:flaky', 'ok:last']);
      expect(flakyAttempts).toBe(3);
      expect(outcomes).toEqual(['handled', 'dead_lettered', 'retried', 'retried', 'handled', 'dead_lettered', 'handled']);
      expect(details.map((d) => d.code)).toEqual([undefined, 'DECODE_FAILED', 'REDIS_UNAVAILABLE', 'REDIS_UNAVAILABLE', undefined, 'VALIDATION_FAILED', undefined]);
      expect(details.every((d) => d.stage === 'test-stage' && d.durationMs >= 0)).toBe(true);
      // Five messages behind on arrival, none once the last is processed (however kafkajs split the batches).
      expect(lags.every((l) => l.topic === input && l.partition === 0)).toBe(true);
      const behind = lags.map((l) => l.messages);
      expect(behind[0]).toBe(5);
      expect(behind.at(-1)).toBe(0);
      expect(new Set(behind)).toEqual(new Set([5, 4, 3, 2, 1, 0]));
      expect(assignments.at(-1)).toEqual({ [input]: [0] });

      const committed = await waitFor('offsets to be committed past every message', async () => {
        const [partition] = (await admin.fetchOffsets({ groupId, topics: [input] }))[0]!.partitions;
        return partition!.offset === '5' ? partition!.offset : undefined;
      });
      expect(committed).toBe('5');
    } finally {
      await running.stop();
    }

    // The dead letters, read back as any consumer would.
    const { values: letters, stop: stopReading } = await collectDecoded(kafka, codec, dlq);
    await waitFor('two dead letters', () => letters.length === 2).finally(stopReading);
    expect(letters[0]).toMatchObject({
      key: 'k1',
      sourceTopic: input,
      sourcePartition: 0,
      sourceOffset: '1',
      originalKey: Buffer.from('k1'),
      originalValue: bad,
      originalHeaders: [{ key: 'trace', value: Buffer.from('abc') }],
      errorCode: 'DECODE_FAILED',
      service: 'test',
      stage: 'test-stage',
    });
    expect(letters[1]).toMatchObject({ key: 'k3', sourceOffset: '3', errorCode: 'VALIDATION_FAILED', reason: 'borough code is not a Met borough' });
  });

  it('treats a metrics hook that throws as no failure of the message: nothing is dead-lettered or retried', async () => {
    const handled: string[] = [];
    const letters: string[] = [];
    const running = createStageConsumer({
      kafka,
      groupId: uniqueName('stage-hooks-group'),
      topics: [hooked],
      stage: { name: 'test-stage', decode: async ({ message }) => message.value!.toString(), handle: async (value) => void handled.push(value) },
      service: 'test',
      logger,
      deadLetters: async (_topic, _key, letter) => void letters.push(letter.errorCode),
      onOutcome: () => {
        throw new Error('metrics broke');
      },
      onLag: () => {
        throw new Error('metrics broke');
      },
    });
    await producer.send({ topic: hooked, messages: [{ value: 'a' }, { value: 'b' }] });
    await running.start();
    try {
      await waitFor('both messages to be handled', () => handled.length === 2);
      expect(handled).toEqual(['a', 'b']);
      expect(letters).toEqual([]);
    } finally {
      await running.stop();
    }
  });

  it("commits nothing whose output failed to flush: those messages come again, and every output is written once the flush succeeds", async () => {
    // A stage that "sends" in the background: outputs wait in a list until flush writes them.
    const waiting: string[] = [];
    const written: string[] = [];
    let flushes = 0;
    const stage: Stage<string> = {
      name: 'flushing-stage',
      async decode({ message }) {
        return message.value!.toString();
      },
      async handle(value) {
        waiting.push(value);
      },
      async flush() {
        // The first flush fails as a broken broker would: nothing it held may be committed.
        if (++flushes === 1) {
          waiting.length = 0;
          throw new DauntlessError('KAFKA_UNAVAILABLE', 'broker gone', { retriable: true });
        }
        written.push(...waiting.splice(0));
      },
    };
    const groupId = uniqueName('flush');
    const consumer = createStageConsumer({ kafka, groupId, topics: [flushed], service: 'test', logger, stage, deadLetters: async () => undefined, retry: { initialMs: 10, maxMs: 50 } });
    await producer.send({ topic: flushed, messages: ['m1', 'm2', 'm3'].map((value) => ({ value })) });
    await consumer.start();
    try {
      await waitFor('all three outputs written after the failed flush', () => ['m1', 'm2', 'm3'].every((m) => written.includes(m)), { timeoutMs: 30_000 });
    } finally {
      await consumer.stop();
    }
    expect(flushes).toBeGreaterThanOrEqual(2);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [flushed] });
    expect(committed!.partitions[0]!.offset).toBe('3');
  }, 40_000);

  it('commits at most once per commit interval while messages arrive one by one, and what is done when it stops', async () => {
    const handled: string[] = [];
    const stage: Stage<string> = { name: 'paced', decode: async ({ message }) => message.value!.toString(), handle: async (value) => void handled.push(value) };
    const groupId = uniqueName('paced');
    // An interval longer than the test: every commit seen is one the policy made early.
    const consumer = createStageConsumer({ kafka, groupId, topics: [paced], service: 'test', logger, stage, deadLetters: async () => undefined, commitIntervalMs: 60_000 });
    let commits = 0;
    consumer.consumer.on(consumer.consumer.events.COMMIT_OFFSETS, () => void commits++);
    await consumer.start();
    try {
      // Each sent alone and handled before the next: kafkajs's own policy would commit after each of these batches.
      for (let i = 1; i <= 8; i++) {
        await producer.send({ topic: paced, messages: [{ value: `m${i}` }] });
        await waitFor(`m${i} handled`, () => handled.includes(`m${i}`));
      }
      expect(commits).toBe(0);
      const [before] = await admin.fetchOffsets({ groupId, topics: [paced] });
      expect(before!.partitions[0]!.offset).toBe('-1');
    } finally {
      await consumer.stop();
    }
    expect(commits).toBe(1);
    const [after] = await admin.fetchOffsets({ groupId, topics: [paced] });
    expect(after!.partitions[0]!.offset).toBe('8');
  });
});
