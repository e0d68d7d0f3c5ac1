import { describe, expect, it } from 'vitest';
import { briefingWithout } from '../../shared/boards/briefing-store.ts';
import type { PersonIntelligence, PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { intelWithout } from './web-store.ts';

const person = (entityId: string, others: string[] = []): PersonIntelligence =>
  ({
    partyId: entityId,
    roles: ['VICTIM'],
    entityId,
    otherVictimEntityIds: others,
    previousIncidents: [{ incidentId: 'CAD-1', occurredAt: 1, boroughCode: 'E09000022', roles: ['SUSPECT'], abuseTypes: [], riskLevel: null, otherPartyEntityIds: others }],
  }) as unknown as PersonIntelligence;
const intel = (persons: PersonIntelligence[]) => ({ incidentId: 'CAD-2', persons }) as unknown as PreArrivalIntelligence;

describe('erasing a person from what the web service and the boards keep', () => {
  it('takes the person out of intelligence and out of the others\' incidents and victims, keeping the incident', () => {
    const without = intelWithout(intel([person('e-victim'), person('e-suspect', ['e-victim', 'e-other'])]), new Set(['e-victim']))!;
    expect(without.incidentId).toBe('CAD-2');
    expect(without.persons.map((p) => p.entityId)).toEqual(['e-suspect']);
    expect(without.persons[0]!.otherVictimEntityIds).toEqual(['e-other']);
    expect(without.persons[0]!.previousIncidents[0]!.otherPartyEntityIds).toEqual(['e-other']);
  });

  it('leaves intelligence and briefings that do not name the person alone', () => {
    expect(intelWithout(intel([person('e-suspect', ['e-other'])]), new Set(['e-victim']))).toBeUndefined();
    expect(briefingWithout({ entries: [{ entityId: 'e-suspect' }] }, new Set(['e-victim']))).toBeUndefined();
  });

  it('drops the person\'s entries and standings from a kept briefing', () => {
    const kept = { at: 5, entries: [{ entityId: 'e-a' }, { entityId: 'e-b' }], standings: [{ entityId: 'e-b' }, { entityId: 'e-c' }] };
    expect(briefingWithout(kept, new Set(['e-b']))).toEqual({ at: 5, entries: [{ entityId: 'e-a' }], standings: [{ entityId: 'e-c' }] });
  });
});
