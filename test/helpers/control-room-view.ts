// What a control room is told about each call, in a form two runs of the same
// calls can be compared in: per call, each party's person, whether they were
// known, their earlier incidents named, the other victims named, the markers.
//
// A person is named by the cluster of records the run's final graph holds them
// in (the least record id of it), never by entity id: an entity id is the name
// of whichever record founded the person (entityIdFor), and a call answered
// again after a fault names its people under the survivors of merges made by
// later calls. Two runs whose final graphs hold the same clusters name the
// same person the same way, whatever ids each run gave it.
import { isDeepStrictEqual } from 'node:util';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { entityIdFor } from '../../shared/er/identity-store.ts';
import type { IncidentFacts } from '../../shared/graph/incident-facts.ts';
import type { GraphSnapshot } from './graph-snapshot.ts';

export type PersonView = {
  partyId: string;
  roles: string[];
  match: string;
  /** The least record id of the person's cluster in the final graph. */
  person: string;
  previousIncidents: string[];
  incidentsAllTime: number;
  otherVictims: string[];
  markers: string[];
};

export type CallView = { hasHistory: boolean; markers: string[]; incomplete: string[]; persons: PersonView[] };

export type RunResult = {
  graph: GraphSnapshot;
  /** Every answer read per incident id, in the order read. */
  answers: Map<string, PreArrivalIntelligence[]>;
  /** Each answer as a control room reads it (controlRoomViews). */
  views: Map<string, CallView[]>;
};

/** Entity id (current or merged away) → the least record id of the cluster its founding record is in now. */
export function personNames(graph: GraphSnapshot): (entityId: string) => string {
  const clusterOf = new Map<string, string>();
  const founder = new Map<string, string>();
  for (const [, records] of graph.entities) {
    const name = [...records].sort()[0]!;
    for (const record of records) {
      clusterOf.set(record, name);
      founder.set(entityIdFor(record), record);
    }
  }
  return (entityId) => {
    const record = founder.get(entityId);
    return (record && clusterOf.get(record)) ?? `unknown entity ${entityId}`;
  };
}

export function controlRoomView(intel: PreArrivalIntelligence, nameOf: (entityId: string) => string): CallView {
  return {
    hasHistory: intel.hasHistory,
    markers: [...intel.warningMarkers].sort(),
    incomplete: [...(((intel as { incomplete?: { reason: string }[] }).incomplete ?? []).map((i) => i.reason))].sort(),
    persons: intel.persons.map((p) => ({
      partyId: p.partyId,
      roles: p.roles,
      match: p.match,
      person: nameOf(p.entityId),
      previousIncidents: p.previousIncidents.map((i) => i.incidentId),
      incidentsAllTime: p.incidentsAllTime,
      otherVictims: p.otherVictimEntityIds.map(nameOf).sort(),
      markers: [p.serialPerpetrator && 'SERIAL', p.counterAllegation && 'COUNTER', p.childrenAtAddress && 'CHILDREN'].filter((m): m is string => Boolean(m)),
    })),
  };
}

export function controlRoomViews(answers: ReadonlyMap<string, readonly PreArrivalIntelligence[]>, graph: GraphSnapshot): Map<string, CallView[]> {
  const nameOf = personNames(graph);
  return new Map([...answers].map(([id, all]) => [id, all.map((intel) => controlRoomView(intel, nameOf))]));
}

/**
 * The calls any of whose answers a control room read differently from the clean run's (its one answer): how many,
 * how many of those were answered more than once, and the first few with both views.
 */
export function controlRoomDifferences(run: RunResult, clean: RunResult, shown = 3) {
  const differing: { id: string; clean: CallView | undefined; now: CallView[] }[] = [];
  for (const [id, [expected]] of clean.views) {
    const now = run.views.get(id) ?? [];
    if (now.length === 0 || now.some((view) => !isDeepStrictEqual(view, expected))) differing.push({ id, clean: expected, now });
  }
  return {
    count: differing.length,
    ...(differing.length > 0 ? { answeredAgain: differing.filter((d) => d.now.length > 1).length } : {}),
    first: differing.slice(0, shown).map(({ id, clean: expected, now }) => ({ id, clean: expected, now: now.filter((view) => !isDeepStrictEqual(view, expected)) })),
  };
}

/** What differs between two versions of an event's facts: the parties whose records or matches differ, else the whole. */
function eventDifference(id: string, mine: IncidentFacts | undefined, theirs: IncidentFacts | undefined) {
  if (!mine || !theirs) return { id, here: mine ?? null, clean: theirs ?? null };
  const parties = mine.parties.flatMap((p, i) => (isDeepStrictEqual(p, theirs.parties[i]) ? [] : [{ here: p, clean: theirs.parties[i] }]));
  return parties.length > 0 ? { id, parties } : { id, here: mine, clean: theirs };
}

/** Where two final graphs differ: the clusters of records (not their ids) and the events (the first with what differs in it), the first few of each. */
export function graphDifferences(graph: GraphSnapshot, clean: GraphSnapshot, shown = 5) {
  const clusters = (g: GraphSnapshot) => new Set(g.entities.map(([, records]) => [...records].sort().join(' ')));
  const mine = clusters(graph);
  const theirs = clusters(clean);
  const events = new Map(clean.events);
  const ids = new Set([...graph.events.map(([id]) => id), ...clean.events.map(([id]) => id)]);
  const mineEvents = new Map(graph.events);
  const differingEvents = [...ids].filter((id) => !isDeepStrictEqual(mineEvents.get(id), events.get(id)));
  return {
    counts: graph.counts,
    clusters: [...[...mine].filter((c) => !theirs.has(c)).map((c) => `only here: ${c}`), ...[...theirs].filter((c) => !mine.has(c)).map((c) => `only in the clean run: ${c}`)].slice(0, shown),
    events: differingEvents.slice(0, shown).map((id, i) => (i === 0 ? eventDifference(id, mineEvents.get(id), events.get(id)) : id)),
    ...(differingEvents.length > shown ? { eventsDiffering: differingEvents.length } : {}),
  };
}
