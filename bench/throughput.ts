// npm run bench:throughput -- --incidents 100000
// How fast the pipeline drains a backlog: the calls are produced first (not
// timed), then the resolver processes start and the clock runs until an
// independent consumer has intelligence for every call. Topics and graph are
// the run's own and removed afterwards.
// Options: --partitions (6, as cad.incidents.v1), --resolvers (1), --seed. Last line: JSON.
import { STREAM_PARTITIONS } from '../deploy/topics.ts';
import { createCallStream } from '../shared/synth/call-stream.ts';
import { produceCalls } from '../shared/synth/produce-calls.ts';
import { createPipelineRun, resolverSettingsFromEnv, flag, until } from '../scripts/pipeline/harness.ts';

const args = process.argv.slice(2);
const incidents = flag(args, 'incidents', 100_000);
const partitions = flag(args, 'partitions', STREAM_PARTITIONS);
const resolvers = flag(args, 'resolvers', 1);
const seed = args.includes('--seed') ? args[args.indexOf('--seed') + 1]! : 'bench-throughput';
const DAY = 86_400_000;
const say = (line: string) => process.stderr.write(line + '\n');

const run = await createPipelineRun({ name: 'bench-throughput', partitions });
try {
  const stream = createCallStream({
    seed,
    persons: Math.max(20_000, Math.round(incidents / 2)),
    start: new Date(Date.now() - 540 * DAY),
    meanGapMs: (530 * DAY) / incidents,
    horizonCalls: incidents,
    runId: run.namespace.replace(/[^A-Za-z0-9]/g, '').slice(-12),
  });
  say(`producing a backlog of ${incidents} calls ...`);
  const produced = await produceCalls({ producer: run.producer, codec: run.codec, topic: run.topics.input, stream, rate: 1_000_000, count: incidents, clock: 'simulated' });
  say(`  produced in ${produced.seconds.toFixed(1)} s`);

  const answered = new Set<string>();
  const stopReading = await run.readIntel(({ incidentId }) => void answered.add(incidentId));
  const started = Date.now();
  const { env, nodeArgs } = resolverSettingsFromEnv();
  await run.startResolvers(resolvers, env, nodeArgs);
  let last = 0;
  await until(`intelligence for all ${incidents} calls`, () => answered.size >= incidents, 4 * 60 * 60_000, () => {
    if (Date.now() - last < 5_000) return;
    last = Date.now();
    say(`  ${answered.size}/${incidents} answered, ${Math.round(answered.size / ((Date.now() - started) / 1000))}/s`);
  });
  const seconds = (Date.now() - started) / 1000;
  await stopReading();
  const summary = { incidents, seconds: Math.round(seconds * 10) / 10, incidents_per_second: Math.round(incidents / seconds), partitions, resolvers };
  process.stdout.write(JSON.stringify(summary) + '\n');
} finally {
  await run.close();
}
