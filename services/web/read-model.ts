// What the pages and the API show, read from the identity graph, the
// scorer's boards and the web service's own store. Reads only: nothing here
// changes the graph or the boards.
import type { Redis } from 'ioredis';
import type { EntityExplanation, IdentityAdmin } from '../../shared/graph/identity-admin.ts';
import type { EventFacts, IncidentGraph } from '../../shared/graph/incident-graph.ts';
import type { IncidentFacts } from '../../shared/graph/incident-facts.ts';
import { namesOf, recordsOf, type PersonName, type PersonRecordRow } from '../../shared/graph/person-records.ts';
import { ordersAndBailAt } from '../../shared/graph/orders-and-bail.ts';
import type { ScoreBoard, TrajectoryPoint } from '../../shared/boards/score-board.ts';
import type { BriefingStore } from '../../shared/boards/briefing-store.ts';
import { boroughRankings, briefingModel, type KeptBriefing } from '../../shared/briefing/briefing-model.ts';
import type { BriefingModel } from '../../shared/briefing/briefing-format.ts';
import type { HarmConfig } from '../../shared/harm/harm-config.ts';
import type { ActiveBailCondition, ActiveOrder } from '../../shared/contracts/intelligence.ts';
import { redisCall } from '../../shared/redis/redis-call.ts';
import type { PlanChange, TacticalPlan, WebStore } from './web-store.ts';

export type TimelineEntry = {
  eventId: string;
  kind: 'incident' | 'justice';
  at: number;
  /** The incident id, or the justice event's kind (ARREST, CUSTODY_RELEASE, ORDER...). */
  label: string;
  boroughCode: string | null;
  roles: string[];
  abuseTypes: string[];
  riskLevel: string | null;
  weapons: string[];
  /** The other people in it, by entity id, with their roles. */
  others: { entityId: string; roles: string[] }[];
};

export type LinkedPerson = { entityId: string; relation: 'victim' | 'perpetrator' | 'household' | 'other'; events: number };

export type PersonView = {
  entityId: string;
  requestedId: string;
  timeline: TimelineEntry[];
  linked: LinkedPerson[];
  boroughs: string[];
  explanation: EntityExplanation | undefined;
  activeOrders: ActiveOrder[];
  bailConditions: ActiveBailCondition[];
};

const partiesOf = (facts: EventFacts) => facts.parties as { roles: string[] }[];

function timelineEntry(facts: EventFacts, entityIds: (string | undefined)[], self: string): TimelineEntry {
  const parties = partiesOf(facts);
  const mine = parties.flatMap((p, i) => (entityIds[i] === self ? p.roles : []));
  const others = parties.flatMap((p, i) => (entityIds[i] && entityIds[i] !== self ? [{ entityId: entityIds[i]!, roles: p.roles }] : []));
  if (facts.kind === 'incident') {
    return { eventId: facts.eventId, kind: 'incident', at: facts.receivedAt, label: facts.incidentId, boroughCode: facts.boroughCode, roles: [...new Set(mine)], abuseTypes: facts.abuseTypes, riskLevel: facts.riskLevel, weapons: facts.weapons, others };
  }
  const j = facts as EventFacts & { what: string; occurredAt?: number; boroughCode?: string | null };
  return { eventId: j.eventId, kind: 'justice', at: Number(j.occurredAt ?? 0), label: j.what, boroughCode: j.boroughCode ?? null, roles: [...new Set(mine)], abuseTypes: [], riskLevel: null, weapons: [], others };
}

function linkedPeople(timeline: readonly TimelineEntry[]): LinkedPerson[] {
  const linked = new Map<string, LinkedPerson>();
  for (const entry of timeline) {
    const selfVictim = entry.roles.includes('VICTIM');
    const selfSuspect = entry.roles.includes('SUSPECT');
    for (const other of entry.others) {
      const relation: LinkedPerson['relation'] =
        selfVictim && other.roles.includes('SUSPECT') ? 'perpetrator' : selfSuspect && other.roles.includes('VICTIM') ? 'victim' : other.roles.includes('CHILD') ? 'household' : 'other';
      const seen = linked.get(other.entityId);
      if (!seen) linked.set(other.entityId, { entityId: other.entityId, relation, events: 1 });
      else {
        seen.events += 1;
        if (seen.relation === 'other' || seen.relation === 'household') seen.relation = relation;
      }
    }
  }
  return [...linked.values()].sort((a, b) => b.events - a.events);
}

export type ReadModel = ReturnType<typeof createReadModel>;

