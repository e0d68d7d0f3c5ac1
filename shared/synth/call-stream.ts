// The simulated call stream: domestic-abuse calls to the Met, as call
// handling sends them (IncidentReported, schemas/incident-reported.avsc),
// each with the truth beside it (IncidentTruth: which person of the synthetic
// population each party really is, and which abusive relationship the call
// belongs to). Pure and deterministic: the same options give the same calls,
// in the same order, with the same times; nothing here reads the clock.
//
// The model, in the users' words:
// - Abusive relationships are cast from the population: mostly partners in
//   one household and ex-partners in two, some family (an adult child and a
//   parent, siblings).
// - Each relationship brings a skewed number of calls (CALLS_PER_RELATIONSHIP):
//   many victims call once, some two to six times, a few many more. Its later
//   calls are planned at its first, spread over a share of the run
//   (`horizonCalls`): a burst over days for some pairs, months for others, so
//   "calls in the last 12 months" differ from all calls in a long history.
//   A call that falls due is taken before a new relationship is cast.
// - A share of perpetrators are serial: 2–4 victims over time, each in a
//   household (usually a borough) of her own, cast later in the run.
// - In some contested pairs the perpetrator calls too: a counter-allegation,
//   the same pair with the roles reversed on a later call.
// - Abuse is more than violence (Domestic Abuse Act 2021): coercive control,
//   stalking, harassment, economic and technology-facilitated abuse are drawn
//   as often as physical abuse; each pair keeps its own pattern and may
//   escalate. Weapons are occasional (a knife; a firearm rarely).
// - Every party is typed afresh at each call (typed-as.ts), so no detail is
//   typed the same way twice; the location is the victim's address, as typed.
//
// Times: receivedAt starts at `start` and advances by exponential gaps (mean
// `meanGapMs`), strictly increasing; reportedAt is a little earlier. A live
// producer may restamp both (shared/synth/produce-calls.ts).

import type { IncidentParty, IncidentReported } from '../contracts/incident.ts';
import { ageAt, createPopulation, DEFAULT_AS_OF, type Population, type SynthAddress, type SynthHousehold, type SynthPerson } from './population.ts';
import { createRng, weightedTable, type Rng } from './random.ts';
import { typeAsCallHandlerWithVariations, typo } from './typed-as.ts';

export type RelationshipKind = 'partner' | 'ex_partner' | 'child_to_parent' | 'parent_to_child' | 'sibling';

export type TruthParty = {
  partyId: string;
  /** The population's id of the person (SynthPerson.id): the truth the resolver is measured against. */
  personId: string;
  roles: string[];
};

export type IncidentTruth = {
  incidentId: string;
  eventId: string;
  /** As sent (epoch ms); equal to the incident's receivedAt. */
  receivedAt: number;
  /** The abusive relationship (victim and perpetrator pair) the call belongs to. */
  relationshipId: string;
  /** The perpetrator of earlier calls reports their victim: the pair with roles reversed. */
  counterAllegation: boolean;
  parties: TruthParty[];
};

export type SimulatedCall = { incident: IncidentReported; truth: IncidentTruth };

export type CallStreamOptions = {
  /** Any string or number; the same seed (and options) gives the same calls. */
  seed: string | number;
  /** Size of the synthetic population (createPopulation) when none is given. Default 20,000. */
  persons?: number;
  /** A population already built (then `persons` and `asOf` are not used). */
  population?: Population;
  /** The date the population describes. Default `start`. */
  asOf?: Date;
  /** receivedAt of the first call. Default 2025-01-01T00:00Z (never the clock: the stream is pure). */
  start?: Date;
  /** Mean time between calls, ms (gaps are exponential). Default 300,000: about the Met's domestic-abuse call rate. */
  meanGapMs?: number;
  /** Calls per second instead of meanGapMs (give one or neither). */
  rate?: number;
  /** Scales every typing variation: 0 = typed perfectly, 1 = realistic (default), 2 = a bad night. */
  noise?: number;
  /**
   * How many calls the run is expected to have (≥ 1). Later calls of a
   * relationship, and a serial perpetrator's later victims, are planned over
   * shares of it; calls planned past the end of the run simply never happen.
   * Default 5,000.
   */
  horizonCalls?: number;
  /** Goes into every incidentId ("CAD-20250101-<runId>-7"), so two runs never share one. Default none. */
  runId?: string;
};

export type CallStream = {
  readonly population: Population;
  readonly meanGapMs: number;
  /**
   * Carries on from `from` (or just after the last call, if that is later)
   * at a new pace: a live run after a simulated history keeps its calls,
   * ids and the ages typed in them on today's date.
   */
  repace(opts: { from: Date; meanGapMs: number }): void;
  /** The next call; the stream never ends. */
  next(): SimulatedCall;
  /** The next n calls. */
  take(n: number): SimulatedCall[];
  [Symbol.iterator](): Iterator<SimulatedCall>;
};

export const DEFAULT_PERSONS = 20_000;
/** About 100,000 domestic-abuse calls a year in London: one every five minutes. */
export const DEFAULT_MEAN_GAP_MS = 300_000;

/** Abuse types that are violence against the body; every other type is non-violent abuse. */
export const VIOLENT_ABUSE_TYPES: readonly string[] = Object.freeze(['PHYSICAL', 'SEXUAL', 'STRANGULATION']);

/** True when the call reports only non-violent abuse (coercive control, stalking, threats ...). */
export function isNonViolentOnly(abuseTypes: readonly string[]): boolean {
  return abuseTypes.length > 0 && abuseTypes.every((t) => !VIOLENT_ABUSE_TYPES.includes(t));
}

