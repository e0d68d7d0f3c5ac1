// The simulator's Kafka edge: sends a call stream (shared/synth/call-stream.ts)
// to a topic at a steady rate. Output: the topic (cad.incidents.v1 or one of a
// test's own), key = incidentId, value = IncidentReported in the registry wire
// format under valueSubject(topic). Each call's truth goes to `truthSink` once
// the broker has acknowledged it (acks = all), so the truth file holds exactly
// what was sent. A failing broker or registry is not retried here: kafkajs
// retries inside `send`; what still fails is thrown to the caller, with the
// counts of what was sent before it in the truth already.
//
// Kafka timestamps: the send time, one millisecond apart within a batch, so
// they rise in call order. The resolver takes calls across partitions in
// timestamp order (shared/kafka/call-order.ts); left to the producer, a
// batch shares one timestamp and a backlog would be taken partition by
// partition among equals. Not the calls' own simulated times: a history
// months old would be past the topics' retention, deleted by the broker
// minutes after it was sent.
//
// Pacing: every tick (default 10 ms) it sends, as one batch, the calls that
// have fallen due at `rate`, so the stream is smooth at any rate and catches
// up when a send was slow. Reused by the benchmarks, which pass `onSent` to
// time each incident from send to its pre-arrival intelligence.

import type { Producer } from 'kafkajs';
import { valueSubject } from '../contracts/topics.ts';
import type { AvroCodec } from '../schema-registry/avro-codec.ts';
import type { IncidentTruth, SimulatedCall } from './call-stream.ts';
import { COMPRESSIONS, type CompressionName } from '../kafka/load-compression.ts';

/**
 * - `live`: receivedAt is the wall clock when the call is sent (reportedAt
 *   keeps its distance before it): the pre-arrival clock of a live control room.
 * - `simulated`: the stream's own times (a history spread over months), only
 *   never later than now: a call the stream times in the future is sent as "now".
 */
export type CallClock = 'live' | 'simulated';

export type ProduceCallsOptions = {
  producer: Pick<Producer, 'send'>;
  codec: Pick<AvroCodec, 'encode'>;
  topic: string;
  stream: { next(): SimulatedCall };
  /** Calls per second, > 0. */
  rate: number;
  /** Send for this long (seconds): round(rate × durationSeconds) calls. Give this or `count`. */
  durationSeconds?: number;
  /** Send exactly this many calls. */
  count?: number;
  clock: CallClock;
  /** How often to send what has fallen due, ms. Default 10. */
  tickMs?: number;
  /** After the broker acknowledged a call; sentAtMs is the wall clock (epoch ms) its batch was handed to the producer. */
  onSent?: (incidentId: string, sentAtMs: number) => void;
  /** The truth of each call, as sent; awaited, so a file sink can apply back-pressure. */
  truthSink?: (truth: IncidentTruth) => void | Promise<void>;
  /** The codec of each request (DAUNTLESS_KAFKA_COMPRESSION). Default none. */
  compression?: CompressionName;
  /** Stops sending after the batch in flight (Ctrl-C). */
  signal?: AbortSignal;
  /** Wall clock, epoch ms (tests). Default Date.now. */
  now?: () => number;
};

export type ProduceCallsResult = {
  sent: number;
  /** From the first send to the last acknowledgement. */
  seconds: number;
  /** Achieved calls per second. */
  rate: number;
  /** True when the signal stopped the run before every call was sent. */
  stopped: boolean;
};

/** Calls per produce request: about 250 KB, well under the broker's 1 MB batch limit. */
const MAX_SEND = 500;

/** Sends the stream's calls at the rate; returns what was sent. Throws a RangeError on options that cannot work. */
export async function produceCalls(opts: ProduceCallsOptions): Promise<ProduceCallsResult> {
  const { producer, codec, topic, stream, rate, clock, onSent, truthSink, signal } = opts;
  if (!(rate > 0 && Number.isFinite(rate))) throw new RangeError(`produceCalls: rate must be a number > 0 calls per second (got ${rate})`);
  if ((opts.durationSeconds === undefined) === (opts.count === undefined)) throw new RangeError('produceCalls: give durationSeconds or count, one of them');
  const total = opts.count ?? Math.round(rate * opts.durationSeconds!);
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`produceCalls: the run must be a whole number of calls ≥ 0 (got ${total})`);
  if (clock !== 'live' && clock !== 'simulated') throw new RangeError(`produceCalls: clock must be "live" or "simulated" (got "${String(clock)}")`);
  const tickMs = opts.tickMs ?? 10;
  if (!(tickMs > 0)) throw new RangeError(`produceCalls: tickMs must be > 0 (got ${tickMs})`);
  const now = opts.now ?? Date.now;
  const subject = valueSubject(topic);

  let sent = 0;
  let lastReceivedAt = -Infinity;
  let lastTimestamp = -Infinity;
  const started = performance.now();
  let lastAck = started;
  while (sent < total && !signal?.aborted) {
    const elapsedMs = performance.now() - started;
    // Call i (from 0) falls due at i / rate seconds: the first at once.
    const due = Math.min(total, Math.floor((elapsedMs / 1000) * rate) + 1);
    if (due > sent) {
      const sentAtMs = now();
      const batch = Array.from({ length: due - sent }, () => restamp(stream.next(), clock, sentAtMs));
      for (const call of batch) {
        // Keep receivedAt in order across batches even if the wall clock steps back.
        if (call.incident.receivedAt < lastReceivedAt) shift(call, lastReceivedAt - call.incident.receivedAt);
        lastReceivedAt = call.incident.receivedAt;
      }
      const values = await Promise.all(batch.map((call) => codec.encode(subject, call.incident)));
      const timestamps = batch.map(() => (lastTimestamp = Math.max(sentAtMs, lastTimestamp + 1)));
      // At most MAX_SEND calls a request: a backlog sent at once would pass the broker's largest batch (1 MB).
      for (let from = 0; from < batch.length; from += MAX_SEND) {
        const part = batch.slice(from, from + MAX_SEND);
        await producer.send({ topic, acks: -1, compression: COMPRESSIONS[opts.compression ?? 'none'], messages: part.map((call, i) => ({ key: call.incident.incidentId, value: values[from + i]!, timestamp: String(timestamps[from + i]) })) });
      }
      lastAck = performance.now();
      sent += batch.length;
      for (const call of batch) {
        if (truthSink) await truthSink(call.truth);
        onSent?.(call.incident.incidentId, sentAtMs);
      }
    }
    if (sent >= total) break;
    const nextDueMs = (sent / rate) * 1000;
    await sleep(Math.max(tickMs, nextDueMs - (performance.now() - started)), signal);
  }
  const seconds = sent === 0 ? 0 : (lastAck - started) / 1000;
  return { sent, seconds, rate: seconds > 0 ? sent / seconds : 0, stopped: sent < total };
}

/** The call with the clock's times: live calls are received now; simulated ones never after now. */
function restamp(call: SimulatedCall, clock: CallClock, nowMs: number): SimulatedCall {
  const receivedAt = clock === 'live' ? nowMs : Math.min(call.incident.receivedAt, nowMs);
  const copy: SimulatedCall = { incident: { ...call.incident }, truth: { ...call.truth } };
  shift(copy, receivedAt - call.incident.receivedAt);
  return copy;
}

function shift(call: SimulatedCall, deltaMs: number): void {
  call.incident.receivedAt += deltaMs;
  call.incident.reportedAt += deltaMs;
  call.truth.receivedAt = call.incident.receivedAt;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
