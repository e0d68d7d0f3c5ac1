// The names of the Dauntless topics, and the registry subject of a topic's
// values. One spelling for services, the CLI, deploy and tests; deploy/topics.ts
// declares each topic's partitions, retention and schema under these names.
// Versioned (`.v1`): a breaking change is a new topic.

export const TOPIC = Object.freeze({
  /** Incidents reported by call handling (CAD): IncidentReported, key incident id. */
  incidents: 'cad.incidents.v1',
  /** Arrests, custody releases, orders, DASH, MARAC: JusticeEvent, key subject reference. */
  justiceEvents: 'justice.events.v1',
  /** Pre-arrival intelligence for the control room: PreArrivalIntelligence, key incident id. */
  intelligence: 'dispatch.intel.v1',
  /** Each event recorded on the identity graph, for the scorer: GraphEventRecorded, key borough. */
  graphEvents: 'graph.events.v1',
  /** A borough's top five, on every change: TopFiveChanged, key borough, compacted. */
  topFive: 'dauntless.topfive.v1',
  /** Alerts for a borough's LPT (custody release): BoroughAlert, key borough. */
  alerts: 'dauntless.alerts.v1',
  /** Dead letters of each input topic: DeadLetter, key the original key. */
  incidentsDeadLetters: 'cad.incidents.dlq.v1',
  justiceEventsDeadLetters: 'justice.events.dlq.v1',
  graphEventsDeadLetters: 'graph.events.dlq.v1',
  /** Who looked at or changed what, appended by the services, read only on the auditor's page (the web service). */
  audit: 'audit.v1',
} as const);

/** Every dead-letter topic, for the tools that read letters whichever input they failed on. */
export const DEAD_LETTER_TOPICS: readonly TopicName[] = Object.freeze([TOPIC.incidentsDeadLetters, TOPIC.justiceEventsDeadLetters, TOPIC.graphEventsDeadLetters]);

export type TopicName = (typeof TOPIC)[keyof typeof TOPIC];

/** The registry subject of a topic's values (TopicNameStrategy): `<topic>-value`. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}
