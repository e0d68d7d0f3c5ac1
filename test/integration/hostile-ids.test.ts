// Ids as an outside system may send them, against real Redis: spaces, colons
// and braces in every id must neither shift who played which role nor make
// two people one record; and a record with more terms than Lua can unpack
// at once is still read (candidates.lua), not retried for ever.
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { incidentFacts } from '../../shared/graph/incident-facts.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { partyToPersonRecord } from '../../shared/graph/party-record.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { resolveInOrder } from '../../services/resolver/resolve-persons.ts';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import { entityIdFor } from '../../shared/er/identity-store.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';

const redis = adminRedis();
const namespace = `${uniqueName('hostile-ids')}:{g}`;
// No in-process copy of the graph: every read goes through the Lua scripts.
const store = createRedisIdentityStore({ redis, namespace, mirrorKeys: 0 });
const graph = createIncidentGraph({ redis, namespace });

afterAll(async () => {
  await store.clear();
  redis.disconnect();
});

async function recordIncident(incident: IncidentReported) {
  const { resolutions, matches } = await resolveInOrder(
    incident.parties.map((party) => ({ key: party.partyId, record: partyToPersonRecord(incident, party) })),
    { store, model: defaultPersonModel, referenceDate: new Date(incident.receivedAt) },
  );
  const entityIds = resolutions.map((r) => r.resolution.entityId);
  return { entityIds, ...(await graph.recordIncidentWithHistories(incidentFacts(incident, matches), entityIds)) };
}

const incidentWith = (eventId: string, partyIds: [string, string], overrides: Record<string, unknown> = {}) => {
  const base = sampleIncident() as unknown as IncidentReported;
  return { ...base, incidentId: `CAD {x}: ${eventId}`, eventId, parties: base.parties.map((p, i) => ({ ...p, partyId: partyIds[i]! })), ...overrides } as IncidentReported;
};

describe('ids with spaces, colons and braces', () => {
  it('keep each party in its own role on the graph', async () => {
    // The victim first, with spaces in its id: an id split on spaces would put the suspect's entity in the victim's slot.
    const incident = incidentWith('evt 1:{g} v1', ['victim P 1', 'suspect:P{2} x']);
    const { entityIds, histories } = await recordIncident(incident);
    expect(new Set(entityIds).size).toBe(2);
    const [victimHistory] = histories;
    const event = victimHistory!.events[0]!;
    expect(event.facts.eventId).toBe('evt 1:{g} v1');
    const roles = (event.facts as { parties: { roles: string[] }[] }).parties.map((p) => p.roles);
    expect(roles).toEqual([['VICTIM', 'CALLER'], ['SUSPECT']]);
    expect(event.partyEntityIds).toEqual(entityIds);
    expect(await store.entityOfRecord(partyToPersonRecord(incident, incident.parties[0]!).recordId)).toBe(entityIds[0]);
  });

  it('never make two (event, party) pairs one record', async () => {
    // `${eventId}:${partyId}` is "a:b:c" for both; the second must be a record of its own, not a replay of the first.
    const base = sampleIncident() as unknown as IncidentReported;
    const stranger = { ...base.parties[1]!, name: { ...base.parties[1]!.name, full: 'OTHER, Person', aliases: [] }, phones: ['07700 900999'], ageYears: 70 };
    const first = incidentWith('a:b', ['c', 'd'], { incidentId: 'CAD-C-1' });
    const second = { ...incidentWith('a', ['b:c', 'd'], { incidentId: 'CAD-C-2' }), parties: [{ ...stranger, partyId: 'b:c', roles: ['VICTIM'] }, { ...base.parties[1]!, partyId: 'd' }] } as IncidentReported;
    const one = await recordIncident(first);
    const two = await recordIncident(second);
    expect(two.recorded).toBe(true);
    expect(two.entityIds[0]).not.toBe(one.entityIds[0]);
    expect(await store.entityOfRecord(partyToPersonRecord(second, second.parties[0]!).recordId)).toBe(two.entityIds[0]);
    expect(await store.entityOfRecord(partyToPersonRecord(first, first.parties[0]!).recordId)).toBe(one.entityIds[0]);
    expect(await graph.counts()).toEqual({ incidents: 3, events: 3 });
  });
});

describe('a record with more terms than Lua unpacks at once', () => {
  it('reads its term counts in chunks', async () => {
    const terms = Array.from({ length: 10_000 }, (_, i) => `email:p${i}@example.com`);
    await store.apply(
      {
        recordId: 'many-terms',
        record: { recordId: 'many-terms', source: 'test', fields: { full_name: 'synthetic' } },
        features: { recordId: 'many-terms', source: 'test' },
        blockKeys: ['ph:1'],
        terms: [terms[9_999]!],
        decision: { outcome: 'new' },
        possible: [],
        modelVersion: 'test',
      },
      (await store.candidates({ blockKeys: ['ph:1'], terms: [], maxPerKey: 20 })).token,
    );
    const view = await store.candidates({ recordId: 'another', blockKeys: ['ph:1'], terms, maxPerKey: 20 });
    expect(view.entities.map((e) => e.entityId)).toEqual([entityIdFor('many-terms')]);
    expect(Object.keys(view.termCounts)).toHaveLength(10_000);
    expect(view.termCounts[terms[9_999]!]).toBe(1);
    expect(view.termCounts[terms[0]!]).toBe(0);
  });
});
