import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { validateIncident } from '../../shared/contracts/incident.ts';
import { produceCalls } from '../../shared/synth/produce-calls.ts';
import { createCallStream, type IncidentTruth } from '../../shared/synth/call-stream.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';

const run = promisify(execFile);
const { endpoints, kafka, codec, producer } = kafkaTestKit('simulate-test', () => [
  { topic, partitions: 3, valueSchema: 'incident-reported.avsc' },
  { topic: cliTopic, partitions: 1, valueSchema: 'incident-reported.avsc' },
]);
const topic = `${uniqueName('simulate')}.v1`;
const cliTopic = `${uniqueName('simulate-cli')}.v1`;

describe('the call simulator', () => {
  it('sends a synthetic call stream at the rate, keyed by incident id, and every call decodes back as sent, with its truth', async () => {
    const stream = createCallStream({ seed: 'integration', persons: 1000, rate: 100, horizonCalls: 50 });
    const sentValues = new Map<string, unknown>();
    const truths: IncidentTruth[] = [];
    const result = await produceCalls({
      producer,
      codec: { encode: (subject, value) => (sentValues.set((value as { incidentId: string }).incidentId, value), codec.encode(subject, value)) },
      topic,
      stream,
      rate: 100,
      count: 50,
      clock: 'live',
      truthSink: (t) => void truths.push(t),
    });
    expect(result).toMatchObject({ sent: 50, stopped: false });
    // 50 calls at 100 a second: the last falls due at 0.49 s.
    expect(result.seconds).toBeGreaterThan(0.4);

    const reader = await collectDecoded(kafka, codec, topic);
    try {
      await waitFor('all 50 calls to be read back', () => reader.values.length >= 50);
    } finally {
      await reader.stop();
    }
    expect(reader.values).toHaveLength(50);
    for (const { key, ...incident } of reader.values) {
      expect(key).toBe(incident.incidentId);
      expect(incident).toEqual(sentValues.get(incident.incidentId));
      expect(validateIncident(incident, { now: Date.now() })).toEqual({ ok: true });
    }
    const truthById = new Map(truths.map((t) => [t.incidentId, t]));
    expect(truthById.size).toBe(50);
    for (const value of reader.values) {
      const truth = truthById.get(value.incidentId)!;
      expect(truth.receivedAt).toBe(value.receivedAt);
      expect(truth.parties.map((p) => p.partyId)).toEqual(value.parties.map((p: { partyId: string }) => p.partyId));
    }
  });

  it('runs as `dauntless simulate`, writing the truth of every call it sent as JSON lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dauntless-simulate-'));
    const truthFile = join(dir, 'truth.jsonl');
    const { stdout } = await run(
      'node',
      ['bin/dauntless.js', 'simulate', '--rate', '40', '--duration', '0.5', '--seed', '7', '--persons', '800', '--topic', cliTopic, '--truth', truthFile, '--clock', 'simulated', '--span-days', '30'],
      { env: { ...process.env, KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), REDIS_URL: endpoints.redisUrl, SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl }, timeout: 60_000 },
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ sent: 20, truth: truthFile, topic: cliTopic, clock: 'simulated', seed: '7' });
    const truths = readFileSync(truthFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as IncidentTruth);
    expect(truths).toHaveLength(20);
    // A simulated history: the calls spread over the last 30 days, in order.
    const now = Date.now();
    expect(truths[0]!.receivedAt).toBeLessThan(now - 15 * 86_400_000);
    // In order; calls of the history that fall past now are all stamped now, so neighbours may share an instant.
    for (let i = 1; i < truths.length; i++) expect(truths[i]!.receivedAt).toBeGreaterThanOrEqual(truths[i - 1]!.receivedAt);

    const reader = await collectDecoded(kafka, codec, cliTopic);
    try {
      await waitFor('the 20 calls to be read back', () => reader.values.length >= 20);
    } finally {
      await reader.stop();
    }
    expect(reader.values.map((v) => [v.incidentId, v.receivedAt])).toEqual(truths.map((t) => [t.incidentId, t.receivedAt]));
  });

  it('says a topic that does not exist does not, and exits 1', async () => {
    const missing = `${uniqueName('missing')}.v1`;
    const failed = await run('node', ['bin/dauntless.js', 'simulate', '--rate', '5', '--duration', '1', '--topic', missing, '--persons', '200'], {
      env: { ...process.env, KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), REDIS_URL: endpoints.redisUrl, SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl },
      timeout: 60_000,
    }).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(`topic ${missing} does not exist`);
  });
});
