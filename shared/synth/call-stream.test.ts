import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { validateIncident } from '../contracts/incident.ts';
import { createCallStream, isNonViolentOnly, type SimulatedCall } from './call-stream.ts';
import { createPopulation } from './population.ts';

const CALLS = 2000;
const population = createPopulation({ seed: 11, persons: 5000 });
const calls = createCallStream({ seed: 11, population, horizonCalls: CALLS }).take(CALLS);

const personIn = (call: SimulatedCall, role: string) => call.truth.parties.find((p) => p.roles.includes(role))!.personId;
const partyIn = (call: SimulatedCall, role: string) => call.incident.parties.find((p) => p.roles.includes(role))!;
const share = (n: number, of: number) => n / of;

describe('createCallStream', () => {
  it('gives the same calls for the same seed, and different calls for another', () => {
    const again = createCallStream({ seed: 11, population, horizonCalls: CALLS }).take(300);
    expect(again).toEqual(calls.slice(0, 300));
    const other = createCallStream({ seed: 12, population, horizonCalls: CALLS }).take(300);
    expect(other.map((c) => c.truth.parties.map((p) => p.personId))).not.toEqual(calls.slice(0, 300).map((c) => c.truth.parties.map((p) => p.personId)));
  });

  it('makes every incident one the schema encodes and the resolver accepts', () => {
    const schema = avro.Type.forSchema(JSON.parse(readFileSync(new URL('../../schemas/incident-reported.avsc', import.meta.url), 'utf8')));
    for (const { incident } of calls) {
      expect(schema.isValid(incident), incident.incidentId).toBe(true);
      expect(validateIncident(incident, { now: Date.now() }), incident.incidentId).toEqual({ ok: true });
    }
  });

  it('sends calls in time order, each reported a little before it was received, with unique ids', () => {
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.incident.receivedAt).toBeGreaterThan(calls[i - 1]!.incident.receivedAt);
    for (const { incident, truth } of calls) {
      expect(incident.reportedAt).toBeLessThanOrEqual(incident.receivedAt);
      expect(incident.receivedAt - incident.reportedAt).toBeLessThanOrEqual(12 * 3600 * 1000);
      expect(incident.incidentId).toMatch(/^CAD-\d{8}-\d+$/);
      expect(incident.eventId).toBe(`${incident.incidentId}:v1`);
      expect(incident.version).toBe(1);
      expect(truth).toMatchObject({ incidentId: incident.incidentId, eventId: incident.eventId, receivedAt: incident.receivedAt });
      expect(truth.parties.map((p) => [p.partyId, p.roles])).toEqual(incident.parties.map((p) => [p.partyId, p.roles]));
    }
    expect(new Set(calls.map((c) => c.incident.incidentId)).size).toBe(calls.length);
    expect(new Set(calls.map((c) => c.incident.eventId)).size).toBe(calls.length);
  });

  it('starts at the given start and spaces calls by the mean gap asked for', () => {
    const start = new Date('2024-06-01T00:00:00Z');
    const spaced = createCallStream({ seed: 11, population, start, meanGapMs: 60_000 }).take(1000);
    expect(spaced[0]!.incident.receivedAt).toBeGreaterThanOrEqual(start.getTime());
    const meanGap = (spaced.at(-1)!.incident.receivedAt - start.getTime()) / 1000;
    expect(meanGap).toBeGreaterThan(50_000);
    expect(meanGap).toBeLessThan(70_000);
    expect(spaced[0]!.incident.incidentId).toMatch(/^CAD-20240601-1$/);
    const tagged = createCallStream({ seed: 11, population, runId: 'r42', rate: 100 }).take(2);
    expect(tagged.map((c) => c.incident.incidentId)).toEqual(['CAD-20250101-r42-1', 'CAD-20250101-r42-2']);
  });

  it('spreads calls across London, at the victim’s address nearly always', () => {
    expect(new Set(calls.map((c) => c.incident.boroughCode)).size).toBeGreaterThanOrEqual(30);
    const atVictims = calls.filter((c) => {
      const victim = population.byId.get(personIn(c, 'VICTIM'))!;
      return [victim.address.boroughCode, victim.previousAddress?.boroughCode].includes(c.incident.boroughCode);
    });
    expect(share(atVictims.length, calls.length)).toBeGreaterThan(0.9);
  });

  it('has repeat victims: many call once, some two to six times, a few more', () => {
    const perVictim = new Map<string, number>();
    for (const c of calls) if (!c.truth.counterAllegation) perVictim.set(personIn(c, 'VICTIM'), (perVictim.get(personIn(c, 'VICTIM')) ?? 0) + 1);
    const counts = [...perVictim.values()];
    const once = counts.filter((n) => n === 1).length;
    const twoToSix = counts.filter((n) => n >= 2 && n <= 6).length;
    const more = counts.filter((n) => n > 6).length;
    expect(share(once, counts.length)).toBeGreaterThan(0.5);
    expect(share(twoToSix, counts.length)).toBeGreaterThan(0.2);
    expect(share(twoToSix, counts.length)).toBeLessThan(0.45);
    expect(more).toBeGreaterThan(5);
  });

  it('has serial perpetrators with two to four victims, in different households', () => {
    // A few family abusers also turn on a second member of their own household; serial perpetrators move on to other households.
    const victimsOf = new Map<string, Set<string>>();
    for (const c of calls) {
      if (c.truth.counterAllegation) continue;
      const victims = victimsOf.get(personIn(c, 'SUSPECT')) ?? new Set<string>();
      victims.add(personIn(c, 'VICTIM'));
      victimsOf.set(personIn(c, 'SUSPECT'), victims);
    }
    const households = (victims: Set<string>) => new Set([...victims].map((id) => population.byId.get(id)!.householdId)).size;
    const several = [...victimsOf.values()].filter((v) => v.size >= 2);
    const serial = several.filter((v) => households(v) === v.size);
    expect(serial.length).toBeGreaterThanOrEqual(20);
    expect(share(serial.length, several.length)).toBeGreaterThan(0.8);
    expect(share(serial.length, victimsOf.size)).toBeGreaterThan(0.03);
    expect(share(serial.length, victimsOf.size)).toBeLessThan(0.2);
    for (const victims of several) expect(victims.size).toBeLessThanOrEqual(4);
  });

  it('has counter-allegations: the same pair as an earlier call, roles reversed', () => {
    const counter = calls.filter((c) => c.truth.counterAllegation);
    expect(share(counter.length, calls.length)).toBeGreaterThan(0.01);
    expect(share(counter.length, calls.length)).toBeLessThan(0.1);
    for (const c of counter) {
      const earlier = calls.find((e) => e.truth.relationshipId === c.truth.relationshipId && !e.truth.counterAllegation && e.incident.receivedAt < c.incident.receivedAt);
      expect(earlier, c.incident.incidentId).toBeDefined();
      expect(personIn(c, 'VICTIM')).toBe(personIn(earlier!, 'SUSPECT'));
      expect(personIn(c, 'SUSPECT')).toBe(personIn(earlier!, 'VICTIM'));
    }
  });

  it('reports non-violent abuse as often as violence, with occasional weapons and rare firearms', () => {
    const nonViolent = calls.filter((c) => isNonViolentOnly(c.incident.abuseTypes)).length;
    expect(share(nonViolent, calls.length)).toBeGreaterThan(0.4);
    expect(share(nonViolent, calls.length)).toBeLessThan(0.75);
    const types = new Set(calls.flatMap((c) => c.incident.abuseTypes));
    for (const t of ['PHYSICAL', 'COERCIVE_CONTROL', 'PSYCHOLOGICAL', 'ECONOMIC', 'STALKING', 'HARASSMENT', 'TECHNOLOGY_FACILITATED', 'THREATS_TO_KILL', 'STRANGULATION']) {
      expect(types, t).toContain(t);
    }
    const weapons = calls.flatMap((c) => c.incident.weapons.map((w) => w.kind));
    expect(share(weapons.filter((w) => w === 'KNIFE').length, calls.length)).toBeGreaterThan(0.01);
    expect(share(weapons.filter((w) => w === 'FIREARM').length, calls.length)).toBeLessThan(0.01);
    expect(calls.some((c) => c.incident.childrenPresent)).toBe(true);
    expect(calls.some((c) => c.incident.parties.some((p) => p.roles.includes('CHILD')))).toBe(true);
    expect(calls.some((c) => c.incident.parties.some((p) => p.roles.includes('WITNESS')))).toBe(true);
    expect(new Set(calls.map((c) => c.incident.riskLevel))).toEqual(new Set(['STANDARD', 'MEDIUM', 'HIGH', null]));
    expect(calls.some((c) => c.incident.injuries.length > 0)).toBe(true);
  });

  it('types the same person differently from call to call', () => {
    const byVictim = new Map<string, SimulatedCall[]>();
    for (const c of calls) byVictim.set(personIn(c, 'VICTIM'), [...(byVictim.get(personIn(c, 'VICTIM')) ?? []), c]);
    const frequent = [...byVictim.values()].filter((cs) => cs.length >= 5);
    expect(frequent.length).toBeGreaterThan(10);
    let phonesVary = 0;
    for (const cs of frequent) {
      const typings = cs.map((c) => JSON.stringify({ ...partyIn(c, 'VICTIM'), partyId: undefined, roles: undefined }));
      expect(new Set(typings).size, 'whole typings').toBeGreaterThan(1);
      const phones = cs.map((c) => partyIn(c, 'VICTIM').phones.join(' | ')).filter(Boolean);
      if (new Set(phones).size > 1) phonesVary++;
    }
    expect(share(phonesVary, frequent.length)).toBeGreaterThan(0.5);
  });

  it('refuses options that cannot work, saying which', () => {
    expect(() => createCallStream({ seed: 1, population, rate: 10, meanGapMs: 100 })).toThrow(/rate or meanGapMs/);
    expect(() => createCallStream({ seed: 1, population, rate: 0 })).toThrow(/rate must be/);
    expect(() => createCallStream({ seed: 1, population, runId: 'no spaces' })).toThrow(/runId/);
    expect(() => createCallStream({ seed: 1, population, horizonCalls: 0 })).toThrow(/horizonCalls/);
  });
});

describe('repace', () => {
  it('carries the stream on from a new time at a new pace, keeping its story', () => {
    const stream = createCallStream({ seed: 'repace', persons: 500, start: new Date('2025-01-01T00:00:00Z'), meanGapMs: 86_400_000, horizonCalls: 200 });
    const history = stream.take(50);
    const from = new Date('2026-11-25T20:00:00Z');
    stream.repace({ from, meanGapMs: 1000 });
    const live = stream.take(20);
    expect(live[0]!.incident.receivedAt).toBeGreaterThanOrEqual(from.getTime());
    expect(live[19]!.incident.receivedAt - from.getTime()).toBeLessThan(120_000);
    expect(live[0]!.incident.incidentId).toMatch(/^CAD-20261125-/);
    expect(stream.meanGapMs).toBe(1000);
    // Later calls of relationships begun in the history still come.
    const people = new Set(history.flatMap((c) => c.truth.parties.map((p) => p.personId)));
    expect(live.some((c) => c.truth.parties.some((p) => people.has(p.personId)))).toBe(true);
  });
});