export function createReadModel({
  redis,
  graphNamespace,
  graph,
  admin,
  board,
  briefings,
  store,
  harm,
}: {
  redis: Redis;
  graphNamespace: string;
  graph: Pick<IncidentGraph, 'histories'>;
  admin: Pick<IdentityAdmin, 'explain'>;
  board: Pick<ScoreBoard, 'read' | 'trajectory' | 'due'>;
  briefings: Pick<BriefingStore, 'lastBriefing' | 'keepBriefing'>;
  store: WebStore;
  harm: HarmConfig;
}) {
  const ns = graphNamespace;
  /** The incident's latest version as the graph recorded it: its facts and its parties' record ids. */
  const latestVersion = async (incidentId: string): Promise<{ facts: IncidentFacts; records: string[] } | undefined> => {
    const versions = await redisCall('read an incident', () => redis.hgetall(`${ns}:inc:${incidentId}`));
    const latest = Object.entries(versions).sort(([a], [b]) => Number(b) - Number(a))[0];
    if (!latest) return undefined;
    const [facts, records] = await redisCall('read an incident', () => redis.hmget(`${ns}:evt:${latest[1]}`, 'facts', 'records'));
    return facts ? { facts: JSON.parse(facts) as IncidentFacts, records: JSON.parse(records ?? '[]') as string[] } : undefined;
  };
  return {
    /** The incident's latest version as the graph recorded it, with each party's entity now. */
    async incident(incidentId: string): Promise<{ facts: IncidentFacts; entityIds: (string | undefined)[] } | undefined> {
      const latest = await latestVersion(incidentId);
      if (!latest) return undefined;
      const pipeline = redis.pipeline();
      for (const id of latest.records) pipeline.hget(`${ns}:rec:${id}`, 'entity');
      const rows = (await pipeline.exec()) ?? [];
      return { facts: latest.facts, entityIds: rows.map(([, e]) => (typeof e === 'string' ? e : undefined)) };
    },

    async abuseTypesOf(incidentId: string): Promise<string[]> {
      return (await latestVersion(incidentId))?.facts.abuseTypes ?? [];
    },

    async person(entityId: string, at = Date.now()): Promise<PersonView | undefined> {
      const [history] = await graph.histories([entityId], { maxEvents: 500 });
      const explanation = await admin.explain(entityId);
      if ((!history || history.events.length === 0) && !explanation) return undefined;
      const self = history?.entityId ?? explanation!.entityId;
      const timeline = (history?.events ?? []).map((e) => timelineEntry(e.facts, e.partyEntityIds, self)).sort((a, b) => b.at - a.at);
      const { activeOrders, bailConditions } = history ? ordersAndBailAt(history, at) : { activeOrders: [], bailConditions: [] };
      return {
        entityId: self,
        requestedId: entityId,
        timeline,
        linked: linkedPeople(timeline),
        boroughs: [...new Set(timeline.map((t) => t.boroughCode).filter((b): b is string => !!b))],
        explanation,
        activeOrders,
        bailConditions,
      };
    },

    names(entityIds: readonly string[]): Promise<Map<string, PersonName>> {
      return namesOf(redis, ns, entityIds);
    },

    /** The person's records with their fields as stored, newest first: for a supervisor's correction forms. */
    records(entityId: string): Promise<PersonRecordRow[]> {
      return recordsOf(redis, ns, entityId, 500);
    },

    /** The borough's top five now, as the briefing shows it (scores broken down, victims, orders, flags, change since the last briefing). */
    async borough(boroughCode: string, at = Date.now()): Promise<{ model: BriefingModel; kept: KeptBriefing }> {
      return briefingModel({ graph, board, briefings, harm, boroughCode, at });
    },

    /** Every borough's top five now (rank, person, score), ranked as borough() ranks them, for the leads. */
    async allBoroughs(boroughCodes: readonly string[], at = Date.now()): Promise<{ code: string; five: { rank: number; entityId: string; score: number }[] }[]> {
      const rankings = await boroughRankings({ graph, board, harm, boroughCodes, at });
      return rankings.map(({ boroughCode, ranked }) => ({ code: boroughCode, five: ranked.map((p) => ({ rank: p.rank, entityId: p.entityId, score: p.score })) }));
    },

    keepBriefing(boroughCode: string, kept: KeptBriefing): Promise<void> {
      return briefings.keepBriefing(boroughCode, kept);
    },

    trajectory(entityId: string): Promise<TrajectoryPoint[]> {
      return board.trajectory(entityId);
    },

    async target(entityId: string): Promise<{ plan: TacticalPlan | undefined; history: PlanChange[] }> {
      return { plan: await store.plan(entityId), history: await store.planHistory(entityId) };
    },
  };
}