// ---------------------------------------------------------------- the model's rates

/** New relationships by kind (serial perpetrators' later victims are cast apart). */
const KINDS: readonly (readonly [RelationshipKind, number])[] = [
  ['partner', 48], ['ex_partner', 30], ['child_to_parent', 10], ['parent_to_child', 5], ['sibling', 7],
];

/** How many calls a relationship brings: many victims call once, some 2–6 times, a few many more. */
const CALLS_PER_RELATIONSHIP: readonly (readonly [number, number])[] = [
  [1, 58], [2, 15], [3, 8.5], [4, 5.5], [5, 4], [6, 3], [7, 2], [8, 1.3], [10, 1.2], [12, 0.8], [15, 0.7],
];
/** Over what share of the horizon a relationship's calls spread: a burst, a season, most of the run. */
const CALL_SPREAD: readonly (readonly [[number, number], number])[] = [[[0.02, 0.1], 30], [[0.1, 0.4], 45], [[0.4, 0.9], 25]];
export const DEFAULT_HORIZON_CALLS = 5_000;

/** Share of new intimate (partner, ex-partner) perpetrators who go on to abuse other victims. */
const SERIAL_SHARE = 0.12;
/** Victims a serial perpetrator has in all. */
const SERIAL_VICTIMS: readonly (readonly [number, number])[] = [[2, 55], [3, 30], [4, 15]];
/** When a serial perpetrator's next victim comes, after the last: a share of the horizon. */
const SERIAL_GAP: readonly [number, number] = [0.05, 0.5];

/** Share of intimate pairs with repeat calls in which the perpetrator also calls; and the chance a later call is theirs. */
const CONTESTED_SHARE = 0.3;
const COUNTER_ALLEGATION = 0.4;

type Family = 'intimate' | 'ex' | 'family';
const familyOf = (kind: RelationshipKind): Family => (kind === 'partner' ? 'intimate' : kind === 'ex_partner' ? 'ex' : 'family');

/** Per family of relationship: share of pairs that are physically violent, and how often their calls are then violent (else rarely). */
const VIOLENCE: Record<Family, { violentPairs: number; whenViolent: number; otherwise: number; controlling: number; stalking: number }> = {
  intimate: { violentPairs: 0.55, whenViolent: 0.7, otherwise: 0.12, controlling: 0.45, stalking: 0.05 },
  ex: { violentPairs: 0.3, whenViolent: 0.55, otherwise: 0.08, controlling: 0.3, stalking: 0.4 },
  family: { violentPairs: 0.45, whenViolent: 0.6, otherwise: 0.1, controlling: 0.1, stalking: 0.02 },
};
/** Each later call of a pair is a little more likely to be violent (escalation), up to ESCALATION_CAP. */
const ESCALATION = 0.04;
const ESCALATION_CAP = 0.9;

const NON_VIOLENT: Record<Family | 'child_to_parent', (rng: Rng) => string> = {
  intimate: weightedTable([
    ['COERCIVE_CONTROL', 22], ['PSYCHOLOGICAL', 16], ['EMOTIONAL', 14], ['CRIMINAL_DAMAGE', 12], ['ECONOMIC', 8], ['THREATS_TO_KILL', 7],
    ['HARASSMENT', 7], ['TECHNOLOGY_FACILITATED', 6], ['STALKING', 2], ['HONOUR_BASED', 1], ['OTHER', 5],
  ]),
  ex: weightedTable([
    ['HARASSMENT', 24], ['STALKING', 16], ['TECHNOLOGY_FACILITATED', 14], ['CRIMINAL_DAMAGE', 10], ['THREATS_TO_KILL', 8], ['COERCIVE_CONTROL', 8],
    ['PSYCHOLOGICAL', 8], ['EMOTIONAL', 6], ['ECONOMIC', 3], ['OTHER', 3],
  ]),
  family: weightedTable([
    ['CRIMINAL_DAMAGE', 18], ['PSYCHOLOGICAL', 16], ['EMOTIONAL', 14], ['ECONOMIC', 12], ['HARASSMENT', 10], ['THREATS_TO_KILL', 8],
    ['COERCIVE_CONTROL', 8], ['HONOUR_BASED', 4], ['FORCED_MARRIAGE', 2], ['OTHER', 6],
  ]),
  // An adult child abusing a parent: money and damage more than control; no forced marriage.
  child_to_parent: weightedTable([
    ['ECONOMIC', 22], ['CRIMINAL_DAMAGE', 22], ['PSYCHOLOGICAL', 14], ['EMOTIONAL', 12], ['THREATS_TO_KILL', 8], ['HARASSMENT', 10], ['COERCIVE_CONTROL', 6], ['OTHER', 6],
  ]),
};

const WEAPON_DESCRIPTIONS: Record<string, readonly string[]> = {
  KNIFE: ['kitchen knife', 'knife', 'large kitchen knife', 'lock knife', 'blade', 'knife (not seen)'],
  BLUNT_OBJECT: ['hammer', 'baseball bat', 'iron bar', 'frying pan', 'bottle', 'chair'],
  LIGATURE: ['belt', 'phone charger cable', 'scarf', 'rope'],
  FIREARM: ['handgun (not seen)', 'says he has a gun', 'shotgun', 'firearm threatened'],
  CORROSIVE: ['bleach', 'unknown liquid', 'acid threatened'],
  OTHER: ['screwdriver', 'scissors', 'broken glass', 'car driven at victim'],
};
const INJURY_DESCRIPTIONS: Record<string, readonly string[]> = {
  NONE_VISIBLE: ['complains of pain', 'no visible injuries', 'pain to arm'],
  MINOR: ['bruising to face', 'cut to lip', 'scratches to arms', 'swelling to eye', 'red marks to arms', 'cut to hand'],
  SERIOUS: ['head injury', 'suspected broken arm', 'deep cut to arm', 'broken nose'],
  LIFE_THREATENING: ['stab wound to chest', 'unconscious, not breathing normally', 'serious head injury'],
  UNKNOWN: [],
};

