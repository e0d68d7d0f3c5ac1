import { describe, expect, it } from 'vitest';
import { partyMatch } from './incident-facts.ts';

const linked = (probability: number, weight: number) =>
  partyMatch({ outcome: 'link', entityId: 'E1', score: { matchWeight: 20, probability, evidence: [{ field: 'phone', level: 'exact', weight }] } });

describe('partyMatch', () => {
  it('tells the same match for scores that differ only by the live count of people at the instant (two runs of the same calls)', () => {
    expect(linked(0.99999912345, 13.33712)).toEqual(linked(0.99999912349, 13.33689));
    expect(linked(0.87654321, 4.1)).toEqual({ outcome: 'MATCHED', probability: 0.8765, evidence: [{ field: 'phone', level: 'exact', weight: 4.1 }] });
  });

  it('tells no probability for a new person', () => {
    expect(partyMatch({ outcome: 'new' })).toEqual({ outcome: 'NEW_PERSON', probability: null, evidence: [] });
  });
});
