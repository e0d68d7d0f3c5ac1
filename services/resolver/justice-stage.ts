// Stage: a justice event (arrest, charge, custody release with bail, order,
// DASH, MARAC, Clare's Law) → its subject and related persons resolved to
// person entities, and the event recorded on the identity graph, where the
// next call's pre-arrival intelligence reads it (build-intelligence.ts).
//   input   justice.events.v1 (JusticeEvent, registry wire format; key subject reference)
//   output  the identity graph (Redis) only: a justice event is not a call,
//           so nothing goes to dispatch
//   failures  bytes that are not ours, an unknown schema, or an event that
//             fails validation → justice.events.dlq.v1 (by the stage consumer);
//             Redis or the registry down → retried, nothing committed.
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import type { Stage, StageMessage } from '../../shared/kafka/stage-consumer.ts';
import type { IdentityStore } from '../../shared/er/identity-store.ts';
import type { PersonModel } from '../../shared/er/model.ts';
import { resolveRecord, type ResolutionResult } from '../../shared/er/resolve-record.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { partyMatch } from './incident-facts.ts';
import type { IncidentGraph } from './incident-graph.ts';
import { validateJusticeEvent, type JusticeEvent } from './justice-event.ts';
import { justiceFacts, type JusticeFacts } from './justice-facts.ts';
import { justicePersonRecords } from './justice-person-record.ts';

export type RecordedJusticeEvent = {
  event: JusticeEvent;
  /** Subject first, then the related persons in order. */
  persons: { recordId: string; role: 'SUBJECT' | 'RELATED'; resolution: ResolutionResult }[];
  /** As on the graph (its first recording, on a replay). */
  facts: JusticeFacts;
  /** False when this event was on the graph already (a replay). */
  recorded: boolean;
};

export function createJusticeStage({
  codec,
  store,
  graph,
  model,
  logger,
  now = Date.now,
  onRecorded,
}: {
  codec: AvroCodec;
  store: IdentityStore;
  graph: IncidentGraph;
  model: PersonModel;
  logger: Logger;
  now?: () => number;
  /** Told of each event once recorded (metrics, tests); a failure is retried, so it must be idempotent by event. */
  onRecorded?: (recorded: RecordedJusticeEvent, input: StageMessage) => Promise<void>;
}): Stage<JusticeEvent> {
  return {
    name: 'record-justice',
    async decode({ message }) {
      const { value } = await codec.decode(message.value as Buffer);
      const event = value as JusticeEvent;
      const validation = validateJusticeEvent(event, { now: now() });
      if (!validation.ok) throw new DauntlessError('VALIDATION_FAILED', validation.reasons.join('; '));
      return event;
    },
    async handle(event, input) {
      const { topic, partition, message } = input;
      // "Today" for ages and two-digit years is when the event happened, so a replay decides the same.
      const referenceDate = new Date(event.occurredAt);
      const persons: RecordedJusticeEvent['persons'] = [];
      for (const { role, record } of justicePersonRecords(event)) {
        const resolution = await resolveRecord(record, { store, model, referenceDate });
        persons.push({ recordId: record.recordId, role, resolution });
      }
      const matches = new Map(persons.filter((p) => !p.resolution.duplicate).map((p) => [p.recordId, partyMatch(p.resolution.decision, p.resolution.entityId)]));
      const { recorded, facts } = await graph.recordEvent(justiceFacts(event, matches));
      logger.info(
        {
          topic,
          partition,
          offset: message.offset,
          eventId: event.eventId,
          what: facts.what,
          incidentId: event.incidentId,
          recorded,
          entities: persons.map((p) => ({ role: p.role, recordId: p.recordId, entityId: p.resolution.entityId, outcome: p.resolution.duplicate ? 'REPLAY' : p.resolution.decision.outcome })),
        },
        'justice event recorded',
      );
      await onRecorded?.({ event, persons, facts, recorded }, input);
    },
  };
}
