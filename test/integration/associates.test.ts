// Associates against real Redis: a victim recognised, the suspect she names
// with thin details ("Robert SAMPLE", nothing else) is found among those who
// shared her earlier incidents, whatever keys he is filed under, through
// candidates.lua and through the resolver's mirror of the graph alike, and
// the other men of that name are not merged into him.
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { incidentFacts } from '../../shared/graph/incident-facts.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { partyToPersonRecord } from '../../shared/graph/party-record.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { associatesIn, resolveInOrder } from '../../services/resolver/resolve-persons.ts';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import type { IdentityStore } from '../../shared/er/identity-store.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';

const redis = adminRedis();
const namespaces: string[] = [];
const DAY = 86_400_000;

afterAll(async () => {
  for (const namespace of namespaces) await createRedisIdentityStore({ redis, namespace }).clear();
  redis.disconnect();
});

function graphOnRedis() {
  const namespace = `${uniqueName('associates')}:{g}`;
  namespaces.push(namespace);
  return { namespace, graph: createIncidentGraph({ redis, namespace }) };
}

/**
 * Other women's calls about other men called Robert Sample (each with a date of birth and a phone of his own), so
 * that the name alone is common on the graph, as a real one is: no one of them is found by it.
 */
const others = [0, 1, 2, 3].map((i) => {
  const at = Date.UTC(2026, 6, 1 + i, 20);
  const base = sampleIncident({ incidentId: `CAD-A-B${i}`, eventId: `evt-a-b${i}`, receivedAt: at, reportedAt: at }) as unknown as IncidentReported;
  const [v, s] = base.parties;
  return {
    ...base,
    location: { addressLines: [`${20 + i} Elsewhere Road`], postcode: `E${i + 2} 1AA`, uprn: null, latitude: 51.5, longitude: -0.05 },
    parties: [
      { ...v!, name: { title: null, given: ['Grace', 'Nadia', 'Wiktoria', 'Chloe'][i]!, middle: null, family: ['ADEYEMI', 'KHAN', 'NOWAK', 'PRICE'][i]!, full: null, aliases: [] }, dateOfBirth: `0${i + 1}/0${i + 2}/199${i}`, phones: [`07700 90070${i}`], addresses: [`${20 + i} Elsewhere Road, E${i + 2} 1AA`] },
      { ...s!, name: { title: null, given: 'Robert', middle: null, family: 'SAMPLE', full: null, aliases: [] }, dateOfBirth: `0${i + 1}/0${i + 3}/197${i}`, ageYears: null, phones: [`07700 90080${i}`], addresses: [`${20 + i} Elsewhere Road, E${i + 2} 1AA`] },
    ],
  } as IncidentReported;
});

/** Resolves an incident's parties (with associates, unless told not to) and records it, as the incident stage does. */
async function resolveAndRecord(store: IdentityStore, graph: ReturnType<typeof createIncidentGraph>, incident: IncidentReported, withAssociates = true) {
  const { resolutions, matches } = await resolveInOrder(
    incident.parties.map((party) => ({ key: party.partyId, record: partyToPersonRecord(incident, party), roles: party.roles })),
    { store, model: defaultPersonModel, referenceDate: new Date(incident.receivedAt), ...(withAssociates ? { associatesOf: associatesIn(graph, incident.eventId) } : {}) },
  );
  await graph.recordIncidentWithHistories(incidentFacts(incident, matches), resolutions.map((r) => r.resolution.entityId));
  return resolutions.map((r) => r.resolution);
}

const first = sampleIncident({ incidentId: 'CAD-A-1', eventId: 'evt-a-1' }) as unknown as IncidentReported;
const [victim, suspect] = first.parties;
/** Two months on, the same victim, and the suspect as a frightened caller gives him: a name, nothing more. */
const second = sampleIncident({
  incidentId: 'CAD-A-2',
  eventId: 'evt-a-2',
  receivedAt: first.receivedAt + 60 * DAY,
  reportedAt: first.receivedAt + 60 * DAY,
  parties: [victim, { ...suspect, name: { ...suspect!.name, full: null, given: 'Robert', family: 'SAMPLE', aliases: [] }, ageYears: null, phones: [], addresses: [] }],
}) as unknown as IncidentReported;
/** The same thin suspect, named by a woman with no history here. */
const stranger = sampleIncident({
  incidentId: 'CAD-A-3',
  eventId: 'evt-a-3',
  receivedAt: first.receivedAt + 61 * DAY,
  reportedAt: first.receivedAt + 61 * DAY,
  location: { addressLines: ['4 Other Street'], postcode: 'N1 9GU', uprn: null, latitude: 51.53, longitude: -0.12 },
  parties: [
    { ...victim!, name: { title: null, given: 'Amira', middle: null, family: 'OTHERNAME', full: null, aliases: [] }, dateOfBirth: '12/12/1988', phones: ['07700 900999'], addresses: ['4 Other Street, N1 9GU'] },
    second.parties[1]!,
  ],
}) as unknown as IncidentReported;

