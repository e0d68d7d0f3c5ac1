// Incidents and justice events on the identity graph in Redis,
// beside the person entities of redis-identity-store.ts and under the same
// namespace and hash tag, so one Lua script can read both.
//
// Keys, under the namespace `ns`:
//   ns:evt:<eventId>     hash  facts (JSON: EventFacts, `kind` 'incident' or 'justice'),
//                              records (the parties' record ids, in order, a JSON array:
//                              an id may hold spaces or any other character)
//   ns:recevt            hash  recordId -> eventId: the event a person record came from
//   ns:inc:<incidentId>  hash  version -> eventId: the versions of one incident (incidents only)
//   ns:events            hash  incidents (distinct incident ids), events (versions and justice events)
//   ns:review:events     zset  eventId by when it happened (ms), until the retention review has looked at it
//                              (shared/graph/retention-review.ts)
//
// Event ids are one space across both topics: a justice event whose id an
// incident already has (or the reverse) is refused as bad input, never taken
// for a replay.
//
// Who was involved with whom is not stored as edges between entity ids:
// those ids change when entities merge or a merge is reversed. A person's
// history is read through the records that are members of the entity now,
// and each party of each event is mapped to its entity at read time, so
// victim–perpetrator edges (history-view.ts) are always those of the graph
// as it stands.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { DauntlessError } from '../errors/dauntless-error.ts';
import type { IncidentFacts } from './incident-facts.ts';
import type { JusticeFacts } from './justice-facts.ts';
import { defineLuaCommands, defineReadOnlyLuaCommands } from '../redis/lua-scripts.ts';
import { redisCall } from '../redis/redis-call.ts';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');

/** What the graph keeps of one event: told apart by `kind`. */
export type EventFacts = IncidentFacts | JusticeFacts;

/** An event as read back, with the entity each party belongs to now (undefined: never resolved). */
export type GraphEvent = { facts: EventFacts; partyEntityIds: (string | undefined)[] };

export type EntityHistory = {
  /** The entity the requested id stands for now. */
  entityId: string;
  /** Most recent members' events first; at most `maxEvents`. */
  events: GraphEvent[];
};

export type IncidentGraph = {
  /**
   * Records an incident version once. On a replay nothing changes and the
   * facts recorded the first time come back (with the matches decided then).
   */
  recordIncident(facts: IncidentFacts): Promise<{ recorded: boolean; facts: IncidentFacts }>;
  /**
   * recordIncident and histories(entityIds) in one round trip (one write to
   * Redis, one reply): what the incident stage does for every call. The
   * histories are read after the incident is recorded.
   */
  recordIncidentWithHistories(facts: IncidentFacts, entityIds: readonly string[]): Promise<{ recorded: boolean; facts: IncidentFacts; histories: EntityHistory[] }>;
  /** Records any event once, the same way; a justice event counts as an event, never as an incident. */
  recordEvent<F extends EventFacts>(facts: F): Promise<{ recorded: boolean; facts: F }>;
  /** The history of each entity, in the order asked. */
  histories(entityIds: readonly string[], opts?: { maxEvents?: number }): Promise<EntityHistory[]>;
  /** Distinct incidents and all events recorded. */
  counts(): Promise<{ incidents: number; events: number }>;
};

/**
 * recordIncidentWithHistories for a graph without a round trip to save (in
 * memory, for tests and evaluation): record, then read.
 */
export function recordThenRead(graph: Pick<IncidentGraph, 'recordIncident' | 'histories'>): IncidentGraph['recordIncidentWithHistories'] {
  return async (facts, entityIds) => ({ ...(await graph.recordIncident(facts)), histories: await graph.histories(entityIds) });
}

/** history.lua's reply: each entity (now) with its events' indexes, and the events (facts, id, parties' entities). */
type HistoryReply = [[string, number[]][], [string, string, string[]][]];

type Commands = Redis & {
  dauntlessRecordEvent(metaKey: string, ...args: (string | number)[]): Promise<string | null>;
  dauntlessHistory(metaKey: string, ...args: (string | number)[]): Promise<HistoryReply>;
  dauntlessHistoryRead(metaKey: string, ...args: (string | number)[]): Promise<HistoryReply>;
};

/** Enough for any real history; a cap so one pathological entity cannot stall the stage. */
const DEFAULT_MAX_EVENTS = 500;
/** Parsed event facts kept per process: the calls of the last hours at London's rate. */
const FACTS_CACHE_SIZE = 50_000;

