import { describe, expect, it } from 'vitest';
import { createBatchedSender, createPartitionOutbox } from './batched-sender.ts';

// The producer here only records requests: what is tested is the batching and
// the bookkeeping, not Kafka (test/e2e runs the sender against the broker).
function recordingProducer(fail: (n: number) => boolean = () => false) {
  const requests: { topic: string; keys: string[] }[][] = [];
  return {
    requests,
    async sendBatch({ topicMessages }: { topicMessages: { topic: string; messages: { key?: unknown }[] }[] }) {
      requests.push(topicMessages.map((t) => ({ topic: t.topic, keys: t.messages.map((m) => String(m.key)) })));
      await new Promise((done) => setTimeout(done, 5));
      if (fail(requests.length)) throw new Error('broker gone');
      return [];
    },
  };
}

describe('createBatchedSender', () => {
  it('gathers messages sent together into one request, by topic, in order', async () => {
    const producer = recordingProducer();
    const sender = createBatchedSender({ producer: producer as never, lingerMs: 5 });
    await Promise.all([sender.send('a', { key: '1', value: 'x' }), sender.send('b', { key: '2', value: 'x' }), sender.send('a', { key: '3', value: 'x' })]);
    expect(producer.requests).toEqual([[{ topic: 'a', keys: ['1', '3'] }, { topic: 'b', keys: ['2'] }]]);
  });

  it('sends at once when maxBatch are waiting, and one request at a time', async () => {
    const producer = recordingProducer();
    const sender = createBatchedSender({ producer: producer as never, lingerMs: 1000, maxBatch: 2 });
    const sends = ['1', '2', '3', '4'].map((key) => sender.send('a', { key, value: 'x' }));
    await Promise.all(sends);
    expect(producer.requests.map((r) => r[0]!.keys)).toEqual([['1', '2'], ['3', '4']]);
  });

  it('rejects the messages of a failed request with a retriable error, and only those', async () => {
    const producer = recordingProducer((n) => n === 1);
    const sender = createBatchedSender({ producer: producer as never, lingerMs: 1 });
    const first = sender.send('a', { key: '1', value: 'x' });
    await expect(first).rejects.toMatchObject({ code: 'KAFKA_UNAVAILABLE', retriable: true });
    await expect(sender.send('a', { key: '2', value: 'x' })).resolves.toBeUndefined();
  });

  it('asks for the codec it was given, and for none by default (test/integration/compression-codecs.test.ts checks the broker gets it)', async () => {
    const codecs: unknown[] = [];
    const producer = {
      async sendBatch({ compression }: { compression?: number }) {
        codecs.push(compression);
        return [];
      },
    };
    await createBatchedSender({ producer: producer as never, lingerMs: 1, compression: 'zstd' }).send('a', { key: '1', value: 'x' });
    await createBatchedSender({ producer: producer as never, lingerMs: 1 }).send('a', { key: '1', value: 'x' });
    expect(codecs).toEqual([4, 0]);
  });
});

describe('createPartitionOutbox', () => {
  it("waits for one partition's sends and throws its failure, leaving other partitions alone", async () => {
    const outbox = createPartitionOutbox();
    const p0 = { topic: 't', partition: 0 };
    const p1 = { topic: 't', partition: 1 };
    let sent = false;
    outbox.add(p0, new Promise<void>((done) => setTimeout(() => ((sent = true), done()), 10)));
    outbox.add(p1, Promise.reject(new Error('lost')));
    await outbox.flush(p0);
    expect(sent).toBe(true);
    await expect(outbox.flush(p1)).rejects.toThrow('lost');
    // Flushed sends are forgotten: a second flush has nothing to wait for.
    await expect(outbox.flush(p1)).resolves.toBeUndefined();
  });
});
