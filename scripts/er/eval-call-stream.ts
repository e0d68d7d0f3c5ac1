// npx tsx scripts/er/eval-call-stream.ts [--calls 3000] [--seed 7] [--persons 20000] [--model FILE] [--examples 20]
//   [--streams project,independent]
//
// eval:pipeline without Kafka or Redis: the same simulated call stream
// (seed, size, 18 months to a fixed day: evalCallStream in scripts/pipeline/eval.ts)
// resolved call by call by the incident stage itself, over the memory
// identity store and an in-memory incident graph, and scored by the same
// scorePipeline against the simulator's truth. A model can be tried in
// seconds, not minutes, and without the stack.
//
// It also lists the wrong links behind the repeat-victim false positives: a
// record filed to an entity holding none of its person's records (or a merge
// of two people), with the evidence that made the link; and the repeat
// victims missed, with how their earlier entity scored when it was a
// candidate. Only ids and comparison levels are printed, never what the
// records say.
// Two streams are scored, side by side: the project's simulator and an
// independent one (shared/synth/independent: other name pools, typing
// habits and households, never used to estimate or tune), so that a rule
// fitted to one simulator's habits shows. Prints each stream's table and
// examples, the two side by side, then as the LAST line one JSON object:
// the project stream's figures at the top level, the independent stream's
// under "independent".

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { GraphChange, IdentityStore, MatchScore } from '../../shared/er/identity-store.ts';
import { createMemoryIdentityStore } from '../../shared/er/memory-identity-store.ts';
import { defaultPersonModel, validateModel, type PersonModel } from '../../shared/er/model.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { IncidentTruth, SimulatedCall } from '../../shared/synth/call-stream.ts';
import { independentEvalStream } from '../../shared/synth/independent/london-stream.ts';
import { recordThenRead, type EventFacts, type GraphEvent, type IncidentGraph } from '../../shared/graph/incident-graph.ts';
import { DEFAULT_INTELLIGENCE_SETTINGS } from '../../services/resolver/build-intelligence.ts';
import { createIncidentStage, type ResolvedIncident } from '../../services/resolver/incident-stage.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { partyRecordId } from '../../shared/graph/party-record.ts';
import type { ResolutionResult } from '../../shared/er/resolve-record.ts';
import { ASSOCIATE, associateLevel, type Associates } from '../../shared/er/score.ts';
import { ASSOCIATE_EVENTS, associatesFrom } from '../../services/resolver/resolve-persons.ts';
import { EVAL_END, evalCallStream, figuresJson, figuresTable, scorePipeline } from '../pipeline/eval.ts';

const DAY = 86_400_000;

/** A wrong link: a record filed to (or merging) entities with none of its own person's records. */
type WrongLink = { recordId: string; entityId: string; personId: string; joined: string[]; score?: MatchScore };

/**
 * The memory store, with each entity's members kept in filing order, and the
 * wrong links it made against `personOf` (the truth, by record id).
 */
function trackedStore(personOf: ReadonlyMap<string, string>, associatesAsked: (recordId: string) => { associates: Associates; roles: readonly string[] } | undefined) {
  const store = createMemoryIdentityStore();
  const members = new Map<string, string[]>();
  const wrongLinks: WrongLink[] = [];
  // The associate comparison's m and u (score.ts ASSOCIATE): over the candidates of records that had associates,
  // how often the record's own person, and how often someone else, is one of them. Counted once per record.
  const associate = { matches: 0, others: 0, matchesAt: new Map<string, number>(), othersAt: new Map<string, number>() };
  const counted = new Set<string>();
  const tracked: IdentityStore = {
    async candidates(q) {
      const view = await store.candidates(q);
      const person = q.recordId === undefined ? undefined : personOf.get(q.recordId);
      const asked = q.recordId === undefined || !q.entities ? undefined : associatesAsked(q.recordId);
      if (asked && person !== undefined && !counted.has(q.recordId!)) {
        counted.add(q.recordId!);
        for (const { entityId } of view.entities.slice(0, defaultPersonModel.scoring.maxCandidates)) {
          const played = asked.associates.get(entityId);
          const level = played ? associateLevel(played, asked.roles) : 'else';
          const isMatch = (members.get(entityId) ?? []).some((r) => personOf.get(r) === person);
          if (isMatch) associate.matches += 1;
          else associate.others += 1;
          const at = isMatch ? associate.matchesAt : associate.othersAt;
          at.set(level, (at.get(level) ?? 0) + 1);
        }
      }
      return view;
    },
    entityOfRecord: (id) => store.entityOfRecord(id),
    async apply(change: GraphChange, token: string) {
      const { decision, recordId } = change;
      const joined = decision.outcome === 'link' ? [decision.entityId] : decision.outcome === 'merge' ? decision.entityIds : [];
      const result = await store.apply(change, token);
      if (result.status !== 'applied') return result;
      const person = personOf.get(recordId) ?? '?';
      // Each entity joined should hold this person already; one that does not is a wrong link.
      const strangers = joined.filter((id) => !(members.get(id) ?? []).some((r) => personOf.get(r) === person));
      if (strangers.length > 0) {
        const score = decision.outcome === 'link' ? decision.score : decision.outcome === 'merge' ? decision.scores[strangers[0]!] : undefined;
        wrongLinks.push({ recordId, entityId: result.entityId, personId: person, joined: strangers, ...(score ? { score } : {}) });
      }
      const list = members.get(result.entityId) ?? [];
      for (const id of result.mergedEntityIds) {
        list.push(...(members.get(id) ?? []));
        members.delete(id);
      }
      list.push(recordId);
      members.set(result.entityId, list);
      return result;
    },
  };
  return { store: tracked, memory: store, members, wrongLinks, associate };
}

