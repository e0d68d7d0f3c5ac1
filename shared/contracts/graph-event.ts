// GraphEventRecorded (schemas/graph-event-recorded.avsc, topic
// graph.events.v1, key ONS borough code or the event id): what the resolver
// tells the scorer after recording an event on the identity graph. It names
// the event and the entity each party resolved to; the facts stay on the
// graph, where the scorer reads them through each entity's history.
//
// Sent for every event handled, replays too (firstRecording false): a
// resolver that crashed after recording and before sending sends it on the
// replay, and the scorer changes nothing for an event it has scored.

export type GraphParty = {
  recordId: string;
  /** The entity the record belongs to now. */
  entityId: string;
  /** An incident party's roles (VICTIM, SUSPECT, ...); a justice event's SUBJECT or RELATED. */
  roles: string[];
  /** Entities this record merged into entityId: their ids no longer stand for anyone on their own. */
  mergedEntityIds: string[];
};

/** The decoded value (timestamps are ms since the epoch; enums their symbols). */
export type GraphEventRecorded = {
  eventId: string;
  kind: 'INCIDENT' | 'JUSTICE' | 'OTHER';
  /** INCIDENT, or the justice event's `what` (CUSTODY_RELEASE, PROTECTIVE_ORDER, ...). */
  what: string;
  incidentId: string | null;
  boroughCode: string | null;
  occurredAt: number;
  recordedAt: number;
  firstRecording: boolean;
  parties: GraphParty[];
};

/** The message key: the borough, so one borough's events keep their order; the event id when it has none. */
export const graphEventKey = (event: GraphEventRecorded): string => event.boroughCode ?? event.eventId;
