import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IHeaders } from 'kafkajs';
import { valueSubject } from '../../shared/contracts/topics.ts';
import type { DeadLetter } from '../../shared/kafka/dead-letter.ts';
import { replay, type ReplayOptions } from '../../services/cli/dlq.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';
import { testKafkaSecurity } from '../helpers/kafka-security.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { accessTokenFor, seededUser } from '../helpers/sign-in.ts';
import { collector } from '../helpers/collector.ts';

const execFileAsync = promisify(execFile);
// The replay runs as the CLI does, as the operator (deploy/principals.ts).
const operator = testKafkaSecurity('dauntless-operator');

// A dead-letter topic and the input it belongs to, both of this file's own.
const base = uniqueName('cad.incidents');
const sourceTopic = `${base}.v1`;
const dlqTopic = `${base}.dlq.v1`;
const { endpoints, logger, kafka, codec, admin, producer } = kafkaTestKit('dlq-replay-test', () => [
  { topic: sourceTopic, partitions: 2, valueSchema: 'incident-reported.avsc' },
  { topic: dlqTopic, partitions: 1, valueSchema: 'dead-letter.avsc' },
]);


const letterOf = (overrides: Partial<DeadLetter> & Pick<DeadLetter, 'sourcePartition' | 'sourceOffset' | 'errorCode' | 'reason'>): DeadLetter => ({
  sourceTopic, originalKey: null, originalValue: null, originalHeaders: [], failedAt: Date.UTC(2026, 10, 25, 21, 15), service: 'resolver', stage: 'resolve-incident',
  originalValueSha256: null, originalValueBytes: null, ...overrides,
});

/** The letters on the dead-letter topic, at offsets 0 to 4. The originals are in the registry wire format of the source topic, or bytes that are not. */
async function writeLetters(): Promise<DeadLetter[]> {
  const incident = (n: number) => codec.encode(valueSubject(sourceTopic), sampleIncident({ incidentId: `CAD-R-${n}`, eventId: `evt-r-${n}` }));
  const letters = [
    letterOf({
      sourcePartition: 1, sourceOffset: '10', errorCode: 'VALIDATION_FAILED', reason: 'boroughCode E09000001 is not a Met borough',
      originalKey: Buffer.from('CAD-R-0'), originalValue: await incident(0),
      // Not text, a key twice: each must come back as it was.
      originalHeaders: [
        { key: 'trace', value: Buffer.from('t-0') },
        { key: 'raw', value: Buffer.from([0xff, 0x00, 0xfe]) },
        { key: 'hop', value: Buffer.from('a') },
        { key: 'hop', value: Buffer.from('b') },
      ],
    }),
    letterOf({ sourcePartition: 0, sourceOffset: '11', errorCode: 'DECODE_FAILED', reason: 'The message starts with byte 110, not the schema-registry magic byte 0', originalKey: Buffer.from('CAD-R-1'), originalValue: Buffer.from([0x6e, 0x6f, 0xff, 0x00]) }),
    letterOf({ sourcePartition: 0, sourceOffset: '12', errorCode: 'VALIDATION_FAILED', reason: 'party 1 has no name, phone, email, date of birth or address to resolve', originalKey: Buffer.from('CAD-R-2'), originalValue: await incident(2), originalHeaders: [{ key: 'trace', value: Buffer.from('t-2') }] }),
    letterOf({
      sourcePartition: 1, sourceOffset: '13', errorCode: 'PROGRAMMER_ERROR', reason: 'unexpected TypeError while processing [too large for a dead letter]',
      originalKey: Buffer.from('CAD-R-3'), originalValueSha256: createHash('sha256').update('a value too large').digest('hex'), originalValueBytes: 3_000_000,
    }),
    // A message that had no key goes back without one.
    letterOf({ sourcePartition: 1, sourceOffset: '14', errorCode: 'PROGRAMMER_ERROR', reason: 'unexpected TypeError while processing', originalValue: await incident(4) }),
  ];
  for (const letter of letters) {
    await producer.send({ topic: dlqTopic, messages: [{ key: letter.originalKey, value: await codec.encode(valueSubject(dlqTopic), letter) }] });
  }
  return letters;
}

type Landed = { partition: number; key: Buffer | null; value: Buffer | null; headers: { key: string; value: Buffer | null }[] };

/** A kafkajs header object as the letter's list: in order, a repeated key once a value. */
const headerList = (headers: IHeaders | undefined) =>
  Object.entries(headers ?? {}).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((one) => ({ key, value: (one ?? null) as Buffer | null })));

/** Everything on the source topic, raw, in partition and offset order; the high watermarks say how much there is, so nothing else can hide. */
async function sourceMessages(): Promise<Landed[]> {
  const total = (await admin.fetchTopicOffsets(sourceTopic)).reduce((n, p) => n + Number(p.high), 0);
  if (total === 0) return [];
  const landed: (Landed & { offset: number })[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('dlq-replay-reader'), maxWaitTimeInMs: 50 });
  await reader.connect();
  try {
    await reader.subscribe({ topic: sourceTopic, fromBeginning: true });
    await reader.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) =>
        void landed.push({ partition, offset: Number(message.offset), key: message.key, value: message.value, headers: headerList(message.headers) }),
    });
    await waitFor(`${total} messages on ${sourceTopic}`, () => landed.length >= total);
  } finally {
    await reader.disconnect();
  }
  return landed.sort((a, b) => a.partition - b.partition || a.offset - b.offset).map(({ offset: _offset, ...message }) => message);
}

