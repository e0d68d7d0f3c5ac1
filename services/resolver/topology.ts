// The resolver's topology: which stage reads which input topic, and what
// each result becomes on the output topics (topic, key, value, and what is
// counted once Kafka acknowledges it). Built from its dependencies, so tests
// drive the same topology without a process; main.ts only connects it.
//
//   cad.incidents.v1 ─► resolve-incident ─► dispatch.intel.v1 (key incident id)
//                                        └► graph.events.v1   (key borough; off when graphEventsTopic is null)
//   justice.events.v1 ─► record-justice ─► graph.events.v1
//   both                                   └► audit.v1 (s62: each event collected, each record linked or merged)
import type { GraphEventRecorded } from '../../shared/contracts/graph-event.ts';
import { graphEventKey } from '../../shared/contracts/graph-event.ts';
import type { IdentityStore } from '../../shared/er/identity-store.ts';
import type { PersonModel } from '../../shared/er/model.ts';
import type { ResolutionResult } from '../../shared/er/resolve-record.ts';
import type { IncidentGraph } from '../../shared/graph/incident-graph.ts';
import type { Stage } from '../../shared/kafka/stage-consumer.ts';
import type { OutputMessage, StageOutput } from '../../shared/kafka/stage-output.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { TopicContract } from '../../shared/schema-registry/check-subjects.ts';
import { SCHEMA_FILE } from '../../shared/contracts/contract-schemas.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { auditEntry, serviceActor } from '../../shared/audit/audit-entry.ts';
import type { RefugeRegister } from '../../shared/er/refuges.ts';
import type { ResolverConfig } from './config.ts';
import { graphEventOfIncident, graphEventOfJustice } from './graph-event.ts';
import { createIncidentStage, type ResolvedIncident } from './incident-stage.ts';
import { createJusticeStage, type RecordedJusticeEvent } from './justice-stage.ts';
import { routeByTopic, type Routed } from './route-by-topic.ts';
import { justiceBehind } from './incomplete-picture.ts';

export type ResolverOutputTopics = Pick<ResolverConfig, 'intelTopic' | 'graphEventsTopic'> & Partial<Pick<ResolverConfig, 'auditTopic'>>;

/** What the metrics are told of, once the messages they concern are acknowledged. */
export type ResolverCounters = {
  countResolution(resolution: ResolutionResult): void;
  observeEndToEnd(ms: number): void;
};

function graphEventMessages(topics: ResolverOutputTopics, event: GraphEventRecorded): OutputMessage[] {
  return topics.graphEventsTopic ? [{ topic: topics.graphEventsTopic, key: graphEventKey(event), value: event }] : [];
}

/** The resolver's principal, as the audit log names it. */
export const RESOLVER_ACTOR = serviceActor('dauntless-resolver');

/**
 * The s62 entries of an event taken in: its collection, and a combination for every record linked to an existing
 * person or merging people, with the record as the evidence (`dauntless explain`, the person page). Entry ids are the
 * event's and the record's, so a redelivered message repeats an entry an auditor can recognise, never a new one.
 */
export function auditMessages(
  topics: ResolverOutputTopics,
  what: { eventId: string; subjectIds: string[]; action: string; resource: string },
  resolutions: readonly ResolutionResult[],
  at: number,
  refugeWithheld: readonly string[] = [],
): OutputMessage[] {
  if (!topics.auditTopic) return [];
  const topic = topics.auditTopic;
  const collected = auditEntry({ kind: 'COLLECTION', action: what.action, actor: RESOLVER_ACTOR, subjectIds: [...what.subjectIds, ...resolutions.map((r) => r.entityId)], purpose: 'call handling and justice records taken in for safeguarding', resource: what.resource, at });
  const entries = [{ ...collected, entryId: `${what.eventId}:collected` }];
  for (const r of resolutions) {
    if (r.decision.outcome === 'new') continue;
    const merged = r.decision.outcome === 'merge';
    const combined = auditEntry({ kind: 'COMBINATION', action: merged ? 'records.merged' : 'record.linked', actor: RESOLVER_ACTOR, subjectIds: [r.entityId, ...r.mergedEntityIds, r.recordId], purpose: 'automated matching of a person to their earlier records', resource: what.resource, evidenceId: r.recordId, at });
    entries.push({ ...combined, entryId: `${r.recordId}:combined` });
  }
  // A refuge's phone or address was in a record and withheld: the lookup is on record, the address is not.
  for (const recordId of refugeWithheld) {
    const withheld = auditEntry({ kind: 'COLLECTION', action: 'refuge.withheld', actor: RESOLVER_ACTOR, subjectIds: [recordId], purpose: 'a refuge phone or address was withheld from matching and storage', resource: what.resource, at });
    entries.push({ ...withheld, entryId: `${recordId}:refuge-withheld` });
  }
  return entries.map((entry) => ({ topic, key: entry.entryId, value: entry }));
}

