// A simulated London on a real graph, for the example briefing and the CLI's
// tests: the simulator's calls (shared/synth/call-stream.ts) resolved onto an
// identity graph in Redis by the resolver's own stages, in-process, and each
// scored by the scorer as it arrives, on a simulated clock (each call's own
// time), so months pass in seconds. Justice events about people of the
// stream (an order, a release on bail, a breach) go the same way. ALL DATA
// SYNTHETIC. Redis must run (`npm run stack:up`); everything it writes is
// under the namespaces given, and `clear()` removes it.
import type { Redis } from 'ioredis';
import { DEFAULT_HARM_CONFIG } from '../../shared/harm/harm-config.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createCallStream, type SimulatedCall } from '../../shared/synth/call-stream.ts';
import type { Population, SynthPerson } from '../../shared/synth/population.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createIncidentStage, type ResolvedIncident } from '../../services/resolver/incident-stage.ts';
import { createJusticeStage, type RecordedJusticeEvent } from '../../services/resolver/justice-stage.ts';
import { graphEventOfIncident, graphEventOfJustice } from '../../services/resolver/graph-event.ts';
import type { JusticeEvent, PersonAsRecorded } from '../../shared/contracts/justice-event.ts';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { scorerNamespaceFor } from '../../shared/boards/namespaces.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import { createBriefingStore } from '../../shared/boards/briefing-store.ts';

// The stages' handle() wants the Kafka message only to log where it came from.
const input = (i: number) => ({ topic: 'simulated', partition: 0, message: { offset: String(i), key: null, value: null, timestamp: '0', attributes: 0, headers: {} } as never });

export type SimulatedLondon = ReturnType<typeof createSimulatedLondon>;

export function createSimulatedLondon({ redis, namespace, codec, logger }: { redis: Redis; namespace: string; codec: AvroCodec; logger: Logger }) {
  const store = createRedisIdentityStore({ redis, namespace });
  const graph = createIncidentGraph({ redis, namespace });
  const board = createScoreBoard({ redis, namespace: scorerNamespaceFor(namespace) });
  const briefings = createBriefingStore({ redis, namespace: scorerNamespaceFor(namespace) });
  const scorer = createScorer({ graph, board, harm: DEFAULT_HARM_CONFIG, logger });
  let resolved: ResolvedIncident | undefined;
  let recorded: RecordedJusticeEvent | undefined;
  const incidents = createIncidentStage({ codec, store, graph, model: defaultPersonModel, logger, onResolved: async (r) => void (resolved = r) });
  const justice = createJusticeStage({ codec, store, graph, model: defaultPersonModel, logger, onRecorded: async (r) => void (recorded = r) });
  /** Who each entity is in the simulator's truth (the last person seen resolved to it), to write justice events about them. */
  const truthOf = new Map<string, string>();
  let handled = 0;

  return {
    store,
    graph,
    board,
    briefings,
    scorer,
    /** The synthetic person behind an entity, by the simulator's truth. */
    personOf: (entityId: string) => truthOf.get(entityId),

    /** Resolves a call onto the graph and scores it at its own time (or at `at`: when the scorer saw it). */
    async call(incident: IncidentReported, truth?: SimulatedCall['truth'], at = incident.receivedAt): Promise<ResolvedIncident> {
      await incidents.handle(incident, input(handled++));
      const r = resolved!;
      for (const p of r.parties) {
        const person = truth?.parties.find((t) => t.partyId === p.partyId)?.personId;
        if (person) truthOf.set(p.resolution.entityId, person);
      }
      await scorer.scoreEvent(graphEventOfIncident(r, at), at);
      return r;
    },

    /** Records a justice event and scores it at its own time. */
    async justice(event: JusticeEvent): Promise<RecordedJusticeEvent> {
      await justice.handle(event, input(handled++));
      const r = recorded!;
      await scorer.scoreEvent(graphEventOfJustice(r, event.occurredAt), event.occurredAt);
      return r;
    },

    /** Time alone, up to `at`. */
    async advance(at: number): Promise<void> {
      await scorer.rescoreDue(at);
    },

    async clear(): Promise<void> {
      await store.clear();
      await board.clear();
    },
  };
}

/** The simulated calls of a stretch of time ending about `end`, and the population they come from. */
export function simulatedCalls({ seed, calls, days, end, persons = 6_000 }: { seed: string; calls: number; days: number; end: number; persons?: number }): { calls: SimulatedCall[]; population: Population } {
  const DAY = 86_400_000;
  const stream = createCallStream({ seed, persons, start: new Date(end - days * DAY), meanGapMs: (days * DAY) / calls, horizonCalls: calls });
  return { calls: stream.take(calls).filter((c) => c.incident.receivedAt <= end), population: stream.population };
}

/** A synthetic person as custody or a court would record them: exact name, date of birth, current phone, address. */
export function asRecorded(p: SynthPerson): PersonAsRecorded {
  const a = p.address;
  const phone = p.phones.filter((x) => !x.until).at(-1) ?? p.phones.at(-1);
  return {
    systemRef: null,
    given: p.givenName.toUpperCase(),
    family: p.familyName.toUpperCase(),
    full: null,
    dateOfBirth: p.dob,
    phones: phone ? [phone.number] : [],
    addresses: [`${a.flat ? `Flat ${a.flat}, ` : ''}${a.houseNumber} ${a.street}, London ${a.postcode}`],
  };
}
