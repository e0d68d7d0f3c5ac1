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
import type { Stage, StageMessage } from '../../shared/kafka/stage-consumer.ts';
import type { IdentityStore } from '../../shared/er/identity-store.ts';
import type { PersonModel } from '../../shared/er/model.ts';
import type { ResolutionResult } from '../../shared/er/resolve-record.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { IncidentGraph } from '../../shared/graph/incident-graph.ts';
import { validateJusticeEvent, type JusticeEvent } from '../../shared/contracts/justice-event.ts';
import { justiceFacts, type JusticeFacts } from '../../shared/graph/justice-facts.ts';
import { justicePersonRecords } from '../../shared/graph/justice-person-record.ts';
import { EMPTY_REGISTER, type RefugeRegister } from '../../shared/er/refuges.ts';
import { decodeValid, judgedAt, prepareRecords, recordOrderKeys, resolveInOrder, type PreparedRecord } from './resolve-persons.ts';
import { contractSchema, SCHEMA_FILE } from '../../shared/contracts/contract-schemas.ts';

export type RecordedJusticeEvent = {
  event: JusticeEvent;
  /** Subject first, then the related persons in order. */
  persons: { recordId: string; role: 'SUBJECT' | 'RELATED'; resolution: ResolutionResult }[];
  /** As on the graph (its first recording, on a replay). */
  facts: JusticeFacts;
  /** False when this event was on the graph already (a replay). */
  recorded: boolean;
  /** Records a refuge's phone or address was taken out of (for the audit log). */
  refugeWithheld?: string[];
};

export function createJusticeStage({
  codec,
  store,
  graph,
  model,
  logger,
  now = Date.now,
  onRecorded,
  refuges = () => EMPTY_REGISTER,
}: {
  codec: AvroCodec;
  store: IdentityStore;
  graph: IncidentGraph;
  model: PersonModel;
  logger: Logger;
  now?: () => number;
  /** Told of each event once recorded (metrics, tests); a failure is retried, so it must be idempotent by event. */
  onRecorded?: (recorded: RecordedJusticeEvent, input: StageMessage) => Promise<void>;
  /** The refuges now (kept fresh by the caller). */
  refuges?: () => RefugeRegister;
}): Stage<JusticeEvent> {
  // The persons' records and features, computed once for an event: its call-order keys are their blocking keys.
  const prepared = new WeakMap<JusticeEvent, PreparedRecord[]>();
  const preparedOf = (event: JusticeEvent): PreparedRecord[] => {
    let records = prepared.get(event);
    if (!records) prepared.set(event, (records = prepareRecords(justicePersonRecords(event).map(({ record }) => record), new Date(event.occurredAt), refuges())));
    return records;
  };
  return {
    name: 'record-justice',
    decode: (input) => decodeValid<JusticeEvent>(codec, input, contractSchema(SCHEMA_FILE.justiceEvent), (event) => validateJusticeEvent(event, { now: judgedAt(now(), input) })),
    orderKeys: (event) => recordOrderKeys(preparedOf(event)),
    async handle(event, input) {
      const { topic, partition, message } = input;
      const records = justicePersonRecords(event);
      const { resolutions, matches } = await resolveInOrder(
        preparedOf(event).map(({ record, features }) => ({ key: record.recordId, record, features })),
        { store, model, referenceDate: new Date(event.occurredAt) },
      );
      const persons: RecordedJusticeEvent['persons'] = resolutions.map(({ key, resolution }, i) => ({ recordId: key, role: records[i]!.role, resolution }));
      // A later call about these people reads this event in their history: it waits for it (call order).
      input.touched?.(persons.flatMap((p) => [p.resolution.entityId, ...p.resolution.mergedEntityIds]));
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
      const refugeWithheld = preparedOf(event).filter((p) => p.refugeWithheld).map((p) => p.record.recordId);
      await onRecorded?.({ event, persons, facts, recorded, refugeWithheld }, input);
    },
  };
}
