// Stage: an incident reported by call handling → every party resolved to a
// person entity in the identity graph.
//   input   cad.incidents.v1 (IncidentReported, registry wire format; key incident id)
//   output  the identity graph (Redis); pre-arrival intelligence follows in the pipeline issue
//   failures  bytes that are not ours, an unknown schema, or an incident that
//             fails validation → cad.incidents.dlq.v1 (by the stage consumer);
//             Redis or the registry down → retried, nothing committed.
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import type { Stage } from '../../shared/kafka/stage-consumer.ts';
import type { IdentityStore } from '../../shared/er/identity-store.ts';
import type { PersonModel } from '../../shared/er/model.ts';
import { resolveRecord, type ResolutionResult } from '../../shared/er/resolve-record.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { partyToPersonRecord } from './party-record.ts';
import { validateIncident, type IncidentReported } from './validate-incident.ts';

export type ResolvedIncident = { incident: IncidentReported; parties: { partyId: string; roles: string[]; resolution: ResolutionResult }[] };

export function createIncidentStage({
  codec,
  store,
  model,
  logger,
  now = Date.now,
  onResolved,
}: {
  codec: AvroCodec;
  store: IdentityStore;
  model: PersonModel;
  logger: Logger;
  now?: () => number;
  /** What to do with the resolved incident next (intelligence, in the pipeline issue). */
  onResolved?: (resolved: ResolvedIncident) => Promise<void>;
}): Stage<IncidentReported> {
  return {
    name: 'resolve-incident',
    async decode({ message }) {
      const { value } = await codec.decode(message.value as Buffer);
      const incident = value as IncidentReported;
      const validation = validateIncident(incident, { now: now() });
      if (!validation.ok) throw new DauntlessError('VALIDATION_FAILED', validation.reasons.join('; '));
      return incident;
    },
    async handle(incident, { topic, partition, message }) {
      // "Today" for ages and two-digit years is when the call came in, so a replay decides the same.
      const referenceDate = new Date(incident.receivedAt);
      const parties = [];
      for (const party of incident.parties) {
        const resolution = await resolveRecord(partyToPersonRecord(incident, party), { store, model, referenceDate });
        parties.push({ partyId: party.partyId, roles: party.roles, resolution });
      }
      logger.info(
        {
          topic,
          partition,
          offset: message.offset,
          incidentId: incident.incidentId,
          entities: parties.map((p) => ({ partyId: p.partyId, entityId: p.resolution.entityId, outcome: p.resolution.decision.outcome, duplicate: p.resolution.duplicate })),
        },
        'incident parties resolved',
      );
      await onResolved?.({ incident, parties });
    },
  };
}
