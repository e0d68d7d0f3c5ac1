// npm run bench:score [-- --reps 9]
// Scoring alone: the CPU the resolver spends comparing a record with its
// candidates and deciding, apart from Redis, Kafka and features. The views
// scoring sees are captured from a simulated call stream resolved over the
// memory store (every record of the last 2,000 calls of 8,000), then
// scored again --reps times. CPU time (user + system) per record: median and
// fastest of the reps. The checksum sums every score, weight and decision: a
// change meant only to be faster must leave it as it was.
// The LAST line is one JSON object.
import { createCallStream } from '../shared/synth/call-stream.ts';
import { createMemoryIdentityStore } from '../shared/er/memory-identity-store.ts';
import type { CandidateView, IdentityStore } from '../shared/er/identity-store.ts';
import { defaultPersonModel } from '../shared/er/model.ts';
import { resolveRecord, scoreCandidates } from '../shared/er/resolve-record.ts';
import { featuresOf, type ErFeatures } from '../shared/er/features.ts';
import { decide } from '../shared/er/decide.ts';
import { partyToPersonRecord } from '../shared/graph/party-record.ts';

const repsAt = process.argv.indexOf('--reps');
const reps = repsAt >= 0 ? Number(process.argv[repsAt + 1]) : 9;
if (!(Number.isInteger(reps) && reps > 0)) throw new Error(`--reps needs a whole number above 0 (got "${process.argv[repsAt + 1] ?? ''}")`);
const DAY = 86_400_000;
const CALLS = 8_000;
const stream = createCallStream({ seed: 'bench-score', persons: 20_000, start: new Date(Date.UTC(2025, 0, 1)), meanGapMs: (530 * DAY) / CALLS, horizonCalls: CALLS, runId: 'benchscore' });
const memory = createMemoryIdentityStore();
const model = defaultPersonModel;

// The view each captured record was scored on, with its features.
const captured: { features: ErFeatures; view: CandidateView }[] = [];
const last: { view?: CandidateView } = {};
const store: IdentityStore = {
  candidates: async (query) => (last.view = await memory.candidates(query)),
  apply: (change, token) => memory.apply(change, token),
  entityOfRecord: (id) => memory.entityOfRecord(id),
};
const calls = stream.take(CALLS);
for (let i = 0; i < calls.length; i++) {
  const capturing = i >= CALLS * 0.75;
  const incident = calls[i]!.incident;
  for (const party of incident.parties) {
    const record = partyToPersonRecord(incident, party);
    const referenceDate = new Date(incident.receivedAt);
    await resolveRecord(record, { store, model, referenceDate });
    if (capturing && last.view && !last.view.known) captured.push({ features: featuresOf(record, { referenceDate }), view: last.view });
  }
}

let checksum = 0;
let candidates = 0;
const cpuMs: number[] = [];
for (let rep = 0; rep < reps; rep++) {
  const start = process.cpuUsage();
  checksum = 0;
  candidates = 0;
  for (const { features, view } of captured) {
    const scored = scoreCandidates(features, view, model);
    for (const { score } of scored) {
      checksum += score.matchWeight;
      for (const e of score.evidence) checksum += e.weight * (e.field.length + e.level.length);
    }
    candidates += scored.length;
    const { decision, possible } = decide(scored, model);
    checksum += possible.length + (decision.outcome === 'new' ? 1 : decision.outcome === 'link' ? 2 : 3);
  }
  const used = process.cpuUsage(start);
  cpuMs.push((used.user + used.system) / 1000);
}
cpuMs.sort((a, b) => a - b);
const perRecord = (ms: number) => Math.round((ms * 1000 * 10) / captured.length) / 10;
process.stdout.write(
  JSON.stringify({
    records: captured.length,
    candidates_per_record: Math.round((candidates / captured.length) * 10) / 10,
    reps,
    median_us_per_record: perRecord(cpuMs[cpuMs.length >> 1]!),
    fastest_us_per_record: perRecord(cpuMs[0]!),
    checksum: checksum.toFixed(6),
  }) + '\n',
);