describe('associates', () => {
  for (const path of ['candidates.lua', 'the mirror'] as const) {
    it(`finds the suspect a recognised victim names with a name alone among her earlier incidents' parties (${path})`, async () => {
      const { namespace, graph } = graphOnRedis();
      const firstStore = createRedisIdentityStore({ redis, namespace });
      for (const other of others) await resolveAndRecord(firstStore, graph, other);
      const [victimBefore, suspectBefore] = await resolveAndRecord(firstStore, graph, first);
      // A store that did not write the graph reads candidates from Redis; the one that did answers from its mirror.
      const store = path === 'candidates.lua' ? createRedisIdentityStore({ redis, namespace }) : firstStore;
      const [victimNow, suspectNow] = await resolveAndRecord(store, graph, second);
      expect(victimNow!.entityId).toBe(victimBefore!.entityId);
      expect(suspectNow!.decision.outcome).toBe('link');
      expect(suspectNow!.entityId).toBe(suspectBefore!.entityId);
      // Explained like any other evidence: he was her suspect before, and is her suspect now.
      const evidence = suspectNow!.decision.outcome === 'link' ? suspectNow!.decision.score.evidence : [];
      expect(evidence).toContainEqual(expect.objectContaining({ field: 'associate', level: 'same_role' }));
      expect(evidence.find((e) => e.field === 'associate')!.weight).toBeGreaterThan(6);

      // The other men of that name, only namesakes beside her, were not merged into him.
      expect(suspectNow!.mergedEntityIds).toEqual([]);
      expect(suspectNow!.possible.length).toBeGreaterThan(0);

      // The same name from a woman with no history here carries no associate evidence: she is close to nobody yet.
      const [, strangersSuspect] = await resolveAndRecord(store, graph, stranger);
      const scores = [strangersSuspect!.decision, ...strangersSuspect!.possible].flatMap((d) => ('score' in d ? [d.score] : 'scores' in d ? Object.values(d.scores) : []));
      expect(scores.flatMap((score) => score.evidence).filter((e) => e.field === 'associate')).toEqual([]);
    });
  }

  it('finds him whichever order call handling listed the parties in: the victim is resolved first', async () => {
    const { namespace, graph } = graphOnRedis();
    const store = createRedisIdentityStore({ redis, namespace });
    for (const other of others) await resolveAndRecord(store, graph, other);
    const [, suspectBefore] = await resolveAndRecord(store, graph, first);
    const suspectFirst = { ...second, incidentId: 'CAD-A-2R', eventId: 'evt-a-2r', parties: [second.parties[1]!, second.parties[0]!] };
    const [suspectNow, victimNow] = await resolveAndRecord(store, graph, suspectFirst);
    expect(victimNow!.decision.outcome).not.toBe('new');
    expect(suspectNow!.entityId).toBe(suspectBefore!.entityId);
    expect(suspectNow!.decision.outcome === 'link' && suspectNow!.decision.score.evidence.some((e) => e.field === 'associate')).toBe(true);
  });

  it('without associates, the thin suspect is a new person: what the associate evidence adds', async () => {
    const { namespace, graph } = graphOnRedis();
    const store = createRedisIdentityStore({ redis, namespace });
    for (const other of others) await resolveAndRecord(store, graph, other, false);
    const [, suspectBefore] = await resolveAndRecord(store, graph, first, false);
    const [, suspectNow] = await resolveAndRecord(createRedisIdentityStore({ redis, namespace }), graph, second, false);
    expect(suspectNow!.entityId).not.toBe(suspectBefore!.entityId);
  });

  it('leaves out an associate id of nobody (an erased person) rather than failing', async () => {
    const { namespace } = graphOnRedis();
    const store = createRedisIdentityStore({ redis, namespace });
    await resolveAndRecord(store, createIncidentGraph({ redis, namespace }), first);
    const fresh = createRedisIdentityStore({ redis, namespace });
    const view = await fresh.candidates({ blockKeys: [], terms: [], maxPerKey: 10, entities: ['Pnobody00000000000000'] });
    expect(view.entities).toEqual([]);
  });
});
