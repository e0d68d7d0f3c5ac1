import { describe, expect, it } from 'vitest';
import { createCallStream, type IncidentTruth } from './call-stream.ts';
import { createPopulation } from './population.ts';
import { produceCalls } from './produce-calls.ts';

const population = createPopulation({ seed: 3, persons: 600 });
const history = () => createCallStream({ seed: 3, population, start: new Date('2024-01-01T00:00:00Z'), meanGapMs: 3_600_000 });

/** A producer that keeps what it was given, and a codec that encodes to JSON: the edge without a broker. */
function fakes() {
  const batches: { topic: string; acks?: number; messages: { key: string; value: Buffer; timestamp?: string }[] }[] = [];
  const subjects = new Set<string>();
  return {
    batches,
    subjects,
    producer: { send: async (record: any) => void batches.push(record) as any },
    codec: { encode: async (subject: string, value: unknown) => (subjects.add(subject), Buffer.from(JSON.stringify(value))) },
    sent: () => batches.flatMap((b) => b.messages.map((m) => ({ key: m.key, value: JSON.parse(m.value.toString()) }))),
  };
}

describe('produceCalls', () => {
  it('sends count calls keyed by incident id, encoded under the topic’s value subject, with acks from all replicas', async () => {
    const f = fakes();
    const truths: IncidentTruth[] = [];
    const result = await produceCalls({ ...f, topic: 'cad.test.v1', stream: history(), rate: 1000, count: 30, clock: 'simulated', truthSink: (t) => void truths.push(t) });
    expect(result).toMatchObject({ sent: 30, stopped: false });
    expect(f.subjects).toEqual(new Set(['cad.test.v1-value']));
    expect(f.batches.every((b) => b.topic === 'cad.test.v1' && b.acks === -1)).toBe(true);
    const sent = f.sent();
    expect(sent.map((m) => m.key)).toEqual(sent.map((m) => m.value.incidentId));
    expect(truths.map((t) => [t.incidentId, t.receivedAt])).toEqual(sent.map((m) => [m.value.incidentId, m.value.receivedAt]));
  });

  it('splits a backlog sent at once into requests of at most 500 calls, in order (the broker takes at most 1 MB a batch)', async () => {
    const f = fakes();
    const result = await produceCalls({ ...f, topic: 'cad.test.v1', stream: history(), rate: 1_000_000, count: 1_234, clock: 'simulated' });
    expect(result.sent).toBe(1_234);
    const sizes = f.batches.map((b) => b.messages.length);
    expect(Math.max(...sizes)).toBe(500);
    expect(sizes.reduce((a, b) => a + b)).toBe(1_234);
    const keys = f.sent().map((m) => m.key);
    expect(new Set(keys).size).toBe(1_234);
    expect(keys).toEqual(f.sent().sort((a, b) => a.value.receivedAt - b.value.receivedAt).map((m) => m.key));
  });

  it('stamps a backlog’s Kafka timestamps from the send time, rising in call order, so the resolver takes them across partitions in call order', async () => {
    const f = fakes();
    const before = Date.now();
    await produceCalls({ ...f, topic: 't', stream: history(), rate: 1_000_000, count: 1_234, clock: 'simulated' });
    const timestamps = f.batches.flatMap((b) => b.messages.map((m) => Number(m.timestamp)));
    expect(timestamps).toHaveLength(1_234);
    expect(timestamps[0]).toBeGreaterThanOrEqual(before);
    for (let i = 1; i < timestamps.length; i++) expect(timestamps[i]).toBeGreaterThan(timestamps[i - 1]!);
    expect(f.batches.some((b) => b.messages.length > 1)).toBe(true);
  });

  it('keeps a simulated history’s own times, in order', async () => {
    const f = fakes();
    const expected = history().take(20);
    await produceCalls({ ...f, topic: 't', stream: history(), rate: 1000, count: 20, clock: 'simulated' });
    expect(f.sent().map((m) => m.value)).toEqual(expected.map((c) => c.incident));
  });

  it('restamps live calls to the wall clock at sending, keeping reportedAt the same distance before', async () => {
    const f = fakes();
    const expected = history().take(20);
    const before = Date.now();
    await produceCalls({ ...f, topic: 't', stream: history(), rate: 1000, count: 20, clock: 'live' });
    const sent = f.sent().map((m) => m.value);
    for (let i = 0; i < sent.length; i++) {
      expect(sent[i].receivedAt).toBeGreaterThanOrEqual(before);
      expect(sent[i].receivedAt).toBeLessThanOrEqual(Date.now());
      expect(sent[i].receivedAt - sent[i].reportedAt).toBe(expected[i]!.incident.receivedAt - expected[i]!.incident.reportedAt);
      if (i > 0) expect(sent[i].receivedAt).toBeGreaterThanOrEqual(sent[i - 1].receivedAt);
      expect(sent[i].incidentId).toBe(expected[i]!.incident.incidentId);
    }
  });

  it('never sends a simulated call timed after now', async () => {
    const f = fakes();
    const future = createCallStream({ seed: 3, population, start: new Date(Date.now() + 86_400_000), rate: 1 });
    await produceCalls({ ...f, topic: 't', stream: future, rate: 1000, count: 5, clock: 'simulated' });
    for (const m of f.sent()) expect(m.value.receivedAt).toBeLessThanOrEqual(Date.now());
  });

  it('paces the calls at the rate, in small batches', async () => {
    const f = fakes();
    const onSent: number[] = [];
    const result = await produceCalls({ ...f, topic: 't', stream: history(), rate: 200, durationSeconds: 0.5, clock: 'live', onSent: (_id, at) => void onSent.push(at) });
    expect(result.sent).toBe(100);
    expect(onSent).toHaveLength(100);
    // 100 calls at 200 a second: the last falls due at 0.495 s.
    expect(result.seconds).toBeGreaterThan(0.45);
    expect(result.seconds).toBeLessThan(1.5);
    expect(f.batches.length).toBeGreaterThan(10);
    expect(Math.max(...f.batches.map((b) => b.messages.length))).toBeLessThan(30);
  });

  it('stops when asked, saying it stopped', async () => {
    const f = fakes();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const result = await produceCalls({ ...f, topic: 't', stream: history(), rate: 100, durationSeconds: 10, clock: 'live', signal: abort.signal });
    expect(result.stopped).toBe(true);
    expect(result.sent).toBeGreaterThan(0);
    expect(result.sent).toBeLessThan(100);
  });

  it('refuses options that cannot work', async () => {
    const f = fakes();
    await expect(produceCalls({ ...f, topic: 't', stream: history(), rate: 0, count: 1, clock: 'live' })).rejects.toThrow(/rate must be/);
    await expect(produceCalls({ ...f, topic: 't', stream: history(), rate: 1, clock: 'live' })).rejects.toThrow(/durationSeconds or count/);
    await expect(produceCalls({ ...f, topic: 't', stream: history(), rate: 1, count: 1, durationSeconds: 1, clock: 'live' })).rejects.toThrow(/durationSeconds or count/);
  });
});
