// Stage: an event recorded on the identity graph → the perpetrators it
// concerns scored again, the boards of their boroughs updated, and what
// changed said: a borough's new top five, or alerts for the boroughs of a
// released perpetrator's victims.
//   input   graph.events.v1 (GraphEventRecorded, registry wire format; key ONS borough code)
//   output  the scorer's boards (Redis); TopFiveChanged and BoroughAlert to `onOutput`
//           (the service sends them to dauntless.topfive.v1 and dauntless.alerts.v1, key borough)
//   failures  bytes that are not ours, an unknown schema, or an event that
//             fails validation → graph.events.dlq.v1 (by the stage consumer);
//             Redis or the registry down → retried, nothing committed.
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import type { Stage, StageMessage } from '../../shared/kafka/stage-consumer.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { GraphEventRecorded } from '../../shared/contracts/graph-event.ts';
import { contractSchema, SCHEMA_FILE } from '../../shared/contracts/contract-schemas.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import type { Scorer, ScorerOutput } from '../../shared/boards/scorer.ts';

/** What Avro cannot say of a graph event; reasons name fields, never people. Pure. */
export function validateGraphEvent(event: GraphEventRecorded): { ok: true } | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  if (!event.eventId.trim()) reasons.push('eventId is empty');
  if (!Number.isFinite(event.occurredAt)) reasons.push('occurredAt is not a time');
  event.parties.forEach((p, i) => {
    if (!p.entityId.trim()) reasons.push(`party ${i + 1} has no entityId`);
    if (p.mergedEntityIds.includes(p.entityId)) reasons.push(`party ${i + 1} is merged into itself`);
  });
  return reasons.length ? { ok: false, reasons } : { ok: true };
}

export function createScorerStage({
  codec,
  scorer,
  now = Date.now,
  onOutput,
}: {
  codec: AvroCodec;
  scorer: Pick<Scorer, 'scoreEvent'>;
  /** The moment scores are taken at (ms). */
  now?: () => number;
  /** Sends what changed on; a failure is retried, so it must be idempotent (the scorer sends the same again). */
  onOutput?: (outputs: ScorerOutput[], input: StageMessage) => Promise<void>;
}): Stage<GraphEventRecorded> {
  return {
    name: 'score',
    async decode({ topic, message }) {
      // Read as our schema of it, whatever compatible version the resolver wrote.
      const { value } = await codec.decode(message.value as Buffer, { subject: valueSubject(topic), reader: contractSchema(SCHEMA_FILE.graphEvent) });
      const event = value as GraphEventRecorded;
      const validation = validateGraphEvent(event);
      if (!validation.ok) throw new DauntlessError('VALIDATION_FAILED', validation.reasons.join('; '));
      return event;
    },
    async handle(event, input) {
      const outputs = await scorer.scoreEvent(event, now(), { topic: input.topic, partition: input.partition, offset: input.message.offset });
      await onOutput?.(outputs, input);
    },
  };
}
