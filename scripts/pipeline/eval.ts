// npm run eval:pipeline [-- --calls 3000 --seed 7 --stream project|independent]
// Runs the simulator with a fixed seed through the whole pipeline (topics,
// resolver process, Redis graph of the run's own) and scores the
// pre-arrival intelligence against the simulator's truth:
//   repeat victim: a victim of a call who was a party to an earlier call
//     within the last 12 months. Dispatch is told so when the victim's
//     intelligence counts an incident in the last 12 months. Recall and
//     precision over victims of calls (goal: recall ≥ 0.98, precision ≥ 0.99).
//   previous incidents: each earlier incident of the victim (within 12
//     months) that the intelligence names, against the truth's; the list is
//     capped, so only the most recent ones up to the cap are scored.
//   repeat suspect: the same for a call's suspects: one who was a party to an
//     earlier call within 12 months is told apart as known to police.
//   perpetrator named: for a repeat victim, the intelligence names this
//     call's suspect as a party of an earlier incident with the victim.
// Both the project's stream and an independent one (shared/synth/independent)
// are sent, each through a run of its own. Prints a table per stream, the
// two side by side, then one JSON line (the project stream's figures at the
// top level, the independent stream's under "independent").
import { createCallStream, type IncidentTruth, type SimulatedCall } from '../../shared/synth/call-stream.ts';
import { independentEvalStream } from '../../shared/synth/independent/london-stream.ts';
import { produceCalls } from '../../shared/synth/produce-calls.ts';
import { DEFAULT_INTELLIGENCE_SETTINGS } from '../../services/resolver/build-intelligence.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { createPipelineRun, flag, until } from './harness.ts';

const args = process.argv.slice(2);
const calls = flag(args, 'calls', 3_000);
const seed = args.includes('--seed') ? args[args.indexOf('--seed') + 1]! : '7';
const persons = flag(args, 'persons', 20_000);
/** `--stream project` or `--stream independent`: one of the two; both by default. */
const only = args.includes('--stream') ? args[args.indexOf('--stream') + 1] : undefined;
const DAY = 86_400_000;
const WINDOW = DEFAULT_INTELLIGENCE_SETTINGS.repeatWindowDays * DAY;
const CAP = DEFAULT_INTELLIGENCE_SETTINGS.maxPreviousIncidents;
const say = (line: string) => process.stderr.write(line + '\n');

type Counts = { tp: number; fp: number; fn: number };
const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const scores = ({ tp, fp, fn }: Counts) => ({ precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) });

/**
 * The last day the evaluation's calls lead up to: a fixed date, not today, so
 * a seed gives the same figures on any day (calls are dated, and their typed
 * ages reckoned, from it). Before, the stream ended "now" and the figures
 * moved a little from one day to the next.
 */
export const EVAL_END = Date.UTC(2026, 10, 1);

/** The evaluation's call stream: `calls` calls over the 18 months before EVAL_END (this script and eval-call-stream.ts). */
export function evalCallStream({ seed, persons, calls }: { seed: string; persons: number; calls: number }) {
  return createCallStream({
    seed,
    persons,
    start: new Date(EVAL_END - 540 * DAY),
    meanGapMs: (530 * DAY) / calls,
    horizonCalls: calls,
    runId: 'eval' + seed.replace(/[^A-Za-z0-9]/g, '').slice(0, 10),
  });
}

type PipelineScore = ReturnType<typeof scorePipeline>;
const f = (x: number) => x.toFixed(4);

/** The figures as a Markdown table, for the terminal (this script and eval-call-stream.ts). */
export function figuresTable(result: PipelineScore): string[] {
  return [
    '| measure | precision | recall | counts |',
    '| --- | --- | --- | --- |',
    `| repeat victim (last 12 months) | ${f(result.repeatVictim.precision)} | ${f(result.repeatVictim.recall)} | tp ${result.repeatVictim.tp}, fp ${result.repeatVictim.fp}, fn ${result.repeatVictim.fn} |`,
    `| previous incidents named | ${f(result.previousIncidents.precision)} | ${f(result.previousIncidents.recall)} | tp ${result.previousIncidents.tp}, fp ${result.previousIncidents.fp}, fn ${result.previousIncidents.fn} |`,
    `| repeat suspect (last 12 months) | ${f(result.repeatSuspect.precision)} | ${f(result.repeatSuspect.recall)} | tp ${result.repeatSuspect.tp}, fp ${result.repeatSuspect.fp}, fn ${result.repeatSuspect.fn} |`,
    `| perpetrator named in history | | ${f(result.perpetratorNamed.share)} | ${result.perpetratorNamed.named} of ${result.perpetratorNamed.of} |`,
  ];
}

