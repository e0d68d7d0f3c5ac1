import { describe, expect, it } from 'vitest';
import { sampleIncident } from '../../test/helpers/sample-incident.ts';
import { validateIncident, type IncidentReported } from './incident.ts';

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

  it('refuses parties that cannot be resolved or told apart', () => {
    const [victim, suspect] = incident().parties;
    const nameless = { ...suspect!, partyId: 'P1', name: { title: null, given: null, middle: null, family: null, full: null, aliases: [] }, phones: [], ageYears: 40 };
    const result = validateIncident(incident({ parties: [victim, nameless] }), { now });
    expect(result.ok).toBe(false);
    expect((result as { reasons: string[] }).reasons).toEqual(['partyId P1 appears twice', 'party 2 has no name, phone, email, date of birth or address to resolve']);
  });

  it('refuses a domestic-abuse incident with no victim', () => {
    const [, suspect] = incident().parties;
    expect(validateIncident(incident({ parties: [suspect] }), { now })).toEqual({ ok: false, reasons: ['a domestic-abuse incident names no victim'] });
  });
});
