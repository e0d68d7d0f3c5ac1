import { describe, expect, it } from 'vitest';
import type { IncidentReported } from '../../shared/contracts/incident.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import type { JusticeEvent } from '../../shared/contracts/justice-event.ts';
import type { ResolutionResult } from '../../shared/er/resolve-record.ts';
import type { JusticeFacts } from '../../shared/graph/justice-facts.ts';
import { auditMessages, incidentMessages, justiceMessages, resolverContracts } from './topology.ts';

const resolution = (entityId: string, decision: unknown = { outcome: 'new' }, recordId = `rec-${entityId}`) => ({ entityId, recordId, decision, mergedEntityIds: [] }) as unknown as ResolutionResult;
const topics = { intelTopic: 'dispatch.intel.v1', graphEventsTopic: 'graph.events.v1' };
const resolved = {
  incident: { incidentId: 'CAD-1', eventId: 'CAD-1:v1', boroughCode: 'E09000022', receivedAt: 1000 } as IncidentReported,
  recorded: true,
  intelligence: { incidentId: 'CAD-1' } as PreArrivalIntelligence,
  parties: [
    { partyId: 'P1', roles: ['VICTIM'], resolution: resolution('E-v') },
    { partyId: 'P2', roles: ['SUSPECT'], resolution: resolution('E-p') },
  ],
};

describe('the resolver topology', () => {
  it("sends a call's intelligence keyed by incident and its graph event keyed by borough", () => {
    const messages = incidentMessages(topics, resolved, { publishedAt: 0, sentAt: 2000 });
    expect(messages.map(({ topic, key }) => ({ topic, key }))).toEqual([
      { topic: 'dispatch.intel.v1', key: 'CAD-1' },
      { topic: 'graph.events.v1', key: 'E09000022' },
    ]);
    expect(messages[0]!.value).toBe(resolved.intelligence);
    expect(messages[1]!.value).toMatchObject({ eventId: 'CAD-1:v1', recordedAt: 2000, parties: [{ entityId: 'E-v' }, { entityId: 'E-p' }] });
  });

  it('counts the parties and the time from publication only once the intelligence is acknowledged', () => {
    const counted: string[] = [];
    const latencies: number[] = [];
    const counters = { countResolution: (r: ResolutionResult) => void counted.push(r.entityId), observeEndToEnd: (ms: number) => void latencies.push(ms) };
    const [intelligence, graphEvent] = incidentMessages(topics, resolved, { publishedAt: Date.now() - 50, sentAt: 0, counters });
    expect(counted).toEqual([]);
    intelligence!.acknowledged!();
    expect(counted).toEqual(['E-v', 'E-p']);
    expect(latencies).toHaveLength(1);
    expect(latencies[0]).toBeGreaterThanOrEqual(50);
    expect(graphEvent!.acknowledged).toBeUndefined();
  });

  it('writes the s62 entries of a call: its collection, and a combination with its evidence for each record linked', () => {
    const linked = { ...resolved, parties: [resolved.parties[0]!, { partyId: 'P2', roles: ['SUSPECT'], resolution: resolution('E-p', { outcome: 'link' }, 'CAD-1:v1:P2') }] };
    const messages = incidentMessages({ ...topics, auditTopic: 'audit.v1' }, linked, { publishedAt: 0, sentAt: 2000 });
    const audit = messages.filter((m) => m.topic === 'audit.v1');
    expect(audit.map((m) => m.key)).toEqual(['CAD-1:v1:collected', 'CAD-1:v1:P2:combined']);
    expect(audit[0]!.value).toMatchObject({ kind: 'COLLECTION', action: 'incident.received', actor: { kind: 'SERVICE', id: 'dauntless-resolver' }, subjectIds: ['CAD-1', 'CAD-1:v1', 'E-v', 'E-p'], at: 2000 });
    expect(audit[1]!.value).toMatchObject({ kind: 'COMBINATION', action: 'record.linked', subjectIds: ['E-p', 'CAD-1:v1:P2'], evidenceId: 'CAD-1:v1:P2' });
    expect(auditMessages({ ...topics, auditTopic: null }, { eventId: 'e', subjectIds: [], action: 'a', resource: 'r' }, [], 0)).toEqual([]);
  });

  it('sends no graph event when announcements are off', () => {
    expect(incidentMessages({ ...topics, graphEventsTopic: null }, resolved, { publishedAt: 0, sentAt: 0 }).map((m) => m.topic)).toEqual(['dispatch.intel.v1']);
    const recorded = {
      event: { eventId: 'J-1', incidentId: null, boroughCode: null, occurredAt: 500 } as JusticeEvent,
      facts: { what: 'CUSTODY_RELEASE' } as JusticeFacts,
      recorded: true,
      persons: [{ recordId: 'J-1:subject', role: 'SUBJECT' as const, resolution: resolution('E-p') }],
    };
    expect(justiceMessages({ ...topics, graphEventsTopic: null }, recorded, 0)).toEqual([]);
    expect(justiceMessages(topics, recorded, 0)).toMatchObject([{ topic: 'graph.events.v1', key: 'J-1', value: { what: 'CUSTODY_RELEASE' } }]);
  });

  it('needs the subject of every topic it reads and writes, dead letters included, each with its schema file', () => {
    const config = { incidentTopics: ['cad.incidents.v1'], justiceTopics: ['justice.events.v1'], intelTopic: 'dispatch.intel.v1', graphEventsTopic: 'graph.events.v1' };
    expect(resolverContracts(config)).toEqual([
      { topic: 'cad.incidents.v1', schema: 'incident-reported.avsc' },
      { topic: 'justice.events.v1', schema: 'justice-event.avsc' },
      { topic: 'dispatch.intel.v1', schema: 'pre-arrival-intelligence.avsc' },
      { topic: 'graph.events.v1', schema: 'graph-event-recorded.avsc' },
      { topic: 'cad.incidents.dlq.v1', schema: 'dead-letter.avsc' },
      { topic: 'justice.events.dlq.v1', schema: 'dead-letter.avsc' },
    ]);
    expect(resolverContracts({ ...config, justiceTopics: [], graphEventsTopic: null }).map((c) => c.topic)).toEqual(['cad.incidents.v1', 'dispatch.intel.v1', 'cad.incidents.dlq.v1']);
  });
});