/** The figures of the final JSON line, rounded to four places, with the repeat-victim counts. */
export function figuresJson(result: PipelineScore) {
  return {
    repeat_victim_precision: Number(f(result.repeatVictim.precision)),
    repeat_victim_recall: Number(f(result.repeatVictim.recall)),
    previous_incident_precision: Number(f(result.previousIncidents.precision)),
    previous_incident_recall: Number(f(result.previousIncidents.recall)),
    repeat_suspect_precision: Number(f(result.repeatSuspect.precision)),
    repeat_suspect_recall: Number(f(result.repeatSuspect.recall)),
    perpetrator_named: Number(f(result.perpetratorNamed.share)),
    ...result.repeatVictim,
  };
}

/** Scores intelligence against the truth; pure, so it can be tested on its own. */
export function scorePipeline(truths: readonly IncidentTruth[], intel: ReadonlyMap<string, PreArrivalIntelligence>) {
  const repeat: Counts = { tp: 0, fp: 0, fn: 0 };
  const repeatSuspect: Counts = { tp: 0, fp: 0, fn: 0 };
  const links: Counts = { tp: 0, fp: 0, fn: 0 };
  const perpetrator = { named: 0, of: 0 };
  let missing = 0;
  /** person → their calls so far (incident id, time, person ids of the parties). */
  const seen = new Map<string, { incidentId: string; at: number; others: Set<string> }[]>();
  for (const truth of [...truths].sort((a, b) => a.receivedAt - b.receivedAt)) {
    const message = intel.get(truth.incidentId);
    if (!message) missing++;
    const suspects = truth.parties.filter((p) => p.roles.includes('SUSPECT')).map((p) => p.personId);
    for (const party of truth.parties) {
      if (!party.roles.includes('SUSPECT') || party.roles.includes('VICTIM') || !message) continue;
      const isRepeat = (seen.get(party.personId) ?? []).some((c) => c.at >= truth.receivedAt - WINDOW);
      const saidRepeat = message.persons.find((p) => p.partyId === party.partyId)!.incidentsLast12Months > 0;
      if (isRepeat && saidRepeat) repeatSuspect.tp++;
      else if (saidRepeat) repeatSuspect.fp++;
      else if (isRepeat) repeatSuspect.fn++;
    }
    for (const party of truth.parties) {
      if (!party.roles.includes('VICTIM') || !message) continue;
      const before = (seen.get(party.personId) ?? []).filter((c) => c.at >= truth.receivedAt - WINDOW);
      const person = message.persons.find((p) => p.partyId === party.partyId)!;
      const isRepeat = before.length > 0;
      const saidRepeat = person.incidentsLast12Months > 0;
      if (isRepeat && saidRepeat) repeat.tp++;
      else if (saidRepeat) repeat.fp++;
      else if (isRepeat) repeat.fn++;

      const expected = new Set(before.slice(-CAP).map((c) => c.incidentId));
      const named = new Set(person.previousIncidents.filter((p) => p.occurredAt >= truth.receivedAt - WINDOW).map((p) => p.incidentId));
      const all = new Set(before.map((c) => c.incidentId));
      for (const id of named) all.has(id) ? links.tp++ : links.fp++;
      for (const id of expected) if (!named.has(id)) links.fn++;

      const withSuspect = before.filter((c) => suspects.some((s) => c.others.has(s)));
      if (withSuspect.length > 0) {
        perpetrator.of++;
        const suspectEntities = new Set(message.persons.filter((p) => p.roles.includes('SUSPECT')).map((p) => p.entityId));
        if (person.previousIncidents.some((p) => p.otherPartyEntityIds.some((e) => suspectEntities.has(e)))) perpetrator.named++;
      }
    }
    for (const party of truth.parties) {
      const others = new Set(truth.parties.filter((p) => p.personId !== party.personId).map((p) => p.personId));
      const list = seen.get(party.personId) ?? [];
      list.push({ incidentId: truth.incidentId, at: truth.receivedAt, others });
      seen.set(party.personId, list);
    }
  }
  return {
    repeatVictim: { ...repeat, ...scores(repeat) },
    repeatSuspect: { ...repeatSuspect, ...scores(repeatSuspect) },
    previousIncidents: { ...links, ...scores(links) },
    perpetratorNamed: { ...perpetrator, share: ratio(perpetrator.named, perpetrator.of) },
    missing,
  };
}

