import { describe, expect, it } from 'vitest';
import { formatExplanation } from './explain.ts';
import type { EntityExplanation } from '../../shared/graph/identity-admin.ts';

const score = {
  matchWeight: 4.25,
  probability: 0.99995,
  evidence: [
    { field: 'phone', level: 'exact', weight: 9.8, againstRecordId: 'evt-1:P1' },
    { field: 'family_name', level: 'exact_tf', weight: 6.1 },
    { field: 'dob', level: 'null', weight: 0 },
    { field: 'gender', level: 'else', weight: -1.65 },
  ],
};

const explanation: EntityExplanation = {
  requestedId: 'Pold',
  entityId: 'Pnew',
  records: [
    { recordId: 'evt-1:P1', source: 'cad', seq: 1, resolvedAt: Date.UTC(2026, 10, 1, 9), modelVersion: 'person-v1', decision: { outcome: 'new' }, score: undefined, possible: [] },
    {
      recordId: 'evt-2:P1',
      source: 'cad',
      seq: 4,
      resolvedAt: Date.UTC(2026, 10, 2, 9),
      modelVersion: 'person-v1',
      decision: { outcome: 'link', entityId: 'Pnew', score },
      score,
      possible: [{ entityId: 'Pother', score: { ...score, matchWeight: 3.5, evidence: [] } }],
    },
  ],
  merges: [{ mergeId: 'M3.1', survivor: 'Pnew', absorbed: 'Pold', at: Date.UTC(2026, 10, 1, 10), recordId: 'evt-9:P2', absorbedRecordIds: ['evt-0:P1'], reversedAt: undefined }],
  notWith: ['Pfar'],
};

describe('formatExplanation', () => {
  const text = formatExplanation(explanation);

  it('says which entity a merged-away id stands for now', () => {
    expect(text).toMatch(/^Entity Pnew \(asked for Pold, merged into it\)/);
    expect(text).toContain('never to merge with Pfar');
  });

  it('lists each comparison with its level and signed weight, and the total', () => {
    expect(text).toContain('first record of a new entity');
    expect(text).toMatch(/phone\s+exact\s+\+9\.80  vs evt-1:P1/);
    expect(text).toMatch(/gender\s+else\s+-1\.65/);
    // The evidence sums to +14.25; the rest of the total is the model's prior.
    expect(text).toMatch(/prior\s+\(before comparing\)\s+-10\.00/);
    expect(text).toMatch(/total\s+\+4\.25/);
    expect(text).toContain('possible match not linked: Pother (score 3.50)');
  });

  it('lists the merges and the record that linked them', () => {
    expect(text).toContain('M3.1  2026-11-01 10:00:00  Pold (1 record(s)) into Pnew, linked by evt-9:P2');
  });
});