/**
 * A resolved call's messages: its intelligence, keyed by incident (a replay's second message for an incident lands
 * beside the first, and readers keep the latest), counted once acknowledged (a failed send is redone and would count
 * twice), with the time from the call's publication (`publishedAt`) to its intelligence acknowledged; and its graph
 * event for the scorer.
 */
export function incidentMessages(
  topics: ResolverOutputTopics,
  resolved: Pick<ResolvedIncident, 'incident' | 'parties' | 'intelligence' | 'recorded' | 'refugeWithheld'>,
  { publishedAt, sentAt, counters }: { publishedAt: number; sentAt: number; counters?: ResolverCounters },
): OutputMessage[] {
  const intelligence: OutputMessage = {
    topic: topics.intelTopic,
    key: resolved.incident.incidentId,
    value: resolved.intelligence,
    acknowledged: counters
      ? () => {
          for (const p of resolved.parties) counters.countResolution(p.resolution);
          counters.observeEndToEnd(Date.now() - publishedAt);
        }
      : undefined,
  };
  const audit = auditMessages(
    topics,
    { eventId: resolved.incident.eventId, subjectIds: [resolved.incident.incidentId, resolved.incident.eventId], action: 'incident.received', resource: 'cad.incidents' },
    resolved.parties.map((p) => p.resolution),
    sentAt,
    resolved.refugeWithheld,
  );
  return [intelligence, ...graphEventMessages(topics, graphEventOfIncident(resolved, sentAt)), ...audit];
}

/** A recorded justice event's message: its graph event for the scorer (the next call's intelligence reads the graph). */
export function justiceMessages(topics: ResolverOutputTopics, recorded: RecordedJusticeEvent, sentAt: number): OutputMessage[] {
  const audit = auditMessages(
    topics,
    { eventId: recorded.event.eventId, subjectIds: [recorded.event.eventId], action: 'justice-event.received', resource: 'justice.events' },
    recorded.persons.map((p) => p.resolution),
    sentAt,
    recorded.refugeWithheld,
  );
  return [...graphEventMessages(topics, graphEventOfJustice(recorded, sentAt)), ...audit];
}

/** Every topic the resolver reads or writes, with its schema: the registry must have each one's subject before it starts. */
export function resolverContracts(config: ResolverOutputTopics & Pick<ResolverConfig, 'incidentTopics' | 'justiceTopics'>): TopicContract[] {
  const inputs = [...config.incidentTopics.map((topic) => ({ topic, schema: SCHEMA_FILE.incident })), ...config.justiceTopics.map((topic) => ({ topic, schema: SCHEMA_FILE.justiceEvent }))];
  return [
    ...inputs,
    { topic: config.intelTopic, schema: SCHEMA_FILE.intelligence },
    ...(config.graphEventsTopic ? [{ topic: config.graphEventsTopic, schema: SCHEMA_FILE.graphEvent }] : []),
    ...(config.auditTopic ? [{ topic: config.auditTopic, schema: SCHEMA_FILE.audit }] : []),
    ...inputs.map(({ topic }) => ({ topic: deadLetterTopicOf(topic), schema: SCHEMA_FILE.deadLetter })),
  ];
}

export type ResolverTopologyDeps = {
  config: ResolverOutputTopics & Pick<ResolverConfig, 'justiceTopics'>;
  codec: AvroCodec;
  store: IdentityStore;
  graph: IncidentGraph;
  model: PersonModel;
  logger: Logger;
  output: StageOutput;
  counters?: ResolverCounters;
  /** The refuge register now: their phones and addresses are withheld from every record. */
  refuges?: () => RefugeRegister;
};

/** The one stage the resolver's consumer runs: each input topic to its stage, their results to the output topics. */
export function createResolverTopology({ config, codec, store, graph, model, logger, output, counters, refuges }: ResolverTopologyDeps): Stage<Routed> {
  const justiceTopics = new Set(config.justiceTopics);
  const incidentStage = {
    ...createIncidentStage({
      codec,
      store,
      graph,
      model,
      logger,
      ...(refuges ? { refuges } : {}),
      missing: (input) => justiceBehind(input.partitionsBehind?.() ?? [], justiceTopics),
      onResolved: (resolved, { topic, partition, message }) =>
        output.emit({ topic, partition }, incidentMessages(config, resolved, { publishedAt: Number(message.timestamp), sentAt: Date.now(), counters })),
    }),
    flush: output.flush,
  };
  const justiceStage = {
    ...createJusticeStage({
      codec,
      store,
      graph,
      model,
      logger,
      ...(refuges ? { refuges } : {}),
      onRecorded: (recorded, { topic, partition }) => {
        for (const p of recorded.persons) counters?.countResolution(p.resolution);
        return output.emit({ topic, partition }, justiceMessages(config, recorded, Date.now()));
      },
    }),
    flush: output.flush,
  };
  // Every input topic is a call topic or a justice topic (config.ts checked the names).
  return routeByTopic({ name: 'resolve', stageFor: (topic) => (justiceTopics.has(topic) ? justiceStage : incidentStage) });
}