async function main(): Promise<void> {
  // Both streams, one after the other, each through a run of its own: the project's simulator and one written
  // apart from it (shared/synth/independent), so a rule fitted to one simulator's habits shows.
  const streams = { project: () => evalCallStream({ seed, persons, calls }), independent: () => independentEvalStream({ seed, calls, end: EVAL_END }) };
  const figures: Partial<Record<keyof typeof streams, ReturnType<typeof figuresJson> & { missing: number }>> = {};
  for (const [name, make] of Object.entries(streams) as [keyof typeof streams, () => { next(): SimulatedCall }][]) {
    if (only && only !== name) continue;
    figures[name] = await runStream(name, make());
  }
  if (figures.project && figures.independent) {
    say('');
    say('| measure | project stream | independent stream |');
    say('| --- | --- | --- |');
    for (const [label, key] of [
      ['repeat victim precision', 'repeat_victim_precision'], ['repeat victim recall', 'repeat_victim_recall'],
      ['previous incidents precision', 'previous_incident_precision'], ['previous incidents recall', 'previous_incident_recall'],
      ['repeat suspect precision', 'repeat_suspect_precision'], ['repeat suspect recall', 'repeat_suspect_recall'],
      ['perpetrator named', 'perpetrator_named'],
    ] as const) say(`| ${label} | ${figures.project[key]} | ${figures.independent[key]} |`);
  }
  // The project stream's figures stay at the top level, where earlier runs had them.
  const { project, ...others } = figures;
  process.stdout.write(JSON.stringify({ calls, seed, ...(project ?? {}), ...others }) + '\n');
}

async function runStream(name: string, stream: { next(): SimulatedCall }) {
  // One partition: the calls reach the resolver in the order they happened, as they do live. A backlog
  // spread over partitions would let a later call be resolved before an earlier one it should name.
  const run = await createPipelineRun({ name: `eval-pipeline-${name}`, partitions: 1 });
  try {
    const truths: IncidentTruth[] = [];
    const intel = new Map<string, PreArrivalIntelligence>();
    const pending: Promise<void>[] = [];
    const stopReading = await run.readIntel(({ incidentId, value }) => {
      pending.push(run.codec.decode(value).then(({ value: decoded }) => void intel.set(incidentId, decoded as PreArrivalIntelligence)));
    });
    await run.startResolvers(1);
    say(`eval:pipeline: ${calls} calls of the ${name} stream (seed ${seed}, 18 months to ${new Date(EVAL_END).toISOString().slice(0, 10)}) through the resolver ...`);
    const started = Date.now();
    await produceCalls({ producer: run.producer, codec: run.codec, topic: run.topics.input, stream, rate: 5_000, count: calls, clock: 'simulated', truthSink: (t) => void truths.push(t) });
    let last = 0;
    await until(`intelligence for all ${calls} calls`, () => intel.size >= calls, 60 * 60_000, () => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      say(`  ${intel.size}/${calls} answered`);
    });
    await Promise.all(pending);
    await stopReading();
    const result = scorePipeline(truths, intel);
    say('');
    for (const line of figuresTable(result)) say(line);
    say(`(${((Date.now() - started) / 1000).toFixed(1)} s; ${result.missing} calls without intelligence)`);
    return { ...figuresJson(result), missing: result.missing };
  } finally {
    await run.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
