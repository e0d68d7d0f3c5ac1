// The incident graph's one-round-trip write and read (recordIncidentWithHistories)
// against real Redis: the same as recording, then reading, and once by event id.
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { incidentFacts } from '../../shared/graph/incident-facts.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { partyToPersonRecord } from '../../shared/graph/party-record.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { resolveInOrder } from '../../services/resolver/resolve-persons.ts';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';

const redis = adminRedis();
const namespace = `${uniqueName('incident-graph')}:{g}`;
const store = createRedisIdentityStore({ redis, namespace });
const graph = createIncidentGraph({ redis, namespace });

afterAll(async () => {
  await store.clear();
  redis.disconnect();
});

/** An incident resolved onto the graph's store: its facts and its parties' entities, not yet recorded. */
async function resolved(incident: IncidentReported) {
  const { resolutions, matches } = await resolveInOrder(
    incident.parties.map((party) => ({ key: party.partyId, record: partyToPersonRecord(incident, party) })),
    { store, model: defaultPersonModel, referenceDate: new Date(incident.receivedAt) },
  );
  return { facts: incidentFacts(incident, matches), entityIds: resolutions.map((r) => r.resolution.entityId) };
}

describe('recordIncidentWithHistories', () => {
  it('records the incident once and reads the histories after it, as recordIncident then histories would', async () => {
    const first = sampleIncident({ incidentId: 'CAD-G-1', eventId: 'evt-g-1' }) as unknown as IncidentReported;
    const second = sampleIncident({ incidentId: 'CAD-G-2', eventId: 'evt-g-2', receivedAt: first.receivedAt + 86_400_000, reportedAt: first.receivedAt + 86_400_000 }) as unknown as IncidentReported;

    const one = await resolved(first);
    const recordedFirst = await graph.recordIncidentWithHistories(one.facts, one.entityIds);
    expect(recordedFirst.recorded).toBe(true);
    // Read after the write, in the same round trip: the call's own event is there (intelligence leaves it out).
    expect(recordedFirst.histories.map((h) => h.events.map((e) => e.facts.eventId))).toEqual(one.entityIds.map(() => ['evt-g-1']));

    const two = await resolved(second);
    expect(two.entityIds).toEqual(one.entityIds); // the same people, so the same entities
    const recordedSecond = await graph.recordIncidentWithHistories(two.facts, two.entityIds);
    expect(recordedSecond.recorded).toBe(true);
    expect(recordedSecond.histories).toEqual(await graph.histories(two.entityIds));
    expect(recordedSecond.histories[0]!.events.map((e) => e.facts.eventId)).toEqual(['evt-g-2', 'evt-g-1']);

    // A replay changes nothing and gives back the facts recorded the first time.
    const replay = await graph.recordIncidentWithHistories({ ...two.facts, riskLevel: 'changed' }, two.entityIds);
    expect(replay.recorded).toBe(false);
    expect(replay.facts).toEqual(two.facts);
    expect(replay.histories).toEqual(recordedSecond.histories);
    expect(await graph.counts()).toEqual({ incidents: 2, events: 2 });
  });

  it('reports Redis going away as retriable, not as bad input', async () => {
    const gone = adminRedis({ lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const offline = createIncidentGraph({ redis: gone, namespace });
    const { facts, entityIds } = await resolved(sampleIncident({ incidentId: 'CAD-G-3', eventId: 'evt-g-3' }) as unknown as IncidentReported);
    const error = await offline.recordIncidentWithHistories(facts, entityIds).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DauntlessError);
    expect(error).toMatchObject({ code: 'REDIS_UNAVAILABLE', retriable: true });
    gone.disconnect();
  });
});