export function createIncidentGraph({ redis, namespace }: { redis: Redis; namespace: string }): IncidentGraph {
  const r = redis as Commands;
  // defineCommand once per client: the scripts are loaded by SHA on first use.
  defineLuaCommands(redis, LUA_DIR, { dauntlessRecordEvent: 'record-event', dauntlessHistory: 'history' });
  // Read alone, histories go through EVALSHA_RO, so a user that may only read the graph (the scorer) can.
  defineReadOnlyLuaCommands(redis, LUA_DIR, { dauntlessHistoryRead: 'history' });
  const ns = namespace;
  const meta = `${ns}:events`;
  // eventId -> parsed facts, least recently used first (a Map keeps insertion order).
  const factsCache = new Map<string, EventFacts>();
  function parsedFacts(eventId: string, json: string): EventFacts {
    let facts = factsCache.get(eventId);
    if (facts) {
      factsCache.delete(eventId);
    } else {
      facts = JSON.parse(json) as EventFacts;
      if (factsCache.size >= FACTS_CACHE_SIZE) factsCache.delete(factsCache.keys().next().value!);
    }
    factsCache.set(eventId, facts);
    return facts;
  }

  const call = redisCall;

  /** record-event.lua's arguments after its key. */
  function recordArgs(facts: EventFacts): (string | number)[] {
    // Only an incident version counts towards the distinct incidents: a justice event passes no incident id.
    const [incidentId, version] = facts.kind === 'incident' ? [facts.incidentId, facts.version] : ['', 0];
    return [ns, facts.eventId, incidentId, version, JSON.stringify(facts), facts.kind === 'incident' ? facts.receivedAt : facts.occurredAt, ...facts.parties.map((p) => p.recordId)];
  }

  /** record-event.lua's reply: nil when recorded now, else the facts recorded the first time. */
  function recordedFrom<F extends EventFacts>(facts: F, before: string | null): { recorded: boolean; facts: F } {
    if (before === null) return { recorded: true, facts };
    const first = JSON.parse(before) as EventFacts;
    if (first.kind !== facts.kind) {
      throw new DauntlessError('VALIDATION_FAILED', `eventId ${facts.eventId.slice(0, 64)} was recorded before for ${first.kind === 'incident' ? 'an incident' : 'a justice event'}: event ids must be unique across sources`);
    }
    return { recorded: false, facts: first as F };
  }

  async function recordEvent<F extends EventFacts>(facts: F): Promise<{ recorded: boolean; facts: F }> {
    const before = await call(`record ${facts.kind === 'incident' ? 'an incident' : 'a justice event'}`, () => r.dauntlessRecordEvent(meta, ...recordArgs(facts)));
    return recordedFrom(facts, before);
  }

  function historiesFrom([entities, events]: HistoryReply): EntityHistory[] {
    // Facts never change once recorded: each is parsed once per process, however often it is read.
    const read = events.map(([facts, eventId, parties]) => ({ facts: parsedFacts(eventId, facts), partyEntityIds: parties.map((id) => id || undefined) }));
    return entities.map(([entityId, indexes]) => ({ entityId, events: indexes.map((i) => read[i - 1]!) }));
  }

  return {
    recordIncident: recordEvent,
    recordEvent,
    async recordIncidentWithHistories(facts, entityIds) {
      if (entityIds.length === 0) return { ...(await recordEvent(facts)), histories: [] };
      // A pipeline: both scripts go out in one write and come back in one reply, in order.
      const replies = await call('record an incident and read histories', async () => {
        const pipeline = r.pipeline() as ReturnType<Redis['pipeline']> & {
          dauntlessRecordEvent(metaKey: string, ...args: (string | number)[]): unknown;
          dauntlessHistory(metaKey: string, ...args: (string | number)[]): unknown;
        };
        pipeline.dauntlessRecordEvent(meta, ...recordArgs(facts));
        pipeline.dauntlessHistory(meta, ns, DEFAULT_MAX_EVENTS, ...entityIds);
        const results = (await pipeline.exec()) ?? [];
        for (const [error] of results) if (error) throw error;
        return results.map(([, value]) => value);
      });
      return { ...recordedFrom(facts, replies[0] as string | null), histories: historiesFrom(replies[1] as HistoryReply) };
    },
    async histories(entityIds, opts = {}) {
      if (entityIds.length === 0) return [];
      return historiesFrom(await call('read histories', () => r.dauntlessHistoryRead(meta, ns, opts.maxEvents ?? DEFAULT_MAX_EVENTS, ...entityIds)));
    },
    async counts() {
      const [incidents, events] = await call('count incidents', () => r.hmget(meta, 'incidents', 'events'));
      return { incidents: Number(incidents ?? 0), events: Number(events ?? 0) };
    },
  };
}
