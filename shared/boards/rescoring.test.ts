import { describe, expect, it } from 'vitest';
import { historyOf, incident, justice } from '../harm/test-support.ts';
import { perpetratorsOfVictim, perpetratorsToRescore } from './rescoring.ts';

const party = (entityId: string, roles: string[], mergedEntityIds: string[] = []) => ({ recordId: `r:${entityId}`, entityId, roles, mergedEntityIds });

describe('perpetratorsToRescore', () => {
  it('scores every party again, once each', () => {
    expect(perpetratorsToRescore({ parties: [party('E-v', ['VICTIM', 'CALLER']), party('E-p', ['SUSPECT']), party('E-p', ['SUSPECT'])] })).toEqual({ rescore: ['E-p', 'E-v'], removed: [], merged: [] });
  });

  it('takes ids merged away off the boards, and names the survivors', () => {
    expect(perpetratorsToRescore({ parties: [party('E-v', ['VICTIM']), party('E-p', ['SUSPECT'], ['E-p-old', 'E-p-older'])] })).toEqual({
      rescore: ['E-p', 'E-v'],
      removed: ['E-p-old', 'E-p-older'],
      merged: ['E-p'],
    });
  });
});

describe('perpetratorsOfVictim', () => {
  it('finds the suspects of incidents where the entity was a victim, and the subjects of justice events that name it', () => {
    const what = { what: 'PROTECTIVE_ORDER' as const, orderId: 'O-1', orderType: 'DVPO', action: 'ISSUED', startsAt: null, expiresAt: null, conditions: [] };
    const events = [
      incident('CAD-1', 10, [['E-v', ['VICTIM']], ['E-p1', ['SUSPECT']]]),
      incident('CAD-2', 5, [['E-v', ['SUSPECT']], ['E-x', ['VICTIM']]]),
      justice('J-1', 3, 'E-p2', ['E-v'], what),
    ];
    expect(perpetratorsOfVictim(historyOf('E-v', events))).toEqual(['E-p1', 'E-p2']);
  });
});
