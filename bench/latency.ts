// npm run bench:latency -- --rate 200 --seconds 30
// Time from a call's produce to its pre-arrival intelligence arriving at an
// independent consumer, through the resolver process as it runs in production,
// on topics and a graph of the run's own (removed afterwards).
//
// The graph is first seeded with a history of simulated calls (--history,
// default 5,000, over the last 18 months) so the resolver works against a
// populated graph, then a warm-up (--warmup seconds at the rate, not counted),
// then the measured calls at --rate for --seconds, typed afresh from the same
// stream, so many involve people already on the graph.
// Options: --partitions (6, as cad.incidents.v1), --resolvers (1), --seed. Last line: JSON.
// DAUNTLESS_* settings reach the resolvers; DAUNTLESS_BENCH_PROFILE=<dir> profiles them.
import { STREAM_PARTITIONS } from '../deploy/topics.ts';
import { createCallStream } from '../shared/synth/call-stream.ts';
import { produceCalls } from '../shared/synth/produce-calls.ts';
import { createPipelineRun, resolverSettingsFromEnv, flag, percentile, until } from '../scripts/pipeline/harness.ts';
import type { ResolverProcess } from '../scripts/pipeline/resolver-process.ts';

const args = process.argv.slice(2);
const rate = flag(args, 'rate', 200);
const seconds = flag(args, 'seconds', 30);
const history = args.includes('--history') && Number(args[args.indexOf('--history') + 1]) === 0 ? 0 : flag(args, 'history', 5_000);
const warmup = flag(args, 'warmup', 5);
const partitions = flag(args, 'partitions', STREAM_PARTITIONS);
const resolvers = flag(args, 'resolvers', 1);
const seed = args.includes('--seed') ? args[args.indexOf('--seed') + 1]! : 'bench-latency';
const DAY = 86_400_000;
const say = (line: string) => process.stderr.write(line + '\n');

const run = await createPipelineRun({ name: 'bench-latency', partitions });
try {
  const live = Math.ceil(rate * (seconds + warmup));
  const stream = createCallStream({
    seed,
    persons: 20_000,
    start: new Date(Date.now() - 540 * DAY),
    meanGapMs: history > 0 ? (530 * DAY) / history : 1000 / rate,
    horizonCalls: history + live,
    runId: run.namespace.replace(/[^A-Za-z0-9]/g, '').slice(-12),
  });
  const arrived = new Map<string, number>();
  const stopReading = await run.readIntel(({ incidentId, arrivedAt }) => void (arrived.has(incidentId) || arrived.set(incidentId, arrivedAt)));
  const { env, nodeArgs } = resolverSettingsFromEnv();
  const started = await run.startResolvers(resolvers, env, nodeArgs);

  if (history > 0) {
    say(`seeding a history of ${history} simulated calls over 18 months ...`);
    const t0 = Date.now();
    await produceCalls({ producer: run.producer, codec: run.codec, topic: run.topics.input, stream, rate: 5_000, count: history, clock: 'simulated' });
    await until(`intelligence for the ${history} history calls`, () => arrived.size >= history, 30 * 60_000);
    say(`  history answered in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  // The live calls carry today's date in their ids and typed ages, like real ones.
  stream.repace({ from: new Date(), meanGapMs: 1000 / rate });
  // Typed beforehand, as a load generator prepares its load: only encoding and sending
  // (the call's receivedAt is its send time) share the machine with the pipeline.
  const prepared = stream.take(live + 2); // + 2: each phase rounds its count of calls
  let nextPrepared = 0;
  const preparedStream = { next: () => prepared[nextPrepared++]! };
  say(`warm-up: ${warmup} s at ${rate} calls/s (not counted) ...`);
  await produceCalls({ producer: run.producer, codec: run.codec, topic: run.topics.input, stream: preparedStream, rate, durationSeconds: warmup, clock: 'live' });

  say(`measuring: ${seconds} s at ${rate} calls/s ...`);
  const sent = new Map<string, number>();
  const cpuBefore = await resolverCpuSeconds(started);
  const result = await produceCalls({
    producer: run.producer,
    codec: run.codec,
    topic: run.topics.input,
    stream: preparedStream,
    rate,
    durationSeconds: seconds,
    clock: 'live',
    onSent: (incidentId, sentAtMs) => void sent.set(incidentId, sentAtMs),
  });
  const measured = () => [...sent.keys()].filter((id) => arrived.has(id)).length;
  await until('intelligence for every measured call', () => measured() === sent.size, 120_000).catch((error) => say(`  ${(error as Error).message}`));
  const cpuDuring = (await resolverCpuSeconds(started)) - cpuBefore;
  await stopReading();

  const latencies = [...sent].filter(([id]) => arrived.has(id)).map(([id, at]) => arrived.get(id)! - at).sort((a, b) => a - b);
  const summary = {
    rate,
    achieved_rate: Math.round(result.rate * 10) / 10,
    seconds,
    sent: sent.size,
    received: latencies.length,
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
    p99_ms: percentile(latencies, 99),
    max_ms: latencies[latencies.length - 1] ?? NaN,
    history,
    partitions,
    resolvers,
    // The resolvers' CPU (user + system, from their own metrics) per call sent while measuring.
    resolver_cpu_ms_per_call: Math.round((cpuDuring * 1000 * 100) / Math.max(1, sent.size)) / 100,
  };
  // Where the tail came from: the slowest answer of each second of sending (a pause shows as a run of slow seconds).
  let firstSent = Infinity;
  for (const at of sent.values()) firstSent = Math.min(firstSent, at); // a spread would overflow the stack on long runs
  const slowest: number[] = [];
  for (const [id, at] of sent) {
    const second = Math.floor((at - firstSent) / 1000);
    if (arrived.has(id)) slowest[second] = Math.max(slowest[second] ?? 0, arrived.get(id)! - at);
  }
  say(`  slowest answer by second of sending (ms): ${slowest.map((ms) => ms ?? '-').join(' ')}`);
  say(`\n  sent ${summary.sent}, received ${summary.received}; p50 ${summary.p50_ms} ms, p95 ${summary.p95_ms} ms, p99 ${summary.p99_ms} ms, max ${summary.max_ms} ms; resolver CPU ${summary.resolver_cpu_ms_per_call} ms a call`);
  process.stdout.write(JSON.stringify(summary) + '\n');
} finally {
  await run.close();
}

/** CPU seconds the resolvers have used so far (process_cpu_seconds_total of their metrics). */
async function resolverCpuSeconds(processes: readonly ResolverProcess[]): Promise<number> {
  let total = 0;
  for (const { metricsUrl } of processes) {
    const text = await (await fetch(metricsUrl)).text();
    const line = /^process_cpu_seconds_total(?:{[^}]*})? (\S+)$/m.exec(text);
    if (!line) throw new Error(`no process_cpu_seconds_total at ${metricsUrl}`);
    total += Number(line[1]);
  }
  return total;
}