// ---------------------------------------------------------------- the stream

type Relationship = {
  id: string;
  kind: RelationshipKind;
  victim: SynthPerson;
  perpetrator: SynthPerson;
  callsPlanned: number;
  calls: number;
  /** Chance that a call of this pair is violent, before escalation. */
  violence: number;
  /** Coercive control runs through the pair's calls. */
  controlling: boolean;
  stalking: boolean;
  /** The perpetrator also calls, on some later calls (counter-allegations). */
  contested: boolean;
};

/** Builds the stream. Throws a RangeError on options that cannot work, saying what to change. */
export function createCallStream(opts: CallStreamOptions): CallStream {
  if (opts.rate !== undefined && opts.meanGapMs !== undefined) throw new RangeError('createCallStream: give rate or meanGapMs, not both');
  if (opts.rate !== undefined && !(opts.rate > 0 && Number.isFinite(opts.rate))) throw new RangeError(`createCallStream: rate must be a number > 0 calls per second (got ${opts.rate})`);
  const meanGapMs = opts.rate !== undefined ? 1000 / opts.rate : (opts.meanGapMs ?? DEFAULT_MEAN_GAP_MS);
  if (!(meanGapMs > 0 && Number.isFinite(meanGapMs))) throw new RangeError(`createCallStream: meanGapMs must be a number > 0 (got ${opts.meanGapMs})`);
  const start = opts.start ?? DEFAULT_AS_OF;
  if (Number.isNaN(start.getTime())) throw new RangeError('createCallStream: start is not a valid date');
  const noise = opts.noise ?? 1;
  if (!(noise >= 0 && Number.isFinite(noise))) throw new RangeError(`createCallStream: noise must be a number ≥ 0 (got ${opts.noise})`);
  if (opts.runId !== undefined && !/^[A-Za-z0-9]{1,16}$/.test(opts.runId)) throw new RangeError(`createCallStream: runId must be 1–16 letters or digits (got "${opts.runId}")`);
  const horizon = opts.horizonCalls ?? DEFAULT_HORIZON_CALLS;
  if (!(horizon >= 1 && Number.isFinite(horizon))) throw new RangeError(`createCallStream: horizonCalls must be a number ≥ 1 (got ${opts.horizonCalls})`);

  const root = createRng(opts.seed).fork('calls');
  const population = opts.population ?? createPopulation({ seed: opts.seed, persons: opts.persons ?? DEFAULT_PERSONS, asOf: opts.asOf ?? start });
  const cast = createCast(population, start.toISOString().slice(0, 10));
  // Separate streams: the clock, the story and the typing do not shift one another.
  const clock = root.fork('clock');
  const rng = root.fork('story');
  const typing = root.fork('typing');

  let lastReceivedAt = start.getTime() - 1;
  let elapsedMs = 0;
  let origin = start.getTime();
  let gapMs = meanGapMs;
  let day = '';
  let callOfDay = 0;
  let relationshipCount = 0;
  let callIndex = 0;
  /** Later calls of known relationships, by the call index they fall due at. */
  const laterCalls = createDueQueue<Relationship>();
  /** Serial perpetrators' next victims, by the call index they fall due at. */
  const laterVictims = createDueQueue<{ perpetrator: SynthPerson; previous: SynthPerson[]; wanted: number }>();
  const later = (fromIndex: number, [lo, hi]: readonly [number, number]) => fromIndex + Math.max(1, Math.round(horizon * (lo + rng.next() * (hi - lo))));

  const newRelationship = (): Relationship => {
    const makeRelationship = (kind: RelationshipKind, victim: SynthPerson, perpetrator: SynthPerson): Relationship => {
      const v = VIOLENCE[familyOf(kind)];
      const callsPlanned = rng.weighted(CALLS_PER_RELATIONSHIP);
      cast.involve(victim, perpetrator);
      return {
        id: `R${String(++relationshipCount).padStart(6, '0')}`,
        kind, victim, perpetrator, callsPlanned, calls: 0,
        violence: rng.chance(v.violentPairs) ? v.whenViolent : v.otherwise,
        controlling: rng.chance(v.controlling),
        stalking: rng.chance(v.stalking),
        contested: (kind === 'partner' || kind === 'ex_partner') && callsPlanned >= 2 && rng.chance(CONTESTED_SHARE),
      };
    };
    const serial = laterVictims.takeDue(callIndex);
    if (serial) {
      const victim = cast.laterVictimOf(serial.perpetrator, serial.previous, rng);
      if (victim) {
        const relationship = makeRelationship(rng.chance(0.5) ? 'partner' : 'ex_partner', victim, serial.perpetrator);
        if (serial.previous.length < serial.wanted) laterVictims.add(later(callIndex, SERIAL_GAP), serial);
        return relationship;
      }
    }
    // A small population may have no pair of the kind drawn (no adult siblings): an ex-partner pair then.
    const pair = cast.pair(rng.weighted(KINDS), rng) ?? cast.pair('ex_partner', rng);
    if (!pair) throw new RangeError('createCallStream: the population is too small to cast an abusive relationship; give more persons');
    const [actualKind, victim, perpetrator] = pair;
    const relationship = makeRelationship(actualKind, victim, perpetrator);
    if ((actualKind === 'partner' || actualKind === 'ex_partner') && rng.chance(SERIAL_SHARE)) {
      // One victim after another: the next is planned when the last is cast, away from all of them.
      laterVictims.add(later(callIndex, SERIAL_GAP), { perpetrator, previous: [victim], wanted: rng.weighted(SERIAL_VICTIMS) });
    }
    return relationship;
  };

  const next = (): SimulatedCall => {
    // Exponential gaps (a Poisson stream of calls), strictly increasing ms.
    elapsedMs += -Math.log(1 - clock.next()) * gapMs;
    const receivedAt = Math.max(lastReceivedAt + 1, origin + Math.round(elapsedMs));
    lastReceivedAt = receivedAt;
    const ymd = new Date(receivedAt).toISOString().slice(0, 10).replace(/-/g, '');
    if (ymd !== day) {
      day = ymd;
      callOfDay = 0;
    }
    const incidentId = `CAD-${ymd}-${opts.runId ? `${opts.runId}-` : ''}${++callOfDay}`;

    callIndex++;
    const relationship = laterCalls.takeDue(callIndex) ?? newRelationship();
    relationship.calls++;
    if (relationship.calls === 1 && relationship.callsPlanned > 1) {
      // Plan the later calls now: at distinct random points over this pair's share of the horizon.
      const [lo, hi] = rng.weighted(CALL_SPREAD);
      const span = Math.max(relationship.callsPlanned, Math.round(horizon * (lo + rng.next() * (hi - lo))));
      for (let i = 1; i < relationship.callsPlanned; i++) laterCalls.add(callIndex + rng.int(1, span), relationship);
    }
    const counterAllegation = relationship.contested && relationship.calls > 1 && rng.chance(COUNTER_ALLEGATION);
    return composeCall({ incidentId, receivedAt, relationship, counterAllegation, cast, rng, typing, noise });
  };

  const stream: CallStream = {
    population,
    get meanGapMs() {
      return gapMs;
    },
    repace({ from, meanGapMs: gap }) {
      if (!(gap > 0 && Number.isFinite(gap))) throw new RangeError(`repace: meanGapMs must be a number > 0 (got ${gap})`);
      if (Number.isNaN(from.getTime())) throw new RangeError('repace: from is not a valid date');
      origin = Math.max(from.getTime(), lastReceivedAt + 1);
      elapsedMs = 0;
      gapMs = gap;
    },
    next,
    take(n) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`take: n must be a whole number ≥ 0 (got ${n})`);
      return Array.from({ length: n }, next);
    },
    *[Symbol.iterator]() {
      for (;;) yield next();
    },
  };
  return stream;
}

