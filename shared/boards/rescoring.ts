// Whom an event on the graph makes the scorer score again. Pure.
//
//   every party          a suspect's score gains the record; any party may be a
//                        suspect in other incidents (counter-allegations), and a
//                        later version of an incident may change who is the suspect,
//                        so every party is scored again (a person with no harm is
//                        simply not on any board)
//   merged-away ids      off every board: the survivor's score, which now holds
//                        both histories, replaces them
//   after a merge        the perpetrators of the survivor as a victim: two victims
//                        found to be one person is one victim fewer for each
//                        perpetrator of theirs (perpetratorsOfVictim)
import type { EntityHistory } from '../graph/incident-graph.ts';
import type { GraphEventRecorded } from '../contracts/graph-event.ts';

export function perpetratorsToRescore(event: Pick<GraphEventRecorded, 'parties'>): { rescore: string[]; removed: string[]; merged: string[] } {
  const removed = [...new Set(event.parties.flatMap((p) => p.mergedEntityIds))].sort();
  const gone = new Set(removed);
  const rescore = [...new Set(event.parties.map((p) => p.entityId))].filter((id) => !gone.has(id)).sort();
  const merged = [...new Set(event.parties.filter((p) => p.mergedEntityIds.length > 0).map((p) => p.entityId))].sort();
  return { rescore, removed, merged };
}

/** The entities that harmed this one: suspects of incidents where it was a victim, subjects of justice events that name it. */
export function perpetratorsOfVictim(history: EntityHistory): string[] {
  const self = history.entityId;
  const found = new Set<string>();
  for (const { facts, partyEntityIds } of history.events) {
    if (facts.kind === 'incident') {
      const isVictim = facts.parties.some((p, i) => partyEntityIds[i] === self && p.roles.includes('VICTIM'));
      if (!isVictim) continue;
      facts.parties.forEach((p, i) => {
        const id = partyEntityIds[i];
        if (id && id !== self && p.roles.includes('SUSPECT')) found.add(id);
      });
    } else {
      const isRelated = facts.parties.some((p, i) => partyEntityIds[i] === self && p.role === 'RELATED');
      if (!isRelated) continue;
      facts.parties.forEach((p, i) => {
        const id = partyEntityIds[i];
        if (id && id !== self && p.role === 'SUBJECT') found.add(id);
      });
    }
  }
  return [...found].sort();
}
