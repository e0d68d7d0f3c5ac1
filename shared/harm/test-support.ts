// Small inline graph events for the harm tests: an incident or justice event
// with each party's entity id as the graph would give it. Synthetic ids only.
import type { IncidentFacts } from '../graph/incident-facts.ts';
import type { EntityHistory, GraphEvent } from '../graph/incident-graph.ts';
import type { JusticeFacts, JusticeWhat } from '../graph/justice-facts.ts';

export const DAY = 86_400_000;
/** 25 Nov 2026 21:00 UTC: "now" in the tests. */
export const NOW = Date.UTC(2026, 10, 25, 21, 0, 0);
export const LAMBETH = 'E09000022';
export const SOUTHWARK = 'E09000028';
export const CROYDON = 'E09000008';

/** An incident `daysAgo` before `now`, with [entityId, roles] parties. */
export function incident(
  id: string,
  daysAgo: number,
  parties: [string, string[]][],
  extra: Partial<IncidentFacts> = {},
  now = NOW,
): GraphEvent {
  const version = extra.version ?? 1;
  const facts: IncidentFacts = {
    kind: 'incident',
    incidentId: id,
    eventId: `${id}:v${version}`,
    version,
    receivedAt: now - daysAgo * DAY,
    boroughCode: LAMBETH,
    postcode: null,
    domesticAbuse: true,
    abuseTypes: ['PHYSICAL'],
    riskLevel: 'STANDARD',
    callGrade: 'PRIORITY',
    weapons: [],
    childrenPresent: false,
    injuries: [],
    parties: parties.map(([entity, roles], i) => ({ partyId: `P${i + 1}`, recordId: `${id}:v${version}:P${i + 1}:${entity}`, roles, relationshipToVictim: null })),
    ...extra,
  };
  return { facts, partyEntityIds: parties.map(([entity]) => entity) };
}

/** A justice event `daysAgo` before `now` about `subject`, naming `related`. */
export function justice(id: string, daysAgo: number, subject: string, related: string[], what: JusticeWhat, extra: Partial<JusticeFacts> = {}, now = NOW): GraphEvent {
  const facts = {
    kind: 'justice',
    eventId: id,
    occurredAt: now - daysAgo * DAY,
    recordedAt: now - daysAgo * DAY,
    boroughCode: LAMBETH,
    incidentId: null,
    parties: [{ recordId: `${id}:subject`, role: 'SUBJECT' }, ...related.map((_, i) => ({ recordId: `${id}:related:${i}`, role: 'RELATED' }))],
    ...what,
    ...extra,
  } as JusticeFacts;
  return { facts, partyEntityIds: [subject, ...related] };
}

export const historyOf = (entityId: string, events: GraphEvent[]): EntityHistory => ({ entityId, events });
