import { describe, expect, it } from 'vitest';
import { sampleIncident } from '../../test/helpers/sample-incident.ts';
import { identifiableParties, validateIncident, type IncidentReported } from './incident.ts';

const now = Date.UTC(2026, 10, 25, 22);
const incident = (overrides: Record<string, unknown> = {}) => sampleIncident(overrides) as unknown as IncidentReported;

describe('validateIncident', () => {
  it('accepts a well-formed incident', () => {
    expect(validateIncident(incident(), { now })).toEqual({ ok: true });
  });

  it('names every problem, and no person', () => {
    const bad = incident({ incidentId: ' ', boroughCode: 'E09000001', receivedAt: now + 3_600_000 });
    const result = validateIncident(bad, { now });
    expect(result).toEqual({
      ok: false,
      reasons: ['incidentId is empty', 'boroughCode "E09000001" is not the ONS code of a Met borough (E09000002..E09000033)', 'receivedAt is in the future'],
    });
  });

  it('refuses parties that cannot be told apart, and a call of which no party can be resolved', () => {
    const [victim, suspect] = incident().parties;
    const nameless = { ...suspect!, partyId: 'P1', name: { title: null, given: null, middle: null, family: null, full: null, aliases: [] }, phones: [], ageYears: 40 };
    const result = validateIncident(incident({ parties: [victim, nameless] }), { now });
    expect(result).toEqual({ ok: false, reasons: ['partyId P1 appears twice'] });
    const noOne = validateIncident(incident({ parties: [{ ...nameless, partyId: 'P9', roles: ['VICTIM'] }] }), { now });
    expect(noOne).toEqual({ ok: false, reasons: ['no party has a name, phone, email, date of birth or address to resolve'] });
  });

  it('takes a call with a party nobody could resolve ("a male neighbour"), leaving that party out of what is resolved', () => {
    const [victim, suspect] = incident().parties;
    const neighbour = { ...suspect!, partyId: 'P3', roles: ['WITNESS'], name: { title: null, given: null, middle: null, family: null, full: null, aliases: [] }, phones: [], emails: [], addresses: [], dateOfBirth: null, ageYears: null };
    const call = incident({ parties: [victim, suspect, neighbour] });
    expect(validateIncident(call, { now })).toEqual({ ok: true });
    const { incident: resolvable, unidentified } = identifiableParties(call);
    expect(resolvable.parties.map((p) => p.partyId)).toEqual(['P1', 'P2']);
    expect(unidentified).toBe(1);
    const whole = incident();
    expect(identifiableParties(whole)).toEqual({ incident: whole, unidentified: 0 });
    expect(identifiableParties(whole).incident).toBe(whole);
  });

  it('refuses a domestic-abuse incident with no victim', () => {
    const [, suspect] = incident().parties;
    expect(validateIncident(incident({ parties: [suspect] }), { now })).toEqual({ ok: false, reasons: ['a domestic-abuse incident names no victim'] });
  });
});

describe('validateIncident caps (shared/er/input-limits.ts)', () => {
  const party = (overrides: Record<string, unknown>) => ({ ...incident().parties[0]!, ...overrides });

  it('refuses a 20,000-character e-mail, naming the field and its length, never the value', () => {
    const email = 'x'.repeat(19_990) + '@mail.com';
    const result = validateIncident(incident({ parties: [party({ emails: [email] })] }), { now });
    expect(result).toEqual({ ok: false, reasons: ['parties[0].emails[0] is 19999 characters long (at most 320)'] });
  });

  it('refuses 10,000 phones with one reason, not one per phone', () => {
    const phones = Array.from({ length: 10_000 }, (_, i) => `0770090${String(i).padStart(4, '0')}`);
    expect(validateIncident(incident({ parties: [party({ phones })] }), { now })).toEqual({ ok: false, reasons: ['parties[0].phones has 10000 items (at most 20)'] });
  });

  it('gives at most twenty reasons, then how many more, for a megabyte in every string', () => {
    const big = 'a'.repeat(1 << 20);
    const p = party({ partyId: big, name: { title: big, given: big, middle: big, family: big, full: big, aliases: [big] }, dateOfBirth: big, gender: big, phones: [big], emails: [big], addresses: [big], relationshipToVictim: big });
    const result = validateIncident(incident({ incidentId: big, eventId: big, boroughCode: big, location: { addressLines: [big], postcode: big, uprn: big, latitude: null, longitude: null }, parties: [p], weapons: [{ kind: 'KNIFE', description: big }] }), { now });
    expect(result.ok).toBe(false);
    const reasons = (result as { reasons: string[] }).reasons;
    expect(reasons).toHaveLength(21);
    expect(reasons[0]).toBe('incidentId is 1048576 characters long (at most 128)');
    expect(reasons[20]).toMatch(/^and \d+ more$/);
    expect(reasons.join('; ').length).toBeLessThan(4_000);
  });

  it('accepts every list and string at its cap', () => {
    const phones = Array.from({ length: 20 }, (_, i) => `07700 9001${String(i).padStart(2, '0')}`);
    const p = party({ phones, emails: Array.from({ length: 20 }, (_, i) => `${'m'.repeat(300)}${i}@x.com`), addresses: Array.from({ length: 20 }, () => 'a'.repeat(500)) });
    expect(validateIncident(incident({ parties: [p] }), { now })).toEqual({ ok: true });
  });
});