/** The graph's contract in memory (incident-graph.ts): events once by id, read through an entity's members, most recent first. */
function memoryGraph(store: IdentityStore, members: ReadonlyMap<string, readonly string[]>): IncidentGraph {
  const events = new Map<string, EventFacts>();
  const eventOfRecord = new Map<string, string>();
  const recordEvent = async <F extends EventFacts>(facts: F) => {
    const before = events.get(facts.eventId) as F | undefined;
    if (before) return { recorded: false, facts: before };
    events.set(facts.eventId, facts);
    for (const p of facts.parties) eventOfRecord.set(p.recordId, facts.eventId);
    return { recorded: true, facts };
  };
  const graph: Omit<IncidentGraph, 'recordIncidentWithHistories'> = {
    recordIncident: recordEvent,
    recordEvent,
    async histories(entityIds) {
      return Promise.all(
        entityIds.map(async (asked) => {
          const mine = members.get(asked) ?? [];
          const seen = new Set<string>();
          const out: GraphEvent[] = [];
          for (let i = mine.length - 1; i >= 0; i--) {
            const eventId = eventOfRecord.get(mine[i]!);
            if (!eventId || seen.has(eventId)) continue;
            seen.add(eventId);
            const facts = events.get(eventId)!;
            out.push({ facts, partyEntityIds: await Promise.all(facts.parties.map((p) => store.entityOfRecord(p.recordId))) });
          }
          return { entityId: asked, events: out };
        }),
      );
    },
    async counts() {
      return { incidents: events.size, events: events.size };
    },
  };
  return { ...graph, recordIncidentWithHistories: recordThenRead(graph) };
}

// The stage wants a codec only to decode Kafka messages, and a message only to log where it came from.
const codec = {} as AvroCodec;
const input = (i: number) => ({ topic: 'simulated', partition: 0, message: { offset: String(i), key: null, value: null, timestamp: '0', attributes: 0, headers: {} } as never });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '3000' },
      seed: { type: 'string', default: '7' },
      persons: { type: 'string', default: '20000' },
      model: { type: 'string' },
      examples: { type: 'string', default: '20' },
      streams: { type: 'string', default: 'project,independent' },
    },
  });
  const calls = Number(values.calls);
  const seed = values.seed;
  const model: PersonModel = values.model ? validateModel(JSON.parse(readFileSync(values.model, 'utf8'))) : defaultPersonModel;
  const examples = Number(values.examples);
  const wanted = values.streams.split(',').map((s) => s.trim());
  const say = (line: string) => process.stderr.write(line + '\n');
  const figures: Record<string, ReturnType<typeof figuresJson> & { wrong_links: number }> = {};
  for (const name of wanted) {
    if (name !== 'project' && name !== 'independent') throw new TypeError(`--streams ${name}: the streams are project and independent`);
    // The project's stream (the one scripts/pipeline/eval.ts sends), and one written apart from it (shared/synth/independent).
    const stream = name === 'project' ? evalCallStream({ seed, persons: Number(values.persons), calls }) : independentEvalStream({ seed, calls, end: EVAL_END });
    say(`== ${name} stream (${calls} calls, seed ${seed}) ==`);
    figures[name] = await evaluateStream(() => stream.next(), calls, model, examples, say);
    say('');
  }
  if (figures.project && figures.independent) for (const line of sideBySide(figures.project, figures.independent)) say(line);
  // The project stream's figures stay at the top level, where earlier runs had them.
  const { project, ...others } = figures;
  process.stdout.write(JSON.stringify({ calls, seed, model: model.modelVersion, ...(project ?? {}), ...others }) + '\n');
}

