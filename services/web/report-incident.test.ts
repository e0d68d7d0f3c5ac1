import { describe, expect, it } from 'vitest';
import { checkIncident } from './report-incident.ts';
import { sampleIncident } from '../../test/helpers/sample-incident.ts';

describe('checkIncident', () => {
  it('takes a call that meets the contract', () => {
    const incident = sampleIncident();
    expect(checkIncident(incident, Number(incident.receivedAt))).toEqual({ ok: true, incident });
  });

  it('refuses what is not an object, with a reason', () => {
    expect(checkIncident([1], Date.now())).toEqual({ ok: false, reasons: ['the body is not a JSON object (an IncidentReported)'] });
  });

  it('names the field that breaks the contract', () => {
    const result = checkIncident({ ...sampleIncident(), version: 'two' }, Date.now());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons.join(' ')).toContain('version');
  });

  it('applies the resolver\'s validation too', () => {
    const incident: Record<string, unknown> = { ...sampleIncident(), boroughCode: 'E09000099' };
    const result = checkIncident(incident, Number(incident.receivedAt));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons.join(' ')).toContain('boroughCode');
  });
});
