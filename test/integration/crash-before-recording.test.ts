// A resolver that crashes after resolving some parties of a call and before
// recording the incident handles the call again on restart: the parties
// resolved then are replays. Whatever the point of the crash, the graph, the
// incident's recorded facts (each party's match included), the intelligence
// and the graph event must be exactly those of a clean run. Real Redis; the
// stage is driven directly, since the crash is between two of its steps.
import { adminRedis } from '../helpers/redis.ts';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPersonModel } from '../../shared/er/model.ts';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import type { IncidentFacts } from '../../shared/graph/incident-facts.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { partyToPersonRecord } from '../../shared/graph/party-record.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { graphEventOfIncident } from '../../services/resolver/graph-event.ts';
import { createIncidentStage, type ResolvedIncident } from '../../services/resolver/incident-stage.ts';
import { associatesIn, resolveInOrder } from '../../services/resolver/resolve-persons.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { graphSnapshot } from '../helpers/graph-snapshot.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';

const endpoints = testEndpoints();
const redis = adminRedis();
const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const namespaces: string[] = [];
const DAY = 86_400_000;

afterAll(async () => {
  for (const ns of namespaces) await clearNamespace(redis, ns);
  redis.disconnect();
});

// One victim known twice apart (by date of birth; by a phone, as "Joanne"), until a third call
// gives both and merges them; the suspect links each time.
const base = sampleIncident() as unknown as IncidentReported;
const [victim, suspect] = base.parties;
const call = (n: number, parties: IncidentReported['parties']): IncidentReported => {
  const receivedAt = base.receivedAt + n * 30 * DAY;
  return { ...base, incidentId: `CAD-C-${n}`, eventId: `evt-c-${n}`, receivedAt, reportedAt: receivedAt - 60_000, parties };
};
const calls = [
  call(1, [{ ...victim!, phones: [], addresses: [] }, suspect!]),
  call(2, [{ ...victim!, dateOfBirth: null, addresses: [], phones: ['07700 900777'], name: { ...victim!.name, given: 'Joanne' } }, suspect!]),
  call(3, [{ ...victim!, phones: ['07700 900777'], addresses: [] }, suspect!]),
];
const last = calls[calls.length - 1]!;
const NOW = last.receivedAt + 60_000;
const input = { topic: 'cad.incidents.v1', partition: 0, message: { offset: '0' } as KafkaMessage };

/** A resolver on a graph: a new one on a fresh namespace, or one restarted on `namespace` (a new process, nothing kept in memory). */
function pipeline(namespace?: string) {
  if (namespace === undefined) namespaces.push((namespace = `${uniqueName('crash')}:{g}`));
  const store = createRedisIdentityStore({ redis, namespace });
  const graph = createIncidentGraph({ redis, namespace });
  const resolved: ResolvedIncident[] = [];
  const stage = createIncidentStage({ codec, store, graph, model: defaultPersonModel, logger, now: () => NOW, onResolved: async (r) => void resolved.push(r) });
  return { namespace, store, graph, stage, resolved };
}

/** What a call leaves: the graph, its facts as recorded, the intelligence sent and the graph event. */
async function outcome(run: ReturnType<typeof pipeline>) {
  const resolved = run.resolved[run.resolved.length - 1]!;
  return {
    graph: await graphSnapshot(redis, run.namespace),
    facts: JSON.parse((await redis.hget(`${run.namespace}:evt:${last.eventId}`, 'facts'))!) as IncidentFacts,
    intelligence: resolved.intelligence,
    graphEvent: graphEventOfIncident(resolved, NOW),
  };
}

describe('a crash between resolving the parties of a call and recording it', () => {
  let clean: Awaited<ReturnType<typeof outcome>>;
  beforeAll(async () => {
    const run = pipeline();
    for (const c of calls) await run.stage.handle(c, input);
    clean = await outcome(run);
  });

  it('in a clean run, the last call merges the victim known twice and links the suspect, both with their evidence', () => {
    const [victimMatch, suspectMatch] = clean.facts.parties.map((p) => p.match);
    expect(clean.graphEvent.parties[0]!.mergedEntityIds).toHaveLength(1);
    expect(victimMatch).toMatchObject({ outcome: 'MATCHED' });
    expect(victimMatch!.probability).toBeGreaterThan(0.99);
    expect(suspectMatch!.evidence.length).toBeGreaterThan(0);
    expect(clean.graphEvent.firstRecording).toBe(true);
    expect(clean.intelligence.hasHistory).toBe(true);
  });

  it.each([1, 2])('leaves, once the call is handled again, the graph, facts, intelligence and graph event of the clean run (%i of 2 parties resolved before it)', async (before) => {
    const run = pipeline();
    for (const c of calls.slice(0, -1)) await run.stage.handle(c, input);
    // The crashed attempt, as the stage resolves (associates included): some parties resolved, the incident never recorded, nothing sent.
    await resolveInOrder(
      last.parties.slice(0, before).map((party) => ({ key: party.partyId, record: partyToPersonRecord(last, party), roles: party.roles })),
      { store: run.store, model: defaultPersonModel, referenceDate: new Date(last.receivedAt), associatesOf: associatesIn(run.graph, last.eventId) },
    );
    const restarted = pipeline(run.namespace);
    await restarted.stage.handle(last, input);
    expect(restarted.resolved[0]!.parties.map((p) => p.resolution.duplicate)).toEqual(last.parties.map((_, i) => i < before));
    const replayed = await outcome(restarted);
    expect(replayed).toEqual(clean);
  });
});
