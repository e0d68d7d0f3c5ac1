import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { createBatchedSender } from '../../shared/kafka/batched-sender.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import type { CompressionName } from '../../shared/kafka/load-compression.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { testEndpoints } from '../helpers/endpoints.ts';
import { kcatConnection, testKafkaSecurity } from '../helpers/kafka-security.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

// Every codec Kafka has, both ways, against the real broker, with kcat
// (librdkafka, the client of most non-Java producers) as the other client:
// librdkafka writes snappy raw, lz4 as its own LZ4 frames and zstd streamed
// without a content size, so what it writes is not what our codecs write.
// The topics accept batches of at most MAX_BATCH_BYTES and the large value is
// several times that: the broker takes it only if it really came compressed.

const endpoints = testEndpoints();
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'compression-codecs-test', logger, security: testKafkaSecurity() });
const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const satisfies readonly CompressionName[];
const MAX_BATCH_BYTES = 150_000;
// ~450 KB of call-like JSON: more than one 32 KiB snappy block and 64 KiB lz4 block, and three times the topic's limit.
const large = Array.from({ length: 9_000 }, (_, i) => `{"incidentId":"CAD-${i}","boroughCode":"E09000${String(i % 33).padStart(3, '0')}"}`).join(',');
const topics = Object.fromEntries(CODECS.map((codec) => [codec, { ours: uniqueName(`codecs.${codec}.ours`), theirs: uniqueName(`codecs.${codec}.librdkafka`) }]));
const uncompressed = uniqueName('codecs.none');
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  const all = [uncompressed, ...Object.values(topics).flatMap((t) => [t.ours, t.theirs])];
  await admin.createTopics({
    topics: all.map((topic) => ({ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(MAX_BATCH_BYTES) }] })),
    waitForLeaders: true,
  });
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [uncompressed, ...Object.values(topics).flatMap((t) => [t.ours, t.theirs])] }).catch(() => undefined);
  await admin.disconnect();
});

/** Runs kcat with `input` on its stdin; resolves with its stdout, rejects with its stderr. */
function kcat(args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', [...kcatConnection(endpoints.kafkaBrokers), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 2000)}`));
    });
    child.stdin.end(input);
  });
}

/** Reads a topic from the beginning with our consumer until `count` messages came. */
async function consumeWithOurs(client: Kafka, topic: string, count: number): Promise<{ key: string; value: string }[]> {
  const received: { key: string; value: string }[] = [];
  const consumer = client.consumer({ groupId: uniqueName('codecs-reader'), maxWaitTimeInMs: 50 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push({ key: message.key!.toString(), value: message.value!.toString() }) });
    await waitFor(`${count} messages on ${topic}`, () => received.length >= count);
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('compression against the real broker', () => {
  it('a batch too large for the topic uncompressed is refused, so the codec tests below show real compression', async () => {
    const producer = kafka.producer();
    await producer.connect();
    try {
      const sender = createBatchedSender({ producer, compression: 'none' });
      await expect(sender.send(uncompressed, { key: 'large', value: large })).rejects.toThrow(/Kafka did not take/);
    } finally {
      await producer.disconnect();
    }
  });

  describe.each(CODECS)('%s', (codec) => {
    it('what our producer writes, our consumer and librdkafka read back byte for byte', async () => {
      const topic = topics[codec]!.ours;
      const producer = kafka.producer();
      await producer.connect();
      try {
        const sender = createBatchedSender({ producer, compression: codec });
        // One batch: the three go within the same linger.
        await Promise.all([sender.send(topic, { key: 'small', value: `victim at E09000022 (${codec})` }), sender.send(topic, { key: 'empty', value: '' }), sender.send(topic, { key: 'large', value: large })]);
      } finally {
        await producer.disconnect();
      }

      const ours = await consumeWithOurs(kafka, topic, 3);
      expect(ours).toEqual([
        { key: 'small', value: `victim at E09000022 (${codec})` },
        { key: 'empty', value: '' },
        { key: 'large', value: large },
      ]);

      const theirs = await kcat(['-C', '-t', topic, '-o', 'beginning', '-c', '3', '-e', '-q', '-f', '%k\t%S\t%s\n']);
      expect(theirs).toBe(`small\t${`victim at E09000022 (${codec})`.length}\tvictim at E09000022 (${codec})\nempty\t0\t\nlarge\t${large.length}\t${large}\n`);
    });

    it('what librdkafka writes, our consumer reads', async () => {
      const topic = topics[codec]!.theirs;
      await kcat(['-P', '-t', topic, '-z', codec, '-K', '\t', '-X', 'linger.ms=50'], `small\tvictim at E09000033 (${codec})\nlarge\t${large}\n`);
      const ours = await consumeWithOurs(kafka, topic, 2);
      expect(ours).toEqual([
        { key: 'small', value: `victim at E09000033 (${codec})` },
        { key: 'large', value: large },
      ]);
    });
  });
});