/** The two streams' figures side by side: a rule that helps only one of them is suspect. */
function sideBySide(a: ReturnType<typeof figuresJson>, b: ReturnType<typeof figuresJson>): string[] {
  const row = (label: string, key: keyof ReturnType<typeof figuresJson>) => `| ${label} | ${a[key]} | ${b[key]} |`;
  return [
    '| measure | project stream | independent stream |',
    '| --- | --- | --- |',
    row('repeat victim precision', 'repeat_victim_precision'),
    row('repeat victim recall', 'repeat_victim_recall'),
    row('previous incidents precision', 'previous_incident_precision'),
    row('previous incidents recall', 'previous_incident_recall'),
    row('repeat suspect precision', 'repeat_suspect_precision'),
    row('repeat suspect recall', 'repeat_suspect_recall'),
    row('perpetrator named', 'perpetrator_named'),
  ];
}

/** Resolves `calls` calls of one stream through the incident stage and scores them; prints the table and examples. */
async function evaluateStream(nextCall: () => SimulatedCall, calls: number, model: PersonModel, examples: number, say: (line: string) => void) {
  const started = Date.now();
  const personOf = new Map<string, string>();
  // What the stage asked associates of (its history reads of ASSOCIATE_EVENTS), and each record's roles: for the estimate.
  let currentEvent = '';
  let lastAssociates: Associates = new Map();
  const rolesOf = new Map<string, readonly string[]>();
  const { store, members, wrongLinks, associate } = trackedStore(personOf, (recordId) => ({ associates: lastAssociates, roles: rolesOf.get(recordId) ?? [] }));
  const inner = memoryGraph(store, members);
  const graph: IncidentGraph = {
    ...inner,
    async histories(ids, opts) {
      const histories = await inner.histories(ids, opts);
      if (opts?.maxEvents === ASSOCIATE_EVENTS) lastAssociates = associatesFrom(histories, ids, currentEvent);
      return histories;
    },
  };
  let resolved: ResolvedIncident | undefined;
  const stage = createIncidentStage({ codec, store, graph, model, logger: createLogger('eval-call-stream', { level: 'silent' }), onResolved: async (r) => void (resolved = r) });

  const truths: IncidentTruth[] = [];
  const intel = new Map<string, PreArrivalIntelligence>();
  const entityOfParty = new Map<string, string>();
  const resolutionOfParty = new Map<string, ResolutionResult>();
  let last = -Infinity;
  for (let i = 0; i < calls; i++) {
    const { incident, truth } = nextCall();
    const receivedAt = Math.max(last, Math.min(incident.receivedAt, started));
    const shift = receivedAt - incident.receivedAt;
    last = receivedAt;
    const call = { ...incident, receivedAt, reportedAt: incident.reportedAt + shift };
    for (const p of truth.parties) personOf.set(`${truth.eventId}:${p.partyId}`, p.personId);
    for (const p of call.parties) rolesOf.set(`${call.eventId}:${p.partyId}`, p.roles);
    currentEvent = call.eventId;
    await stage.handle(call, input(i));
    truths.push({ ...truth, receivedAt });
    intel.set(call.incidentId, resolved!.intelligence);
    for (const p of resolved!.parties) {
      entityOfParty.set(`${call.incidentId}:${p.partyId}`, p.resolution.entityId);
      resolutionOfParty.set(`${call.incidentId}:${p.partyId}`, p.resolution);
    }
  }
  const result = scorePipeline(truths, intel);

  // The victims told "seen before" who were not: the wrong links in their entity's records.
  const { falsePositives: falseRepeats, missed } = repeatErrors(truths, intel, 'VICTIM');
  const byEntity = new Map<string, WrongLink[]>();
  for (const w of wrongLinks) byEntity.set(w.entityId, [...(byEntity.get(w.entityId) ?? []), w]);
  for (const line of figuresTable(result)) say(line);
  say(`(${((Date.now() - started) / 1000).toFixed(1)} s; ${wrongLinks.length} wrong links in all)`);
  for (const level of [ASSOCIATE.sameRole, ASSOCIATE.coParty]) {
    const m = (associate.matchesAt.get(level) ?? 0) / Math.max(1, associate.matches);
    const u = (associate.othersAt.get(level) ?? 0) / Math.max(1, associate.others);
    say(`associate ${level} over the candidates of records with associates: m ${m.toFixed(4)} of ${associate.matches} matches, u ${u.toExponential(3)} of ${associate.others} others`);
  }
  say('');
  say(`wrong links behind repeat-victim false positives (first ${examples}):`);
  const shown = new Set<WrongLink>();
  for (const { incidentId, partyId } of falseRepeats) {
    const entityId = entityOfParty.get(`${incidentId}:${partyId}`);
    for (const w of entityId ? (byEntity.get(entityId) ?? []) : []) {
      if (shown.size >= examples || shown.has(w)) continue;
      shown.add(w);
      const evidence = (w.score?.evidence ?? []).map((e) => `${e.field}:${e.level} ${e.weight.toFixed(1)}`).join(', ');
      say(`  ${incidentId} victim ${partyId}: record ${w.recordId} → ${w.joined.join('+')} (weight ${w.score?.matchWeight.toFixed(1)}${w.score?.corroboratedBy ? `, corroborated by ${w.score.corroboratedBy.join(' ')}` : ''}): ${evidence}`);
    }
  }
  // The repeat victims and suspects missed: how this call's record was decided, and how the entity of their earlier call scored, if a candidate.
  const missedSuspects = repeatErrors(truths, intel, 'SUSPECT').missed;
  for (const [label, list] of [['victims', missed], ['suspects', missedSuspects]] as const) {
    say('');
    say(`repeat ${label} missed (first ${examples} of ${list.length}):`);
    for (const m of list.slice(0, examples)) {
      const resolution = resolutionOfParty.get(`${m.incidentId}:${m.partyId}`);
      const earlier = await Promise.all(m.earlierRecordIds.map((id) => store.entityOfRecord(id)));
      const candidate = resolution?.possible.find((p) => earlier.includes(p.entityId));
      const evidence = (candidate?.score.evidence ?? []).map((e) => `${e.field}:${e.level} ${e.weight.toFixed(1)}`).join(', ');
      say(
        `  ${m.incidentId} ${label.slice(0, -1)} ${m.partyId}: decided ${resolution?.decision.outcome ?? '?'}${resolution?.decision.outcome === 'link' ? ' (to another entity)' : ''}; earlier entity ${
          candidate ? `scored ${candidate.score.matchWeight.toFixed(1)}: ${evidence}` : 'not among the possible matches'
        }`,
      );
    }
  }
  return { ...figuresJson(result), wrong_links: wrongLinks.length };
}

