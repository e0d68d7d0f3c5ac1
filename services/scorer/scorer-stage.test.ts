import { describe, expect, it } from 'vitest';
import type { GraphEventRecorded } from '../../shared/contracts/graph-event.ts';
import { validateGraphEvent } from './scorer-stage.ts';

const event = (overrides: Partial<GraphEventRecorded> = {}): GraphEventRecorded => ({
  eventId: 'CAD-1:v1',
  kind: 'INCIDENT',
  what: 'INCIDENT',
  incidentId: 'CAD-1',
  boroughCode: 'E09000022',
  occurredAt: 1,
  recordedAt: 2,
  firstRecording: true,
  parties: [{ recordId: 'CAD-1:v1:P1', entityId: 'E-1', roles: ['VICTIM'], mergedEntityIds: [] }],
  ...overrides,
});

describe('validateGraphEvent', () => {
  it('takes a well-formed event', () => {
    expect(validateGraphEvent(event())).toEqual({ ok: true });
  });

  it('names the fields that are wrong, never a person', () => {
    expect(validateGraphEvent(event({ eventId: ' ', parties: [{ recordId: 'r', entityId: '', roles: [], mergedEntityIds: [] }, { recordId: 'r2', entityId: 'E-2', roles: [], mergedEntityIds: ['E-2'] }] }))).toEqual({
      ok: false,
      reasons: ['eventId is empty', 'party 1 has no entityId', 'party 2 is merged into itself'],
    });
  });
});
