import { describe, expect, it } from 'vitest';
import type { ResolutionResult } from '../../shared/er/resolve-record.ts';
import { graphEventKey } from '../../shared/contracts/graph-event.ts';
import { graphEventOfIncident, graphEventOfJustice } from './graph-event.ts';
import type { JusticeFacts } from '../../shared/graph/justice-facts.ts';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import type { JusticeEvent } from '../../shared/contracts/justice-event.ts';

const resolution = (entityId: string, mergedEntityIds: string[] = []) => ({ entityId, mergedEntityIds }) as unknown as ResolutionResult;

describe('graph events', () => {
  it('name an incident, its borough and each party as the entity it resolved to, with the entities a party merged', () => {
    const incident = { incidentId: 'CAD-1', eventId: 'CAD-1:v1', boroughCode: 'E09000022', receivedAt: 1000 } as IncidentReported;
    const event = graphEventOfIncident(
      {
        incident,
        recorded: true,
        parties: [
          { partyId: 'P1', roles: ['VICTIM', 'CALLER'], resolution: resolution('E-v') },
          { partyId: 'P2', roles: ['SUSPECT'], resolution: resolution('E-p', ['E-p-old']) },
        ],
      },
      2000,
    );
    expect(event).toEqual({
      eventId: 'CAD-1:v1',
      kind: 'INCIDENT',
      what: 'INCIDENT',
      incidentId: 'CAD-1',
      boroughCode: 'E09000022',
      occurredAt: 1000,
      recordedAt: 2000,
      firstRecording: true,
      parties: [
        { recordId: 'CAD-1:v1:P1', entityId: 'E-v', roles: ['VICTIM', 'CALLER'], mergedEntityIds: [] },
        { recordId: 'CAD-1:v1:P2', entityId: 'E-p', roles: ['SUSPECT'], mergedEntityIds: ['E-p-old'] },
      ],
    });
    expect(graphEventKey(event)).toBe('E09000022');
  });

  it('name a justice event by what happened, keyed by its event id when it has no borough', () => {
    const event = graphEventOfJustice(
      {
        event: { eventId: 'J-1', incidentId: null, boroughCode: null, occurredAt: 500 } as JusticeEvent,
        facts: { what: 'CUSTODY_RELEASE' } as JusticeFacts,
        recorded: false,
        persons: [
          { recordId: 'J-1:subject', role: 'SUBJECT', resolution: resolution('E-p') },
          { recordId: 'J-1:related:0', role: 'RELATED', resolution: resolution('E-v') },
        ],
      },
      600,
    );
    expect(event).toMatchObject({ kind: 'JUSTICE', what: 'CUSTODY_RELEASE', firstRecording: false, occurredAt: 500, parties: [{ entityId: 'E-p', roles: ['SUBJECT'] }, { entityId: 'E-v', roles: ['RELATED'] }] });
    expect(graphEventKey(event)).toBe('J-1');
  });
});
