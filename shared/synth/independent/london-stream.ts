// A second, independent call stream: London domestic-abuse calls with their
// truth, from a population, name pools and typing habits of its own
// (pools.ts, typist.ts), written apart from the project's simulator
// (call-stream.ts, population.ts, typed-as.ts). It is a test of
// generalisation only: never used to estimate or tune the model. It yields
// the same shape as the project's stream ({ incident, truth }), so the same
// evaluation scores both.
//
// Households: couples (married, sharing a surname, or not), with children
// and sometimes an adult child or a grandparent; single parents; people
// living alone; sharers. A household shares an address and, in some, a
// landline. Abusive relationships: partners at one address, ex-partners in
// two, an adult child and a parent, siblings; a few perpetrators go on to
// other victims. Some witnesses are household members (the hard negatives:
// a surname, an address and a landline shared with the victim).
// Deterministic given the options; pure.

import type { IncidentParty, IncidentReported } from '../../contracts/incident.ts';
import type { IncidentTruth, SimulatedCall } from '../call-stream.ts';
import { createRng, type Rng } from '../random.ts';
import { AREAS, COMMUNITIES, INWARD_LETTERS, LANDLINE_PREFIXES, MOBILE_PREFIXES, type Community } from './pools.ts';
import { addressOn, ageOn, typeIndependentParty, type IndependentAddress, type IndependentPerson, type Knowledge } from './typist.ts';

export type IndependentStreamOptions = {
  seed: string | number;
  /** Households in the population. Default 4,000 (about 10,000 people). */
  households?: number;
  /** receivedAt of the first call (epoch ms). */
  start: number;
  /** Mean time between calls, ms. */
  meanGapMs: number;
  /** Calls the run is expected to have: later calls are planned over shares of it. */
  horizonCalls: number;
  /** Goes into every incidentId, so two runs never share one. */
  runId?: string;
};

export type IndependentStream = { next(): SimulatedCall; take(n: number): SimulatedCall[]; readonly people: number };

type Household = { id: string; address: IndependentAddress; landline?: string; members: IndependentPerson[]; kind: 'couple' | 'single_parent' | 'alone' | 'sharers' };

type Relationship = { id: string; kind: 'partner' | 'ex_partner' | 'child_to_parent' | 'sibling'; victim: IndependentPerson; suspect: IndependentPerson; calls: number; contested: boolean };

const DAY = 86_400_000;
const CALLS_PER_RELATIONSHIP: readonly (readonly [number, number])[] = [[1, 55], [2, 17], [3, 10], [4, 6], [5, 4], [6, 3], [8, 2.5], [11, 1.5], [14, 1]];
const SPREAD: readonly (readonly [[number, number], number])[] = [[[0.01, 0.08], 30], [[0.08, 0.35], 45], [[0.35, 0.9], 25]];

