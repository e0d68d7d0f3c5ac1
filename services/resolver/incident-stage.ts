// Stage: an incident reported by call handling → every party resolved to a
// person entity, the incident recorded on the identity graph, and
// pre-arrival intelligence built from each party's history.
//   input   cad.incidents.v1 (IncidentReported, registry wire format; key incident id)
//   output  the identity graph (Redis); PreArrivalIntelligence to `onIntelligence`
//           (the service sends it to dispatch.intel.v1, key incident id)
//   failures  bytes that are not ours, an unknown schema, or an incident that
//             fails validation → cad.incidents.dlq.v1 (by the stage consumer);
//             Redis or the registry down → retried, nothing committed.
import type { Stage, StageMessage } from '../../shared/kafka/stage-consumer.ts';
import type { IdentityStore } from '../../shared/er/identity-store.ts';
import type { PersonModel } from '../../shared/er/model.ts';
import type { ResolutionResult } from '../../shared/er/resolve-record.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { buildIntelligence, DEFAULT_INTELLIGENCE_SETTINGS, type IntelligenceSettings } from './build-intelligence.ts';
import { incidentFacts } from '../../shared/graph/incident-facts.ts';
import type { IncidentGraph } from '../../shared/graph/incident-graph.ts';
import type { IncompletePicture, PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { partyToPersonRecord } from '../../shared/graph/party-record.ts';
import { EMPTY_REGISTER, type RefugeRegister } from '../../shared/er/refuges.ts';
import { associatesIn, decodeValid, judgedAt, prepareRecords, recordOrderKeys, resolveInOrder, type PreparedRecord } from './resolve-persons.ts';
import { contractSchema, SCHEMA_FILE } from '../../shared/contracts/contract-schemas.ts';
import { identifiableParties, validateIncident, type IncidentReported } from '../../shared/contracts/incident.ts';

export type ResolvedIncident = {
  incident: IncidentReported;
  parties: { partyId: string; roles: string[]; resolution: ResolutionResult }[];
  /** Records a refuge's phone or address was taken out of (for the audit log). */
  refugeWithheld?: string[];
  intelligence: PreArrivalIntelligence;
  /** False when this event was on the graph already (a replay): nothing was counted again. */
  recorded: boolean;
};

export function createIncidentStage({
  codec,
  store,
  graph,
  model,
  logger,
  now = Date.now,
  settings = DEFAULT_INTELLIGENCE_SETTINGS,
  onResolved,
  refuges = () => EMPTY_REGISTER,
  missing = () => [],
}: {
  codec: AvroCodec;
  store: IdentityStore;
  graph: IncidentGraph;
  model: PersonModel;
  logger: Logger;
  now?: () => number;
  settings?: IntelligenceSettings;
  /** Sends the intelligence on (to dispatch.intel.v1 in the service); a failure is retried, so it must be idempotent by incident. */
  onResolved?: (resolved: ResolvedIncident, input: StageMessage) => Promise<void>;
  /** The refuges now (kept fresh by the caller). */
  refuges?: () => RefugeRegister;
  /** What the histories of this message were read without (justice events behind: incomplete-picture.ts); default nothing. */
  missing?: (input: StageMessage) => IncompletePicture[];
}): Stage<IncidentReported> {
  // The parties' records and features, computed once for a call: its call-order keys are their blocking keys.
  const prepared = new WeakMap<IncidentReported, PreparedRecord[]>();
  const preparedOf = (incident: IncidentReported): PreparedRecord[] => {
    let records = prepared.get(incident);
    if (!records) prepared.set(incident, (records = prepareRecords(incident.parties.map((party) => partyToPersonRecord(incident, party)), new Date(incident.receivedAt), refuges())));
    return records;
  };
  /** Parties of a call left out because nothing in them can be resolved (identifiableParties), for its log line. */
  const unidentified = new WeakMap<IncidentReported, number>();
  return {
    name: 'resolve-incident',
    async decode(input) {
      const valid = await decodeValid<IncidentReported>(codec, input, contractSchema(SCHEMA_FILE.incident), (incident) => validateIncident(incident, { now: judgedAt(now(), input) }));
      const { incident, unidentified: left } = identifiableParties(valid);
      if (left > 0) unidentified.set(incident, left);
      return incident;
    },
    orderKeys: (incident) => recordOrderKeys(preparedOf(incident)),
    async handle(incident, input) {
      const { topic, partition, message } = input;
      const { resolutions, matches } = await resolveInOrder(
        preparedOf(incident).map(({ record, features }, i) => ({ key: incident.parties[i]!.partyId, record, features, roles: incident.parties[i]!.roles })),
        { store, model, referenceDate: new Date(incident.receivedAt), associatesOf: associatesIn(graph, incident.eventId) },
      );
      const parties = resolutions.map(({ key, resolution }, i) => ({ partyId: key, roles: incident.parties[i]!.roles, resolution }));
      // Recorded once by event id: a replay finds it there and counts nothing twice.
      // One round trip for both; the intelligence leaves this call's own event out of the history.
      const entityIds = parties.map((p) => p.resolution.entityId);
      input.touched?.([...entityIds, ...parties.flatMap((p) => p.resolution.mergedEntityIds)]);
      const earlier = input.earlierInFlight?.();
      const written = await graph.recordIncidentWithHistories(incidentFacts(incident, matches), entityIds);
      const { recorded, facts } = written;
      // An earlier call still in flight as this one read (call order) may have added to one of these people since: read again.
      const theirs = await earlier?.();
      const histories = theirs && entityIds.some((id) => theirs.has(id)) ? await graph.histories(entityIds) : written.histories;
      const intelligence = buildIntelligence({
        incident: facts,
        histories,
        generatedAt: now(),
        settings,
        incomplete: missing(input),
      });
      logger.info(
        {
          topic,
          partition,
          offset: message.offset,
          incidentId: incident.incidentId,
          recorded,
          ...(unidentified.has(incident) ? { unidentifiedParties: unidentified.get(incident) } : {}),
          hasHistory: intelligence.hasHistory,
          markers: intelligence.warningMarkers,
          ...(intelligence.incomplete.length > 0 ? { incomplete: intelligence.incomplete } : {}),
          entities: intelligence.persons.map((p) => ({ partyId: p.partyId, entityId: p.entityId, match: p.match, previous: p.incidentsAllTime })),
        },
        'incident resolved; intelligence built',
      );
      const refugeWithheld = preparedOf(incident).filter((p) => p.refugeWithheld).map((p) => p.record.recordId);
      await onResolved?.({ incident, parties, intelligence, recorded, refugeWithheld }, input);
    },
  };
}