const original = ({ sourcePartition, originalKey, originalValue, originalHeaders }: DeadLetter): Landed => ({ partition: sourcePartition, key: originalKey, value: originalValue, headers: originalHeaders });

const replayOf = (options: Partial<ReplayOptions>) => ({ topics: [dlqTopic], codes: [], offsets: [], all: false, dryRun: false, ...options });

// Each case replays more onto the source topic; they run in order, each checking all it holds.
describe('dauntless dlq replay', () => {
  let letters: DeadLetter[];
  beforeAll(async () => {
    letters = await writeLetters();
  });

  it('says with --dry-run what it would send (code, reason, source position), sends nothing and prints none of the original bytes', async () => {
    const out = collector();
    expect(await replay(replayOf({ codes: ['VALIDATION_FAILED'], dryRun: true }), { endpoints, kafkaSecurity: operator, out, logger, codec })).toBe(0);
    expect(out.text().trim().split('\n')).toEqual([
      `would replay ${dlqTopic} 0@0 VALIDATION_FAILED to ${sourceTopic} partition 1 (failed there at offset 10): boroughCode E09000001 is not a Met borough`,
      `would replay ${dlqTopic} 0@2 VALIDATION_FAILED to ${sourceTopic} partition 0 (failed there at offset 12): party 1 has no name, phone, email, date of birth or address to resolve`,
      `dry run, nothing sent: would replay 2 of 5 letter(s) read from ${dlqTopic}; would skip 0; 3 not chosen`,
    ]);
    // Keys, names and phone numbers of the originals stay out of the report.
    for (const secret of ['CAD-R-', 'EXAMPLE-TESTER', '07700', Buffer.from('t-0').toString('base64')]) expect(out.text()).not.toContain(secret);
    expect(await sourceMessages()).toEqual([]);
  });

  it('sends the letters of a code back to their source, byte for byte, through the CLI, and nothing else', async () => {
    const { stdout, stderr } = await execFileAsync('node', ['bin/dauntless.js', 'dlq', 'replay', '--from', dlqTopic, '--code', 'VALIDATION_FAILED'], {
      // An administrator keeps the pipeline running, and sees no one in what the replay prints.
      env: { ...process.env, KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), REDIS_URL: endpoints.redisUrl, SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl, DAUNTLESS_ACCESS_TOKEN: await accessTokenFor(seededUser('administrator')) },
      timeout: 45_000,
    });
    expect(stderr).toBe('');
    expect(stdout).toMatch(new RegExp(`^replayed ${dlqTopic.replaceAll('.', '\\.')} 0@0 VALIDATION_FAILED to \\S+ partition 1 at offset 0 \\(failed there at offset 10\\)`, 'm'));
    expect(stdout.trim().split('\n').at(-1)).toBe(`replayed 2 of 5 letter(s) read from ${dlqTopic}; skipped 0; 3 not chosen`);
    expect(await sourceMessages()).toEqual([original(letters[2]!), original(letters[0]!)]);
  });

  it('sends the letters at the offsets named, a key-less one without a key', async () => {
    const out = collector();
    expect(await replay(replayOf({ offsets: [{ offset: 1n }, { offset: 4n }] }), { endpoints, kafkaSecurity: operator, out, logger, codec })).toBe(0);
    expect(out.text().trim().split('\n').at(-1)).toBe(`replayed 2 of 5 letter(s) read from ${dlqTopic}; skipped 0; 3 not chosen`);
    // Partition 0 in offset order, then partition 1: what the code replay sent, then these.
    expect(await sourceMessages()).toEqual([original(letters[2]!), original(letters[1]!), original(letters[0]!), original(letters[4]!)]);
  });

  it('reports a reduced letter with where its original is, and an offset with no letter, and sends neither (exit 1)', async () => {
    const out = collector();
    expect(await replay(replayOf({ offsets: [{ offset: 3n }, { offset: 9n }] }), { endpoints, kafkaSecurity: operator, out, logger, codec })).toBe(1);
    const lines = out.text().trim().split('\n');
    expect(lines).toContain(`skipped ${dlqTopic} 9: no letter there (read from the beginning to the end it had at the start)`);
    expect(lines).toContain(
      `skipped ${dlqTopic} 0@3 PROGRAMMER_ERROR: a reduced letter: its value (3000000 bytes, SHA-256 ${letters[3]!.originalValueSha256}) was too large to carry, so it cannot be replayed from the letter; ` +
        `the original is at ${sourceTopic} partition 1 offset 13 while that topic retains it`,
    );
    expect(lines.at(-1)).toBe(`replayed 0 of 5 letter(s) read from ${dlqTopic}; skipped 2 (1 no letter at that offset, 1 reduced: the value is not in the letter); 4 not chosen`);
    expect(await sourceMessages()).toHaveLength(4);
  });
});