/** Builds the stream. */
export function createIndependentCallStream(opts: IndependentStreamOptions): IndependentStream {
  const root = createRng(`independent:${opts.seed}`);
  const households = buildHouseholds(root.fork('population'), opts.households ?? 4_000, new Date(opts.start).toISOString().slice(0, 10));
  const householdOf = new Map<string, Household>(households.map((h) => [h.id, h]));
  const rng = root.fork('story');
  const typing = root.fork('typing');
  const clock = root.fork('clock');
  const startIso = new Date(opts.start).toISOString().slice(0, 10);
  const adult = (p: IndependentPerson) => ageOn(p.dob, startIso) >= 18;
  const couples = households.filter((h) => h.kind === 'couple').map((h) => h.members.filter(adult).slice(0, 2)).filter((c) => c.length === 2) as [IndependentPerson, IndependentPerson][];
  const parentChild: [IndependentPerson, IndependentPerson][] = [];
  const siblings: [IndependentPerson, IndependentPerson][] = [];
  for (const h of households) {
    if (h.kind !== 'couple' && h.kind !== 'single_parent') continue;
    const [p1, p2] = h.members;
    const grownChildren = h.members.slice(h.kind === 'couple' ? 2 : 1).filter((m) => adult(m) && m.family !== '' && ageOn(m.dob, startIso) < 50);
    for (const c of grownChildren) parentChild.push([p1!, c]);
    if (p2 && h.kind === 'couple') for (const c of grownChildren) parentChild.push([p2, c]);
    for (let i = 0; i + 1 < grownChildren.length; i++) siblings.push([grownChildren[i]!, grownChildren[i + 1]!]);
  }
  const adults = households.flatMap((h) => h.members.filter(adult));
  const used = new Set<string>();
  const due: { at: number; rel: Relationship }[] = [];
  const serialNext: { at: number; suspect: IndependentPerson; left: number }[] = [];
  let callIndex = 0;
  let relCount = 0;
  let elapsed = 0;
  let last = opts.start - 1;
  let callOfDay = 0;
  let day = '';

  const freePick = <T>(items: readonly T[], people: (x: T) => IndependentPerson[]): T => {
    for (let i = 0; i < 40; i++) {
      const x = rng.pick(items);
      if (people(x).every((p) => !used.has(p.id))) return x;
    }
    return rng.pick(items);
  };
  const exPartnerOf = (victim: IndependentPerson): IndependentPerson => {
    const near = (p: IndependentPerson) => p.gender !== victim.gender && p.householdId !== victim.householdId && Math.abs(ageOn(p.dob, startIso) - ageOn(victim.dob, startIso)) <= 10;
    for (let i = 0; i < 80; i++) {
      const p = rng.pick(adults);
      if (near(p) && !used.has(p.id)) return p;
    }
    return adults.find(near) ?? rng.pick(adults);
  };
  const plan = (rel: Relationship, planned: number) => {
    const [lo, hi] = rng.weighted(SPREAD);
    const span = Math.max(planned, Math.round(opts.horizonCalls * (lo + rng.next() * (hi - lo))));
    for (let i = 1; i < planned; i++) due.push({ at: callIndex + rng.int(1, span), rel });
  };
  const newRelationship = (): Relationship => {
    const serial = serialNext.findIndex((s) => s.at <= callIndex);
    let kind: Relationship['kind'];
    let victim: IndependentPerson;
    let suspect: IndependentPerson;
    if (serial >= 0) {
      const s = serialNext.splice(serial, 1)[0]!;
      suspect = s.suspect;
      victim = exPartnerOf(suspect);
      kind = rng.chance(0.5) ? 'partner' : 'ex_partner';
      if (s.left > 1) serialNext.push({ at: callIndex + Math.round(opts.horizonCalls * (0.05 + rng.next() * 0.4)), suspect, left: s.left - 1 });
    } else {
      kind = rng.weighted([['partner', 50], ['ex_partner', 32], ['child_to_parent', 11], ['sibling', 7]] as const);
      if (kind === 'partner') {
        const [a, b] = freePick(couples, (c) => c);
        const aVictim = a.gender !== b.gender ? (a.gender === 'female') === rng.chance(0.8) : rng.chance(0.5);
        [victim, suspect] = aVictim ? [a, b] : [b, a];
      } else if (kind === 'ex_partner' || (kind === 'child_to_parent' && parentChild.length === 0) || (kind === 'sibling' && siblings.length === 0)) {
        kind = 'ex_partner';
        victim = freePick(adults.filter((p) => p.gender === (rng.chance(0.8) ? 'female' : 'male')), (p) => [p]);
        suspect = exPartnerOf(victim);
      } else if (kind === 'child_to_parent') [victim, suspect] = freePick(parentChild, (x) => x);
      else [victim, suspect] = rng.chance(0.5) ? freePick(siblings, (x) => x) : [...freePick(siblings, (x) => x)].reverse() as [IndependentPerson, IndependentPerson];
      if ((kind === 'partner' || kind === 'ex_partner') && rng.chance(0.1)) {
        serialNext.push({ at: callIndex + Math.round(opts.horizonCalls * (0.05 + rng.next() * 0.4)), suspect, left: rng.int(1, 3) });
      }
    }
    used.add(victim.id);
    used.add(suspect.id);
    const planned = rng.weighted(CALLS_PER_RELATIONSHIP);
    const rel: Relationship = { id: `IR${String(++relCount).padStart(6, '0')}`, kind, victim, suspect, calls: 0, contested: planned > 1 && kind !== 'child_to_parent' && rng.chance(0.25) };
    plan(rel, planned);
    return rel;
  };

  const next = (): SimulatedCall => {
    elapsed += -Math.log(1 - clock.next()) * opts.meanGapMs;
    const receivedAt = Math.max(last + 1, opts.start + Math.round(elapsed));
    last = receivedAt;
    const when = new Date(receivedAt).toISOString().slice(0, 10);
    const ymd = when.replace(/-/g, '');
    if (ymd !== day) [day, callOfDay] = [ymd, 0];
    const incidentId = `CAD-${ymd}-${opts.runId ? `${opts.runId}-` : ''}i${++callOfDay}`;
    callIndex++;
    due.sort((a, b) => a.at - b.at);
    const rel = due[0] && due[0].at <= callIndex ? due.shift()!.rel : newRelationship();
    rel.calls++;
    const reversed = rel.contested && rel.calls > 1 && rng.chance(0.35);
    const victim = reversed ? rel.suspect : rel.victim;
    const suspect = reversed ? rel.victim : rel.suspect;
    const home = householdOf.get(victim.householdId)!;
    const scene = addressOn(victim, home.address, when);
    const drafts: { person: IndependentPerson; roles: string[]; knows: Knowledge; relation: string | null }[] = [
      { person: victim, roles: rng.chance(0.85) ? ['VICTIM', 'CALLER'] : ['VICTIM'], knows: 'self', relation: null },
      { person: suspect, roles: ['SUSPECT'], knows: 'suspect', relation: { partner: 'partner', ex_partner: 'ex-partner', child_to_parent: reversed ? 'parent' : 'child', sibling: 'sibling' }[rel.kind] },
    ];
    // A household member who saw it: same surname, address and landline as the victim, another person.
    const others = home.members.filter((m) => m !== victim && m !== suspect && ageOn(m.dob, when) >= 12);
    if (others.length > 0 && rng.chance(0.18)) drafts.push({ person: rng.pick(others), roles: ['WITNESS'], knows: 'other', relation: 'family member' });
    if (rng.chance(0.06)) drafts.push({ person: rng.pick(adults), roles: ['CALLER', 'WITNESS'], knows: 'other', relation: 'neighbour' });
    const parties: IncidentParty[] = drafts.map((d, i) => {
      const h = householdOf.get(d.person.householdId)!;
      return typeIndependentParty({ person: d.person, address: h.address, landline: h.landline, when, knows: d.knows, partyId: `P${i + 1}`, roles: d.roles, relationshipToVictim: d.relation, rng: typing });
    });
    const violent = rng.chance(0.5);
    const incident: IncidentReported = {
      incidentId,
      eventId: `${incidentId}:v1`,
      version: 1,
      source: rng.weighted([['EMERGENCY_999', 70], ['NON_EMERGENCY_101', 22], ['ONLINE', 8]] as const),
      reportedAt: receivedAt - rng.int(5, 120) * 1000,
      receivedAt,
      boroughCode: scene.boroughCode,
      location: { addressLines: [`${scene.flat ? `Flat ${scene.flat}, ` : ''}${scene.houseNumber} ${scene.street}`], postcode: rng.chance(0.9) ? scene.postcode : null, uprn: null, latitude: null, longitude: null },
      parties,
      domesticAbuse: true,
      abuseTypes: violent ? ['PHYSICAL'] : [rng.pick(['COERCIVE_CONTROL', 'HARASSMENT', 'STALKING', 'PSYCHOLOGICAL', 'CRIMINAL_DAMAGE', 'THREATS_TO_KILL'])],
      weapons: violent && rng.chance(0.1) ? [{ kind: 'KNIFE', description: null }] : [],
      childrenPresent: null,
      childrenCount: null,
      injuries: violent && rng.chance(0.6) ? [{ partyId: 'P1', severity: rng.pick(['MINOR', 'NONE_VISIBLE', 'SERIOUS']), description: null }] : [],
      callGrade: violent ? 'IMMEDIATE' : rng.pick(['PRIORITY', 'SCHEDULED']),
      riskLevel: rng.pick(['STANDARD', 'MEDIUM', 'HIGH', null]),
    };
    const truth: IncidentTruth = {
      incidentId,
      eventId: incident.eventId,
      receivedAt,
      relationshipId: rel.id,
      counterAllegation: reversed,
      parties: drafts.map((d, i) => ({ partyId: `P${i + 1}`, personId: d.person.id, roles: [...d.roles] })),
    };
    return { incident, truth };
  };
  return {
    next,
    take: (n) => Array.from({ length: n }, next),
    people: households.reduce((s, h) => s + h.members.length, 0),
  };
}