type RepeatError = { incidentId: string; partyId: string; personId: string; earlierRecordIds: string[] };

/**
 * scorePipeline's repeat-victim (or repeat-suspect) errors, party by party:
 * told "seen before" with no call in the 12 months before (false), and not
 * told so with one (missed, with the records of their earlier calls in the
 * window). A suspect who is also a victim of the call counts as a victim.
 */
function repeatErrors(truths: readonly IncidentTruth[], intel: ReadonlyMap<string, PreArrivalIntelligence>, role: 'VICTIM' | 'SUSPECT') {
  const falsePositives: RepeatError[] = [];
  const missed: RepeatError[] = [];
  const seen = new Map<string, { at: number; recordId: string }[]>();
  for (const truth of [...truths].sort((a, b) => a.receivedAt - b.receivedAt)) {
    const message = intel.get(truth.incidentId);
    for (const party of truth.parties) {
      if (!party.roles.includes(role) || (role === 'SUSPECT' && party.roles.includes('VICTIM')) || !message) continue;
      const before = (seen.get(party.personId) ?? []).filter((s) => s.at >= truth.receivedAt - DEFAULT_INTELLIGENCE_SETTINGS.repeatWindowDays * DAY);
      const person = message.persons.find((p) => p.partyId === party.partyId)!;
      const error = { incidentId: truth.incidentId, partyId: party.partyId, personId: party.personId, earlierRecordIds: before.map((s) => s.recordId) };
      if (before.length === 0 && person.incidentsLast12Months > 0) falsePositives.push(error);
      if (before.length > 0 && person.incidentsLast12Months === 0) missed.push(error);
    }
    for (const party of truth.parties) seen.set(party.personId, [...(seen.get(party.personId) ?? []), { at: truth.receivedAt, recordId: partyRecordId(truth.eventId, party.partyId) }]);
  }
  return { falsePositives, missed };
}

await main();
