// The justice stage with the incident stage over one in-memory identity graph:
// a DVPO and a MARAC referral recorded first, then a call with the same two
// people, typed another way, gets them in its intelligence.
import { describe, expect, it } from 'vitest';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { createMemoryIdentityStore } from '../../shared/er/memory-identity-store.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import type { StageMessage } from '../../shared/kafka/stage-consumer.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { sampleIncident } from '../../test/helpers/sample-incident.ts';
import { sampleJusticeEvent, samplePerpetrator, sampleVictim } from '../../test/helpers/sample-justice-event.ts';
import { recordThenRead, type EventFacts, type IncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createIncidentStage, type ResolvedIncident } from './incident-stage.ts';
import { wrapDetail } from '../../shared/contracts/justice-event.ts';
import { createJusticeStage, type RecordedJusticeEvent } from './justice-stage.ts';

const DAY = 86_400_000;
const logger = createLogger('test', { level: 'silent' });

/** Values pass through as they are: the codec's part is the registry round trip, tested against a real one in e2e. */
const codec: AvroCodec = { encode: async () => Buffer.alloc(0), decode: async (bytes) => ({ schemaId: 1, value: JSON.parse(bytes.toString()) }) };
const message = (value: unknown, offset = '0'): StageMessage => ({ topic: 'justice.events.v1', partition: 0, message: { value: Buffer.from(JSON.stringify(value)), offset } as never });

/** The graph's contract over the memory store: events by id, read through each entity's member records. */
function memoryGraph(store: ReturnType<typeof createMemoryIdentityStore>): IncidentGraph & { events: Map<string, EventFacts> } {
  const events = new Map<string, EventFacts>();
  const recordEvent = async <F extends EventFacts>(facts: F) => {
    const before = events.get(facts.eventId) as F | undefined;
    if (before) return { recorded: false, facts: before };
    events.set(facts.eventId, facts);
    return { recorded: true, facts };
  };
  const graph: Omit<IncidentGraph, 'recordIncidentWithHistories'> & { events: Map<string, EventFacts> } = {
    events,
    recordIncident: recordEvent,
    recordEvent,
    async histories(entityIds) {
      const entities = store.entities();
      return Promise.all(
        entityIds.map(async (asked) => {
          const entityId = [...entities].find(([id, members]) => id === asked || members.includes(asked))?.[0] ?? asked;
          const members = new Set(entities.get(entityId) ?? []);
          const mine = [...events.values()].filter((f) => f.parties.some((p) => members.has(p.recordId)));
          return { entityId, events: await Promise.all(mine.map(async (facts) => ({ facts, partyEntityIds: await Promise.all(facts.parties.map((p) => store.entityOfRecord(p.recordId))) }))) };
        }),
      );
    },
    async counts() {
      return { incidents: new Set([...events.values()].flatMap((f) => (f.kind === 'incident' ? [f.incidentId] : []))).size, events: events.size };
    },
  };
  return { ...graph, recordIncidentWithHistories: recordThenRead(graph) };
}