// ---------------------------------------------------------------- population

function buildHouseholds(rng: Rng, count: number, asOfIso: string): Household[] {
  const communities = Object.values(COMMUNITIES);
  const asOfYear = Number(asOfIso.slice(0, 4));
  const usedNumbers = new Set<string>();
  const households: Household[] = [];
  const takenAddresses = new Set<string>();
  let personCount = 0;
  const phone = (prefixes: readonly string[], digits: number, spaced: (d: string) => string): string => {
    for (;;) {
      const d = rng.pick(prefixes) + String(rng.int(0, 10 ** digits - 1)).padStart(digits, '0');
      if (!usedNumbers.has(d)) {
        usedNumbers.add(d);
        return spaced(d);
      }
    }
  };
  const mobile = () => phone(MOBILE_PREFIXES, 6, (d) => `${d.slice(0, 5)} ${d.slice(5)}`);
  const address = (): IndependentAddress => {
    for (;;) {
      const area = rng.pick(AREAS);
      const street = rng.pick(area.streets);
      const houseNumber = rng.int(1, 240);
      const flats = rng.chance(0.45);
      const flat = flats ? (rng.chance(0.5) ? rng.pick(['A', 'B', 'C', 'D', 'E']) : String(rng.int(1, 12))) : undefined;
      const key = `${street}|${houseNumber}|${flat ?? ''}`;
      if (takenAddresses.has(key)) continue;
      takenAddresses.add(key);
      // One postcode per stretch of about twenty numbers of a street.
      const inward = (seed: string) => {
        const r = createRng(seed);
        return `${r.int(1, 9)}${INWARD_LETTERS[r.int(0, INWARD_LETTERS.length - 1)]}${INWARD_LETTERS[r.int(0, INWARD_LETTERS.length - 1)]}`;
      };
      const district = area.districts[Math.abs(hash(street)) % area.districts.length]!;
      const postcode = `${district} ${inward(`${street}|${Math.floor(houseNumber / 20)}`)}`;
      return { ...(flat ? { flat } : {}), houseNumber, street, postcode, boroughCode: area.boroughCode };
    }
  };
  const person = (community: Community, gender: 'female' | 'male', family: string, birthYear: number, householdId: string): IndependentPerson => {
    const pool = gender === 'female' ? community.female : community.male;
    const given = rng.pick(pool);
    const middle = rng.chance(0.25) ? rng.pick(pool.filter((n) => n !== given)) : undefined;
    const dob = `${birthYear}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    const mobiles: { number: string; from: string }[] = [];
    if (asOfYear - birthYear >= 12) {
      mobiles.push({ number: mobile(), from: '1990-01-01' });
      if (rng.chance(0.15)) mobiles.push({ number: mobile(), from: `${asOfYear}-${String(rng.int(1, 12)).padStart(2, '0')}-01` });
    }
    return { id: `IP${String(++personCount).padStart(6, '0')}`, given, ...(middle ? { middle } : {}), family, gender, dob, mobiles, householdId };
  };
  const weights = communities.map((c) => [c, c.weight] as const);
  for (let i = 0; i < count; i++) {
    const id = `IH${String(i + 1).padStart(6, '0')}`;
    const kind = rng.weighted([['couple', 48], ['single_parent', 14], ['alone', 26], ['sharers', 12]] as const);
    const community = rng.weighted(weights);
    const members: IndependentPerson[] = [];
    const family = rng.pick(community.family);
    const headYear = asOfYear - rng.int(20, 72);
    if (kind === 'couple') {
      const mixed = rng.chance(0.15) ? rng.weighted(weights) : community;
      const married = rng.chance(0.6);
      const sameSex = rng.chance(0.04);
      members.push(person(community, 'male', family, headYear, id));
      members.push(person(mixed, sameSex ? 'male' : 'female', married ? family : rng.pick(mixed.family), headYear + rng.int(-6, 6), id));
    } else if (kind === 'single_parent') members.push(person(community, rng.chance(0.85) ? 'female' : 'male', family, asOfYear - rng.int(24, 60), id));
    else if (kind === 'alone') members.push(person(community, rng.chance(0.5) ? 'female' : 'male', family, headYear, id));
    else for (let k = rng.int(2, 3); k > 0; k--) {
      const c = rng.weighted(weights);
      members.push(person(c, rng.chance(0.5) ? 'female' : 'male', rng.pick(c.family), asOfYear - rng.int(19, 40), id));
    }
    if (kind === 'couple' || kind === 'single_parent') {
      const parentYear = Math.max(...members.map((m) => Number(m.dob.slice(0, 4))));
      const children = rng.weighted([[0, 25], [1, 30], [2, 28], [3, 12], [4, 5]] as const);
      for (let k = 0; k < children; k++) {
        const year = parentYear + rng.int(19, 38);
        if (year > asOfYear) continue;
        members.push(person(community, rng.chance(0.5) ? 'female' : 'male', family, year, id));
      }
      // A grandparent living with the family: same surname, another generation.
      if (kind === 'couple' && rng.chance(0.06)) members.push(person(community, rng.chance(0.7) ? 'female' : 'male', family, headYear - rng.int(22, 30), id));
    }
    const home = address();
    for (const m of members) {
      if (rng.chance(0.1)) {
        m.previousAddress = address();
        m.movedOn = `${asOfYear}-${String(rng.int(1, 12)).padStart(2, '0')}-01`;
      }
    }
    const landline = rng.chance(0.3) ? phone(LANDLINE_PREFIXES, 7, (d) => `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`) : undefined;
    households.push({ id, address: home, ...(landline ? { landline } : {}), members, kind });
  }
  return households;
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** The independent stream for an evaluation: `calls` calls over the 530 days before `end`. */
export function independentEvalStream({ seed, calls, end }: { seed: string; calls: number; end: number }): IndependentStream {
  return createIndependentCallStream({ seed, start: end - 540 * DAY, meanGapMs: (530 * DAY) / calls, horizonCalls: calls, runId: 'ind' + seed.replace(/[^A-Za-z0-9]/g, '').slice(0, 10) });
}
