import { describe, expect, it } from 'vitest';
import type { PreArrivalIntelligence } from '../../../shared/contracts/intelligence.ts';
import { intelCard } from './cards.ts';

const intel: PreArrivalIntelligence = {
  incidentId: 'CAD-CARD-1',
  sourceEventId: 'evt-card-1',
  boroughCode: 'E09000022',
  receivedAt: Date.UTC(2026, 10, 25, 14, 3, 7),
  generatedAt: Date.UTC(2026, 10, 25, 14, 3, 8),
  summary: 'No previous incidents known for anyone in this call.',
  hasHistory: false,
  warningMarkers: [],
  persons: [],
  incomplete: [],
};

describe('intelCard', () => {
  it('says on the card when the intelligence was built without the latest justice records, and how far behind they were', () => {
    const card = String(intelCard({ ...intel, incomplete: [{ reason: 'JUSTICE_BEHIND', partitions: [2], messagesBehind: 340 }] }, undefined));
    expect(card).toContain('<p class="incomplete" role="status"><strong class="badge">Incomplete</strong> Built without the latest justice records (340 records behind): orders, bail and MARAC may be missing.</p>');
  });

  it('says nothing of the kind when nothing was missing, nor for intelligence kept from before the field', () => {
    const { incomplete: _incomplete, ...older } = intel;
    expect(String(intelCard(intel, undefined))).not.toContain('incomplete');
    expect(String(intelCard(older as PreArrivalIntelligence, undefined))).toBe(String(intelCard(intel, undefined)));
  });
});
