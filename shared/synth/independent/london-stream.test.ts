import { describe, expect, it } from 'vitest';
import { validateIncident } from '../../contracts/incident.ts';
import { createRng } from '../random.ts';
import { createIndependentCallStream } from './london-stream.ts';
import { misspell, writeAddress, writePhone } from './typist.ts';

const DAY = 86_400_000;
const options = { seed: 3, households: 400, start: Date.UTC(2025, 0, 1), meanGapMs: DAY / 4, horizonCalls: 300 };

describe('the independent call stream', () => {
  it('gives the same calls for the same seed', () => {
    const a = createIndependentCallStream(options).take(50);
    const b = createIndependentCallStream(options).take(50);
    expect(a).toEqual(b);
  });

  it('gives calls the resolver accepts, each with a victim and a suspect in its truth', () => {
    const calls = createIndependentCallStream(options).take(300);
    for (const { incident, truth } of calls) {
      expect(validateIncident(incident, { now: incident.receivedAt })).toEqual({ ok: true });
      expect(truth.parties.map((p) => p.partyId)).toEqual(incident.parties.map((p) => p.partyId));
      expect(truth.parties.some((p) => p.roles.includes('VICTIM'))).toBe(true);
      expect(truth.parties.some((p) => p.roles.includes('SUSPECT'))).toBe(true);
    }
  });

  it('has repeat victims: a person who is the victim of more than one call', () => {
    const calls = createIndependentCallStream(options).take(300);
    const victimCalls = new Map<string, number>();
    for (const { truth } of calls) for (const p of truth.parties) if (p.roles.includes('VICTIM')) victimCalls.set(p.personId, (victimCalls.get(p.personId) ?? 0) + 1);
    expect([...victimCalls.values()].filter((n) => n > 1).length).toBeGreaterThan(20);
  });

  it('types names into the wrong boxes and "SURNAME, Given" into the full-name box', () => {
    const names = createIndependentCallStream(options).take(300).flatMap((c) => c.incident.parties.map((p) => p.name));
    expect(names.some((n) => n.full && /^[A-Z' -]+, \S/.test(n.full))).toBe(true);
    expect(names.some((n) => n.given && n.family && n.given.length > 1)).toBe(true);
  });
});

describe('the independent typist', () => {
  it('misspells without touching the first letter', () => {
    const rng = createRng(1);
    for (let i = 0; i < 200; i++) expect(misspell('Jennifer', rng)[0]).toBe('J');
  });

  it('writes mobiles without the leading zero and with the letter O for a zero', () => {
    const rng = createRng(2);
    const written = new Set(Array.from({ length: 400 }, () => writePhone('07401 543320', rng)));
    expect(written.has('7401 543320')).toBe(true);
    expect([...written].some((w) => /^[0-9O]{11}$/.test(w) && w.includes('O'))).toBe(true);
  });

  it('writes one flat as "118c", "Flat C, 118" and "C/118"', () => {
    const rng = createRng(3);
    const address = { flat: 'C', houseNumber: 118, street: 'Station Street', postcode: 'E6 1AB', boroughCode: 'E09000025' };
    const lines = Array.from({ length: 200 }, () => writeAddress(address, rng).toLowerCase());
    expect(lines.some((l) => l.startsWith('118c '))).toBe(true);
    expect(lines.some((l) => l.startsWith('flat c, 118 '))).toBe(true);
    expect(lines.some((l) => l.startsWith('c/118 '))).toBe(true);
  });
});
