// The GraphEventRecorded (shared/contracts/graph-event.ts) the resolver sends
// for each event it has recorded on the identity graph. Pure.
import type { ResolvedIncident } from './incident-stage.ts';
import type { RecordedJusticeEvent } from './justice-stage.ts';
import { partyRecordId } from '../../shared/graph/party-record.ts';
import type { GraphEventRecorded } from '../../shared/contracts/graph-event.ts';

export function graphEventOfIncident({ incident, parties, recorded }: Pick<ResolvedIncident, 'incident' | 'parties' | 'recorded'>, sentAt: number): GraphEventRecorded {
  return {
    eventId: incident.eventId,
    kind: 'INCIDENT',
    what: 'INCIDENT',
    incidentId: incident.incidentId,
    boroughCode: incident.boroughCode,
    occurredAt: incident.receivedAt,
    recordedAt: sentAt,
    firstRecording: recorded,
    parties: parties.map((p) => ({
      recordId: partyRecordId(incident.eventId, p.partyId),
      entityId: p.resolution.entityId,
      roles: [...p.roles],
      mergedEntityIds: [...p.resolution.mergedEntityIds],
    })),
  };
}

export function graphEventOfJustice({ event, persons, facts, recorded }: Pick<RecordedJusticeEvent, 'event' | 'persons' | 'facts' | 'recorded'>, sentAt: number): GraphEventRecorded {
  return {
    eventId: event.eventId,
    kind: 'JUSTICE',
    what: facts.what,
    incidentId: event.incidentId,
    boroughCode: event.boroughCode,
    occurredAt: event.occurredAt,
    recordedAt: sentAt,
    firstRecording: recorded,
    parties: persons.map((p) => ({ recordId: p.recordId, entityId: p.resolution.entityId, roles: [p.role], mergedEntityIds: [...p.resolution.mergedEntityIds] })),
  };
}