describe('the justice stage', () => {
  const call = sampleIncident();
  const receivedAt = call.receivedAt as number;
  const now = () => receivedAt + 60_000;
  const order = sampleJusticeEvent({ occurredAt: receivedAt - 5 * DAY, recordedAt: receivedAt - 5 * DAY });
  const marac = sampleJusticeEvent({
    eventId: 'JUS-MARAC-1',
    occurredAt: receivedAt - 40 * DAY,
    recordedAt: receivedAt - 40 * DAY,
    subject: sampleVictim(),
    relatedPersons: [{ ...samplePerpetrator(), systemRef: null, given: 'Rob', phones: [] }],
    detail: wrapDetail('MaracReferral', { reason: 'HIGH_RISK_DASH', meetingAt: null }),
  });

  it('records an order and a MARAC referral on the people a later call names, and the call is told', async () => {
    const store = createMemoryIdentityStore();
    const graph = memoryGraph(store);
    const recorded: RecordedJusticeEvent[] = [];
    const justice = createJusticeStage({ codec, store, graph, model: defaultPersonModel, logger, now, onRecorded: async (r) => void recorded.push(r) });
    const resolved: ResolvedIncident[] = [];
    const incidents = createIncidentStage({ codec, store, graph, model: defaultPersonModel, logger, now, onResolved: async (r) => void resolved.push(r) });

    for (const [i, e] of [marac, order].entries()) await justice.handle(await justice.decode(message(e, String(i))), message(e, String(i)));
    expect(recorded.map((r) => [r.facts.what, r.recorded, r.persons.map((p) => p.recordId)])).toEqual([
      ['MARAC_REFERRAL', true, ['JUS-MARAC-1:subject', 'JUS-MARAC-1:related-0']],
      ['PROTECTIVE_ORDER', true, ['JUS-20261120-0091:subject', 'JUS-20261120-0091:related-0']],
    ]);
    // The victim of the order is the subject of the MARAC referral; the perpetrators are one person too.
    const [maracVictim, maracPerpetrator] = recorded[0]!.persons.map((p) => p.resolution.entityId);
    const [orderPerpetrator, orderVictim] = recorded[1]!.persons.map((p) => p.resolution.entityId);
    expect(orderVictim).toBe(maracVictim);
    expect(orderPerpetrator).toBe(maracPerpetrator);
    expect(await graph.counts()).toEqual({ incidents: 0, events: 2 });

    const callMessage = { ...message(call), topic: 'cad.incidents.v1' };
    await incidents.handle(await incidents.decode(callMessage), callMessage);
    const intel = resolved[0]!.intelligence;
    const [victim, suspect] = intel.persons;
    expect([victim!.entityId, suspect!.entityId]).toEqual([orderVictim, orderPerpetrator]);
    expect(victim!.activeOrders).toEqual([{ orderType: 'DVPO', expiresAt: order.occurredAt as number + 28 * DAY, conditions: ['not to contact the protected person', 'not to enter 10 Acacia Road'] }]);
    expect(suspect!.activeOrders).toEqual(victim!.activeOrders);
    expect([victim!.maracLast12Months, victim!.repeatMarac, suspect!.repeatMarac]).toEqual([true, true, true]);
    expect(intel.warningMarkers).toEqual(expect.arrayContaining(['ACTIVE_ORDER', 'REPEAT_MARAC', 'ORDER_OR_BAIL_BREACH']));
    expect(intel.summary).toMatch(/^Possible breach: .*\. Victim: no previous incidents; MARAC referral in the last 12 months \(repeat MARAC\); active DVPO until 18 Dec 2026\./);
  });

  it('changes nothing when an event comes again', async () => {
    const store = createMemoryIdentityStore();
    const graph = memoryGraph(store);
    const recorded: RecordedJusticeEvent[] = [];
    const justice = createJusticeStage({ codec, store, graph, model: defaultPersonModel, logger, now, onRecorded: async (r) => void recorded.push(r) });
    for (let i = 0; i < 2; i++) await justice.handle(await justice.decode(message(order)), message(order));
    expect(recorded.map((r) => [r.recorded, r.persons.map((p) => p.resolution.duplicate)])).toEqual([[true, [false, false]], [false, [true, true]]]);
    expect(store.entities().size).toBe(2);
    expect(recorded[1]!.facts).toEqual(recorded[0]!.facts);
  });

  it('refuses an event that fails validation as bad input, naming fields only', async () => {
    const justice = createJusticeStage({ codec, store: createMemoryIdentityStore(), graph: memoryGraph(createMemoryIdentityStore()), model: defaultPersonModel, logger, now });
    const bad = sampleJusticeEvent({ boroughCode: 'E09000001', subject: { ...samplePerpetrator(), systemRef: null, given: null, family: null, dateOfBirth: null, phones: [] } });
    const error = await justice.decode(message(bad)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DauntlessError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', retriable: false });
    expect((error as Error).message).toBe(
      'boroughCode "E09000001" is not the ONS code of a Met borough (E09000002..E09000033); send null when the event has no borough; subject has no reference, name, date of birth, phone or address to resolve',
    );
  });
});