/** A min-heap by due call index (ties in the order added): what falls due first comes out first. */
function createDueQueue<T>() {
  const heap: { due: number; seq: number; item: T }[] = [];
  let seq = 0;
  const before = (a: number, b: number) => heap[a]!.due < heap[b]!.due || (heap[a]!.due === heap[b]!.due && heap[a]!.seq < heap[b]!.seq);
  const swap = (a: number, b: number) => ([heap[a], heap[b]] = [heap[b]!, heap[a]!]);
  return {
    add(due: number, item: T) {
      heap.push({ due, seq: seq++, item });
      for (let i = heap.length - 1; i > 0 && before(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    },
    /** The first item due at or before `index`, taken off the queue; undefined when none is due yet. */
    takeDue(index: number): T | undefined {
      const top = heap[0];
      if (!top || top.due > index) return undefined;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        for (let i = 0; ;) {
          const l = 2 * i + 1, r = l + 1;
          let m = i;
          if (l < heap.length && before(l, m)) m = l;
          if (r < heap.length && before(r, m)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
      return top.item;
    },
  };
}

// ---------------------------------------------------------------- one call

type ComposeInput = {
  incidentId: string;
  receivedAt: number;
  relationship: Relationship;
  counterAllegation: boolean;
  cast: Cast;
  rng: Rng;
  typing: Rng;
  noise: number;
};

type Draft = { person: SynthPerson; roles: string[]; relationshipToVictim: string | null; knows: 'self' | 'suspect' | 'child' | 'third' };

function composeCall({ incidentId, receivedAt, relationship: rel, counterAllegation, cast, rng, typing, noise }: ComposeInput): SimulatedCall {
  const when = new Date(receivedAt);
  const whenIso = when.toISOString().slice(0, 10);
  const victim = counterAllegation ? rel.perpetrator : rel.victim;
  const suspect = counterAllegation ? rel.victim : rel.perpetrator;
  const family = familyOf(rel.kind);

  // Where: the victim's home as it was then; some ex-partner incidents happen at the perpetrator's.
  const atSuspects = rel.kind === 'ex_partner' && rng.chance(0.1);
  const scenePerson = atSuspects ? suspect : victim;
  const scene = addressAt(scenePerson, whenIso);

  // What: a violent call or not (pairs escalate), then the types of abuse.
  const violent = rng.chance(Math.min(ESCALATION_CAP, rel.violence + ESCALATION * (rel.calls - 1)));
  const types = new Set<string>();
  const nonViolent = NON_VIOLENT[rel.kind === 'child_to_parent' ? 'child_to_parent' : family];
  if (violent) {
    if (rng.chance(0.93)) types.add('PHYSICAL');
    if (rng.chance(family === 'family' ? 0.03 : 0.1)) types.add('STRANGULATION');
    if (family !== 'family' && rng.chance(0.05)) types.add('SEXUAL');
    if (types.size === 0) types.add('PHYSICAL');
  } else types.add(nonViolent(rng));
  const extras = rng.weighted([[0, violent ? 50 : 55], [1, 35], [2, violent ? 15 : 10]] as const);
  for (let i = 0; i < extras; i++) types.add(nonViolent(rng));
  if (rel.controlling && !counterAllegation && rng.chance(0.6)) types.add('COERCIVE_CONTROL');
  if (rel.stalking && !counterAllegation && rng.chance(0.6)) types.add('STALKING');
  const abuseTypes = [...types];

  const weapons: IncidentReported['weapons'] = [];
  const weapon = (kind: string) => weapons.push({ kind, description: rng.chance(0.75) ? rng.pick(WEAPON_DESCRIPTIONS[kind]!) : null });
  if (violent) {
    if (rng.chance(0.09)) weapon('KNIFE');
    if (rng.chance(0.06)) weapon('BLUNT_OBJECT');
    if (types.has('STRANGULATION') && rng.chance(0.3)) weapon('LIGATURE');
    if (rng.chance(0.003)) weapon('CORROSIVE');
    if (rng.chance(0.004)) weapon('FIREARM');
    if (rng.chance(0.02)) weapon('OTHER');
  } else if (types.has('THREATS_TO_KILL')) {
    if (rng.chance(0.15)) weapon('KNIFE');
    if (rng.chance(0.01)) weapon('FIREARM');
  } else if (types.has('CRIMINAL_DAMAGE') && rng.chance(0.08)) weapon('BLUNT_OBJECT');

  const source = rng.weighted<string>(violent || weapons.length > 0
    ? [['EMERGENCY_999', 82], ['NON_EMERGENCY_101', 10], ['ONLINE', 2], ['OFFICER', 6]]
    : [['EMERGENCY_999', 58], ['NON_EMERGENCY_101', 28], ['ONLINE', 10], ['OFFICER', 4]]);

  // Who: victim and suspect; children at the address; sometimes a neighbour or a friend who called.
  const children = scene === scenePerson.address ? cast.childrenAt(scenePerson.householdId, whenIso) : [];
  let childrenPresent: boolean | null;
  let childrenCount: number | null = null;
  if (children.length > 0) {
    childrenPresent = rng.chance(0.65);
    if (childrenPresent && rng.chance(0.85)) childrenCount = children.length;
  } else childrenPresent = rng.chance(0.75) ? false : null;

  const drafts: Draft[] = [];
  const victimDraft: Draft = { person: victim, roles: ['VICTIM'], relationshipToVictim: null, knows: 'self' };
  const suspectDraft: Draft = { person: suspect, roles: ['SUSPECT'], relationshipToVictim: relationshipToVictim(rel.kind, counterAllegation), knows: 'suspect' };
  let caller: Draft | undefined;
  if (childrenPresent && rng.chance(0.2)) {
    const old = children.filter((c) => ageAt(c.dob, whenIso) >= 4);
    const child = rng.pick(old.length > 0 ? old : children);
    const childCalls = ageAt(child.dob, whenIso) >= 10 && rng.chance(0.25);
    const draft: Draft = { person: child, roles: childCalls ? ['CHILD', 'CALLER'] : ['CHILD'], relationshipToVictim: 'child', knows: 'child' };
    drafts.push(draft);
    if (childCalls) caller = draft;
  }
  if (!caller && rng.chance(0.12)) {
    const neighbour = rng.chance(0.7);
    const person = neighbour ? cast.neighbourOf(scene, [victim, suspect], rng) : cast.anyoneBut([victim, suspect], rng);
    if (person) {
      const draft: Draft = neighbour
        ? { person, roles: rng.chance(0.55) ? ['CALLER', 'WITNESS'] : ['WITNESS'], relationshipToVictim: rng.chance(0.7) ? 'neighbour' : null, knows: 'third' }
        : { person, roles: ['CALLER'], relationshipToVictim: rng.pick(['friend', 'friend', 'family member']), knows: 'third' };
      drafts.push(draft);
      if (draft.roles.includes('CALLER')) caller = draft;
    }
  }
  if (!caller && source !== 'OFFICER' && rng.chance(0.92)) {
    victimDraft.roles.push('CALLER');
    caller = victimDraft;
  }
  // The caller is the first party on the record; then victim, suspect, the others.
  const ordered = [...(caller && caller !== victimDraft ? [caller] : []), victimDraft, suspectDraft, ...drafts.filter((d) => d !== caller)];
  const parties = ordered.map((d, i) => typeParty(d, `P${i + 1}`, when, typing, noise));
  const partyIdOf = (d: Draft) => `P${ordered.indexOf(d) + 1}`;

  const injuries: IncidentReported['injuries'] = [];
  const strangled = types.has('STRANGULATION');
  if (violent && rng.chance(0.75)) {
    const knifeOrBlunt = weapons.some((w) => w.kind === 'KNIFE' || w.kind === 'BLUNT_OBJECT' || w.kind === 'FIREARM');
    const severity = rng.weighted<string>([
      ['NONE_VISIBLE', 25], ['MINOR', 45], ['SERIOUS', knifeOrBlunt ? 22 : 8], ['LIFE_THREATENING', knifeOrBlunt ? 5 : 1], ['UNKNOWN', 15],
    ]);
    let description: string | null = rng.chance(0.75) && INJURY_DESCRIPTIONS[severity]!.length > 0 ? rng.pick(INJURY_DESCRIPTIONS[severity]!) : null;
    if (strangled && (severity === 'MINOR' || severity === 'NONE_VISIBLE')) description = severity === 'MINOR' ? 'red marks to neck' : 'no visible marks to neck';
    injuries.push({ partyId: rng.chance(0.95) ? partyIdOf(victimDraft) : null, severity, description });
  }
  if (violent && counterAllegation && rng.chance(0.4)) injuries.push({ partyId: partyIdOf(suspectDraft), severity: 'MINOR', description: rng.chance(0.5) ? 'scratches to face' : null });

  const riskLevel = assessRisk({ types, weapons, injuries, childrenPresent, previousCalls: rel.calls - 1, rng });
  const callGrade = gradeCall({ source, violent, weapons: weapons.length, riskLevel, threats: types.has('THREATS_TO_KILL'), rng });
  // When the caller says it happened: seconds before a 999 or 101 call; hours before an online report.
  const beforeMs = source === 'ONLINE' ? rng.int(5 * 60, 12 * 3600) * 1000 : source === 'OFFICER' ? rng.int(60, 1800) * 1000 : rng.int(3, 90) * 1000;

  const eventId = `${incidentId}:v1`;
  const incident: IncidentReported = {
    incidentId,
    eventId,
    version: 1,
    source,
    reportedAt: receivedAt - beforeMs,
    receivedAt,
    boroughCode: scene.boroughCode,
    location: typeLocation(scene, rng, noise),
    parties,
    domesticAbuse: true,
    abuseTypes,
    weapons,
    childrenPresent,
    childrenCount,
    injuries,
    callGrade,
    riskLevel,
  };
  const truth: IncidentTruth = {
    incidentId,
    eventId,
    receivedAt,
    relationshipId: rel.id,
    counterAllegation,
    parties: ordered.map((d, i) => ({ partyId: `P${i + 1}`, personId: d.person.id, roles: [...d.roles] })),
  };
  return { incident, truth };
}

/** How the suspect is related to the victim, in the words the schema suggests. */
function relationshipToVictim(kind: RelationshipKind, reversed: boolean): string {
  switch (kind) {
    case 'partner': return 'partner';
    case 'ex_partner': return 'ex-partner';
    case 'sibling': return 'sibling';
    case 'child_to_parent': return reversed ? 'parent' : 'child';
    case 'parent_to_child': return reversed ? 'child' : 'parent';
  }
}

function addressAt(person: SynthPerson, whenIso: string): SynthAddress {
  return person.previousAddress && whenIso < person.addressSince ? person.previousAddress : person.address;
}

/** A THRIVE / DASH-like first assessment: the known high-risk markers add up; some calls are not yet assessed. */
function assessRisk(input: {
  types: Set<string>; weapons: IncidentReported['weapons']; injuries: IncidentReported['injuries']; childrenPresent: boolean | null; previousCalls: number; rng: Rng;
}): string | null {
  const { types, weapons, injuries, rng } = input;
  if (rng.chance(0.08)) return null;
  let score = Math.min(3, input.previousCalls);
  if (types.has('STRANGULATION')) score += 3;
  if (types.has('THREATS_TO_KILL')) score += 3;
  if (types.has('STALKING')) score += 2;
  if (types.has('SEXUAL')) score += 2;
  if (types.has('COERCIVE_CONTROL')) score += 1;
  if (types.has('PHYSICAL')) score += 1;
  for (const w of weapons) score += w.kind === 'FIREARM' ? 4 : w.kind === 'KNIFE' || w.kind === 'CORROSIVE' ? 3 : 1;
  for (const i of injuries) score += i.severity === 'LIFE_THREATENING' ? 5 : i.severity === 'SERIOUS' ? 3 : 0;
  if (input.childrenPresent) score += 1;
  score += rng.int(-1, 1); // the call handler's judgement
  return score >= 6 ? 'HIGH' : score >= 3 ? 'MEDIUM' : 'STANDARD';
}

function gradeCall(input: { source: string; violent: boolean; weapons: number; riskLevel: string | null; threats: boolean; rng: Rng }): string {
  const { source, rng } = input;
  if (rng.chance(0.01)) return 'UNGRADED';
  const urgent = input.violent || input.weapons > 0 || input.riskLevel === 'HIGH' || input.threats;
  switch (source) {
    case 'EMERGENCY_999':
      return urgent ? (rng.chance(0.9) ? 'IMMEDIATE' : 'PRIORITY') : rng.weighted([['IMMEDIATE', 25], ['PRIORITY', 60], ['SCHEDULED', 15]]);
    case 'NON_EMERGENCY_101':
      return urgent ? rng.weighted([['IMMEDIATE', 20], ['PRIORITY', 60], ['SCHEDULED', 20]]) : rng.weighted([['PRIORITY', 30], ['SCHEDULED', 55], ['RESOLUTION_WITHOUT_DEPLOYMENT', 15]]);
    case 'ONLINE':
      return rng.weighted([['SCHEDULED', 45], ['RESOLUTION_WITHOUT_DEPLOYMENT', 55]]);
    default:
      return rng.weighted([['IMMEDIATE', 20], ['PRIORITY', 50], ['SCHEDULED', 30]]);
  }
}

// ---------------------------------------------------------------- typing

const TITLE = /^(mr|mrs|ms|miss|mx|dr)\.?$/i;

/** One party as the call handler typed it, with what the caller could know about that person. */
function typeParty(draft: Draft, partyId: string, when: Date, rng: Rng, noise: number): IncidentParty {
  const { person } = draft;
  const { fields, variations } = typeAsCallHandlerWithVariations(person, rng, { when, noise });
  // The typing puts a title before the given name; the schema has a field for it.
  let title: string | null = null;
  let given: string | null = fields.given_name ?? null;
  let middle: string | null = null;
  if (given) {
    const [first = '', ...rest] = given.split(' ');
    if (TITLE.test(first)) {
      title = first;
      given = rest.join(' ') || null;
    }
  }
  if (given && variations.includes('name_middle_included') && rng.chance(0.5)) {
    const typedMiddle = ` ${person.middleNames.join(' ')}`;
    if (given.length > typedMiddle.length && given.toLowerCase().endsWith(typedMiddle.toLowerCase())) {
      middle = given.slice(given.length - typedMiddle.length + 1);
      given = given.slice(0, given.length - typedMiddle.length);
    }
  }
  let dateOfBirth = fields.dob ?? null;
  let ageYears = fields.age ?? null;
  let emails = fields.emails ?? [];
  let addresses = fields.addresses ?? [];
  if (fields.postcode && addresses.length > 0) addresses = [`${addresses[0]}, ${fields.postcode}`, ...addresses.slice(1)];
  else if (fields.postcode) addresses = [fields.postcode];
  const actualAge = Math.max(0, ageAt(person.dob, when.toISOString().slice(0, 10)));
  if (draft.knows === 'suspect') {
    // A victim may know the suspect's age better than the date of birth, and rarely the email.
    if (dateOfBirth && rng.chance(0.3)) {
      dateOfBirth = null;
      ageYears = rng.chance(0.6) ? Math.max(16, actualAge + rng.int(-3, 3)) : null;
    }
    if (rng.chance(0.8)) emails = [];
  } else if (draft.knows === 'third') {
    if (rng.chance(0.6)) {
      dateOfBirth = null;
      ageYears = null;
    }
    if (rng.chance(0.8)) emails = [];
  } else if (draft.knows === 'child') emails = [];
  return {
    partyId,
    roles: [...draft.roles],
    name: { title, given, middle, family: fields.family_name ?? null, full: fields.full_name ?? null, aliases: [] },
    dateOfBirth,
    ageYears,
    gender: fields.gender ?? null,
    phones: fields.phones ?? [],
    emails,
    addresses,
    relationshipToVictim: draft.relationshipToVictim,
  };
}

const STREET_SHORT: Record<string, string> = {
  Road: 'Rd', Street: 'St', Avenue: 'Ave', Gardens: 'Gdns', Close: 'Cl', Court: 'Ct', Lane: 'Ln', Grove: 'Gr', Crescent: 'Cres', Terrace: 'Terr',
  Place: 'Pl', Drive: 'Dr', Square: 'Sq', Way: 'Wy', Walk: 'Wlk', Parade: 'Pde',
};

/** The incident location as typed: flat on its own line or not, Rd for Road, the postcode in any spacing or case, or left out. */
function typeLocation(address: SynthAddress, rng: Rng, noise: number): IncidentReported['location'] {
  const maybe = (rate: number) => rng.chance(Math.min(0.95, rate * noise));
  const words = address.street.split(' ');
  const short = STREET_SHORT[words[words.length - 1]!];
  if (short && maybe(0.3)) words[words.length - 1] = short;
  if (maybe(0.03)) words[0] = typo(words[0]!, rng);
  let street = words.join(' ');
  if (maybe(0.08)) street = street.toUpperCase();
  const building = `${address.houseNumber} ${street}`;
  let addressLines: string[];
  if (!address.flat) addressLines = [building];
  else if (maybe(0.4)) addressLines = [`Flat ${address.flat}`, building];
  else if (/^\d+$/.test(address.flat) && maybe(0.15)) addressLines = [`${address.flat}/${building}`];
  else addressLines = [`Flat ${address.flat}, ${building}`];
  if (maybe(0.3)) addressLines.push(rng.chance(0.8) ? 'London' : 'LONDON');
  let postcode: string | null = address.postcode;
  if (maybe(0.08)) postcode = null;
  else {
    if (maybe(0.15)) postcode = postcode.replace(' ', '');
    if (maybe(0.1)) postcode = postcode.toLowerCase();
  }
  return { addressLines, postcode, uprn: null, latitude: null, longitude: null };
}

// ---------------------------------------------------------------- casting

type Cast = ReturnType<typeof createCast>;

/**
 * Who can be cast in an abusive relationship, found once from the population:
 * couples, parents with adult children, adult siblings, adults by gender and
 * borough. People already in a relationship are avoided while others are
 * left; once the population is used up, people are cast again.
 */
function createCast(population: Population, startIso: string) {
  const age = new Map(population.persons.map((p) => [p.id, ageAt(p.dob, startIso)]));
  const isAdult = (p: SynthPerson) => age.get(p.id)! >= 18;
  const households = new Map<string, SynthHousehold>(population.households.map((h) => [h.id, h]));
  const member = (id: string) => population.byId.get(id)!;
  const couples: [SynthPerson, SynthPerson][] = [];
  const parentAndChild: [SynthPerson, SynthPerson][] = [];
  const siblings: [SynthPerson, SynthPerson][] = [];
  for (const h of population.households) {
    const members = h.memberIds.map(member);
    const parents = members.filter((m) => (m.relation === 'head' || m.relation === 'partner') && isAdult(m));
    const adultChildren = members.filter((m) => m.relation === 'child' && isAdult(m));
    const head = parents.find((m) => m.relation === 'head');
    const partner = parents.find((m) => m.relation === 'partner');
    if (h.kind !== 'sharers' && head && partner) couples.push([head, partner]);
    if (h.kind !== 'sharers') for (const p of parents) for (const c of adultChildren) parentAndChild.push([p, c]);
    for (let i = 0; i < adultChildren.length; i++) for (let j = i + 1; j < adultChildren.length; j++) siblings.push([adultChildren[i]!, adultChildren[j]!]);
  }
  const adults = population.persons.filter(isAdult);
  if (adults.length < 4) throw new RangeError(`createCallStream: the population has ${adults.length} adults; give at least a few hundred persons`);
  const adultsByGender = { female: adults.filter((p) => p.gender === 'female'), male: adults.filter((p) => p.gender === 'male') };
  const adultsByBorough = new Map<string, SynthPerson[]>();
  for (const p of adults) (adultsByBorough.get(p.address.boroughCode) ?? adultsByBorough.set(p.address.boroughCode, []).get(p.address.boroughCode)!).push(p);
  const involved = new Set<string>();
  const free = (...people: SynthPerson[]) => people.every((p) => !involved.has(p.id));

  /** A random item that passes `ok`, preferring people not yet cast; undefined when none is found in a fair number of tries. */
  function find<T>(items: readonly T[], rng: Rng, ok: (item: T) => boolean, people: (item: T) => SynthPerson[]): T | undefined {
    if (items.length === 0) return undefined;
    for (let i = 0; i < 60; i++) {
      const item = rng.pick(items);
      if (ok(item) && free(...people(item))) return item;
    }
    for (let i = 0; i < 60; i++) {
      const item = rng.pick(items);
      if (ok(item)) return item;
    }
    return undefined;
  }
  const ageOf = (p: SynthPerson) => age.get(p.id)!;
  const other = (g: SynthPerson['gender']) => (g === 'female' ? 'male' : 'female');

  return {
    involve(...people: SynthPerson[]) {
      for (const p of people) involved.add(p.id);
    },
    /** Victim and perpetrator of a new relationship of this kind, or undefined when the population has no such pair. */
    pair(kind: RelationshipKind, rng: Rng): [RelationshipKind, SynthPerson, SynthPerson] | undefined {
      switch (kind) {
        case 'partner': {
          const couple = find(couples, rng, () => true, (c) => c);
          if (!couple) return undefined;
          const [a, b] = couple;
          // Women are most of the victims of partner abuse; men are some.
          const aIsVictim = a.gender !== b.gender ? (a.gender === 'female') === rng.chance(0.82) : rng.chance(0.5);
          return aIsVictim ? [kind, a, b] : [kind, b, a];
        }
        case 'ex_partner': {
          const victimGender = rng.chance(0.8) ? 'female' : 'male';
          const victim = find(adultsByGender[victimGender], rng, (p) => ageOf(p) <= 70, (p) => [p]);
          if (!victim) return undefined;
          const perpetratorGender = rng.chance(0.95) ? other(victimGender) : victimGender;
          const perpetrator = find(adultsByGender[perpetratorGender], rng, (p) => p.householdId !== victim.householdId && Math.abs(ageOf(p) - ageOf(victim)) <= 10, (p) => [p])
            ?? find(adultsByGender[perpetratorGender], rng, (p) => p.householdId !== victim.householdId, (p) => [p]);
          return perpetrator ? [kind, victim, perpetrator] : undefined;
        }
        case 'child_to_parent':
        case 'parent_to_child': {
          const pc = find(parentAndChild, rng, () => true, (x) => x);
          if (!pc) return undefined;
          return kind === 'child_to_parent' ? [kind, pc[0], pc[1]] : [kind, pc[1], pc[0]];
        }
        case 'sibling': {
          const s = find(siblings, rng, () => true, (x) => x);
          if (!s) return undefined;
          return rng.chance(0.5) ? [kind, s[0], s[1]] : [kind, s[1], s[0]];
        }
      }
    },
    /** A serial perpetrator's next victim: the gender of the last, another household, usually another borough. */
    laterVictimOf(perpetrator: SynthPerson, previous: SynthPerson[], rng: Rng): SynthPerson | undefined {
      const last = previous[previous.length - 1]!;
      const households = new Set([perpetrator.householdId, ...previous.map((p) => p.householdId)]);
      const boroughs = new Set(previous.map((p) => p.address.boroughCode));
      const near = (p: SynthPerson) => !households.has(p.householdId) && Math.abs(ageOf(p) - ageOf(perpetrator)) <= 12;
      const victim = (rng.chance(0.6) ? find(adultsByGender[last.gender], rng, (p) => near(p) && !boroughs.has(p.address.boroughCode), (p) => [p]) : undefined)
        ?? find(adultsByGender[last.gender], rng, near, (p) => [p]);
      if (victim) previous.push(victim);
      return victim;
    },
    /** Children under 18, born by then, living in the household. */
    childrenAt(householdId: string, whenIso: string): SynthPerson[] {
      const h = households.get(householdId);
      if (!h) return [];
      return h.memberIds.map(member).filter((m) => m.relation === 'child' && m.dob <= whenIso && ageAt(m.dob, whenIso) < 18);
    },
    /** An adult of another household in the same borough: the neighbour who heard it. */
    neighbourOf(address: SynthAddress, not: SynthPerson[], rng: Rng): SynthPerson | undefined {
      const list = adultsByBorough.get(address.boroughCode) ?? [];
      const households = new Set(not.map((p) => p.householdId));
      for (let i = 0; i < 20 && list.length > 0; i++) {
        const p = rng.pick(list);
        if (!households.has(p.householdId)) return p;
      }
      return undefined;
    },
    /** Any adult of another household: a friend who called for the victim. */
    anyoneBut(not: SynthPerson[], rng: Rng): SynthPerson | undefined {
      const households = new Set(not.map((p) => p.householdId));
      for (let i = 0; i < 20; i++) {
        const p = rng.pick(adults);
        if (!households.has(p.householdId)) return p;
      }
      return undefined;
    },
  };
}
