// What the web service keeps of its own in Redis, apart from the graph and
// the boards it only reads:
//   ns:intel:<incidentId>        string  the latest PreArrivalIntelligence of the incident (JSON), 90 days
//   ns:feed                      list    the latest incident ids, newest first (the control room's first cards)
//   ns:recent:<entityId>         string  the person was in a call: expires a day later (need-to-know)
//   ns:alert:<alertId>           hash    alert (JSON), boroughCode, at, ackedAt, ackedBy
//   ns:alerts:<borough>          zset    alert ids by time
//   ns:plan:<entityId>           string  the target's tactical plan (JSON)
//   ns:plan:<entityId>:history   list    every change, oldest first (JSON: who, when, what)
//   ns:targets                   zset    entity ids with a plan, by last change
//   ns:stats:<yyyy-mm>           hash    "<borough>|<measure>" -> count (borough consistency)
//   ns:done:<kind>:<id>          string  a message already counted (replays count once)
import type { Redis } from 'ioredis';
import { redisCall } from '../../shared/redis/redis-call.ts';
import { scanKeys } from '../../shared/redis/keys.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';

const DAY_S = 86_400;
const FEED_LENGTH = 200;

export type StoredAlert = { alertId: string; boroughCode: string; at: number; alert: Record<string, unknown>; ackedAt: number | null; ackedBy: string | null };

export type PlanStatus = 'PLANNED' | 'ACTIVE' | 'ON_HOLD' | 'COMPLETED';
export const PLAN_STATUSES: readonly PlanStatus[] = ['PLANNED', 'ACTIVE', 'ON_HOLD', 'COMPLETED'];

export type TacticalPlan = {
  entityId: string;
  boroughCode: string;
  owner: string;
  actions: string[];
  status: PlanStatus;
  /** yyyy-mm-dd */
  reviewDate: string;
  updatedAt: number;
  updatedBy: string;
};

export type PlanChange = { at: number; by: string; plan: TacticalPlan };

/** The measures of the borough consistency review, counted per borough and month. */
export const MEASURES = ['calls', 'repeatVictimCalls', 'nonViolentCalls', 'intelligence', 'intelMsTotal', 'intelWithin5s', 'alerts', 'alertsAcknowledged', 'targetActions'] as const;
export type Measure = (typeof MEASURES)[number];

export const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

export type WebStore = ReturnType<typeof createWebStore>;

/**
 * Intelligence without an erased person (every id they had): out of `persons`, and out of the others' previous
 * incidents and other victims; undefined when it does not name them. The incident stays, for the others. Pure.
 */
export function intelWithout(intel: PreArrivalIntelligence, ids: ReadonlySet<string>): PreArrivalIntelligence | undefined {
  const names =
    intel.persons.some((p) => ids.has(p.entityId) || p.otherVictimEntityIds.some((id) => ids.has(id)) || p.previousIncidents.some((i) => i.otherPartyEntityIds.some((id) => ids.has(id))));
  if (!names) return undefined;
  const keep = (list: string[]) => list.filter((id) => !ids.has(id));
  return {
    ...intel,
    persons: intel.persons
      .filter((p) => !ids.has(p.entityId))
      .map((p) => ({ ...p, otherVictimEntityIds: keep(p.otherVictimEntityIds), previousIncidents: p.previousIncidents.map((i) => ({ ...i, otherPartyEntityIds: keep(i.otherPartyEntityIds) })) })),
  };
}

export function createWebStore({ redis, namespace }: { redis: Redis; namespace: string }) {
  const ns = namespace;
  const call = redisCall;
  return {
    namespace,
    /** Keeps intelligence (a later version of an incident's replaces it); true when the incident was new to the store. */
    async keepIntel(intel: PreArrivalIntelligence): Promise<boolean> {
      const key = `${ns}:intel:${intel.incidentId}`;
      const before = await call('read intelligence', () => redis.get(key));
      if (before && (JSON.parse(before) as PreArrivalIntelligence).generatedAt > intel.generatedAt) return false;
      const pipeline = redis.pipeline();
      pipeline.set(key, JSON.stringify(intel), 'EX', 90 * DAY_S);
      if (!before) {
        pipeline.lpush(`${ns}:feed`, intel.incidentId);
        pipeline.ltrim(`${ns}:feed`, 0, FEED_LENGTH - 1);
      }
      for (const person of intel.persons) pipeline.set(`${ns}:recent:${person.entityId}`, String(intel.receivedAt), 'EX', DAY_S);
      await call('keep intelligence', () => pipeline.exec());
      return !before;
    },
    async intel(incidentId: string): Promise<PreArrivalIntelligence | undefined> {
      const text = await call('read intelligence', () => redis.get(`${ns}:intel:${incidentId}`));
      return text ? (JSON.parse(text) as PreArrivalIntelligence) : undefined;
    },
    async latestIntel(limit = 20): Promise<PreArrivalIntelligence[]> {
      const ids = await call('read the feed', () => redis.lrange(`${ns}:feed`, 0, limit - 1));
      if (ids.length === 0) return [];
      const texts = await call('read intelligence', () => redis.mget(ids.map((id) => `${ns}:intel:${id}`)));
      return texts.filter((t): t is string => !!t).map((t) => JSON.parse(t) as PreArrivalIntelligence);
    },
    async inRecentCall(entityId: string): Promise<boolean> {
      return (await call('read recent calls', () => redis.exists(`${ns}:recent:${entityId}`))) === 1;
    },
    /** Counts a message once, whatever the replays: true the first time. */
    async firstTime(kind: string, id: string): Promise<boolean> {
      return (await call('mark counted', () => redis.set(`${ns}:done:${kind}:${id}`, '1', 'EX', 120 * DAY_S, 'NX'))) === 'OK';
    },
    async count(month: string, boroughCode: string, measure: Measure, by = 1): Promise<void> {
      await call('count a measure', () => redis.hincrby(`${ns}:stats:${month}`, `${boroughCode}|${measure}`, by));
    },
    async monthStats(month: string): Promise<Map<string, Partial<Record<Measure, number>>>> {
      const raw = await call('read the figures', () => redis.hgetall(`${ns}:stats:${month}`));
      const byBorough = new Map<string, Partial<Record<Measure, number>>>();
      for (const [field, value] of Object.entries(raw)) {
        const [borough, measure] = field.split('|') as [string, Measure];
        const row = byBorough.get(borough) ?? {};
        row[measure] = Number(value);
        byBorough.set(borough, row);
      }
      return byBorough;
    },
    async keepAlert(alert: Omit<StoredAlert, 'ackedAt' | 'ackedBy'>): Promise<boolean> {
      const key = `${ns}:alert:${alert.alertId}`;
      const created = await call('keep an alert', () => redis.hsetnx(key, 'alert', JSON.stringify(alert.alert)));
      if (!created) return false;
      const pipeline = redis.pipeline();
      pipeline.hset(key, 'boroughCode', alert.boroughCode, 'at', String(alert.at));
      pipeline.zadd(`${ns}:alerts:${alert.boroughCode}`, alert.at, alert.alertId);
      await call('keep an alert', () => pipeline.exec());
      return true;
    },
    async alerts(boroughCode: string, limit = 50): Promise<StoredAlert[]> {
      const ids = await call('read alerts', () => redis.zrevrange(`${ns}:alerts:${boroughCode}`, 0, limit - 1));
      const alerts: StoredAlert[] = [];
      for (const alertId of ids) {
        const row = await call('read an alert', () => redis.hgetall(`${ns}:alert:${alertId}`));
        if (!row.alert) continue;
        alerts.push({ alertId, boroughCode: row.boroughCode ?? boroughCode, at: Number(row.at), alert: JSON.parse(row.alert), ackedAt: row.ackedAt ? Number(row.ackedAt) : null, ackedBy: row.ackedBy ?? null });
      }
      return alerts;
    },
    async alert(alertId: string): Promise<StoredAlert | undefined> {
      const row = await call('read an alert', () => redis.hgetall(`${ns}:alert:${alertId}`));
      if (!row.alert) return undefined;
      return { alertId, boroughCode: row.boroughCode ?? '', at: Number(row.at), alert: JSON.parse(row.alert), ackedAt: row.ackedAt ? Number(row.ackedAt) : null, ackedBy: row.ackedBy ?? null };
    },
    /** Acknowledges once: false when it was acknowledged already. */
    async acknowledge(alertId: string, by: string, at: number): Promise<boolean> {
      const set = await call('acknowledge an alert', () => redis.hsetnx(`${ns}:alert:${alertId}`, 'ackedAt', String(at)));
      if (set) await call('acknowledge an alert', () => redis.hset(`${ns}:alert:${alertId}`, 'ackedBy', by));
      return set === 1;
    },
    async plan(entityId: string): Promise<TacticalPlan | undefined> {
      const text = await call('read a tactical plan', () => redis.get(`${ns}:plan:${entityId}`));
      return text ? (JSON.parse(text) as TacticalPlan) : undefined;
    },
    async planHistory(entityId: string): Promise<PlanChange[]> {
      return (await call('read a plan history', () => redis.lrange(`${ns}:plan:${entityId}:history`, 0, -1))).map((t) => JSON.parse(t) as PlanChange);
    },
    async keepPlan(plan: TacticalPlan): Promise<void> {
      const pipeline = redis.multi();
      pipeline.set(`${ns}:plan:${plan.entityId}`, JSON.stringify(plan));
      pipeline.rpush(`${ns}:plan:${plan.entityId}:history`, JSON.stringify({ at: plan.updatedAt, by: plan.updatedBy, plan } satisfies PlanChange));
      pipeline.zadd(`${ns}:targets`, plan.updatedAt, plan.entityId);
      await call('keep a tactical plan', () => pipeline.exec());
    },
    /**
     * An erased person (every id they had) out of the web service's keys: their tactical plan and its history, the
     * targets list, the mark of a recent call, and the intelligence that names them (the incidents given, and any
     * other kept intelligence that does: a later call's other victims). Returns the incidents rewritten.
     */
    async forgetPerson(entityIds: readonly string[], incidentIds: readonly string[]): Promise<string[]> {
      const ids = new Set(entityIds);
      const pipeline = redis.multi();
      for (const id of ids) {
        pipeline.del(`${ns}:plan:${id}`, `${ns}:plan:${id}:history`, `${ns}:recent:${id}`);
        pipeline.zrem(`${ns}:targets`, id);
      }
      await call('erase a person from the plans', () => pipeline.exec());
      const keys = new Set(incidentIds.map((id) => `${ns}:intel:${id}`));
      await call('list kept intelligence', async () => {
        for await (const batch of scanKeys(redis, `${ns}:intel:`)) batch.forEach((k) => keys.add(k));
      });
      const rewritten: string[] = [];
      const all = [...keys];
      for (let i = 0; i < all.length; i += 200) {
        const batch = all.slice(i, i + 200);
        const texts = await call('read intelligence', () => redis.mget(batch));
        for (const [j, text] of texts.entries()) {
          if (!text || ![...ids].some((id) => text.includes(JSON.stringify(id)))) continue;
          const without = intelWithout(JSON.parse(text) as PreArrivalIntelligence, ids);
          if (!without) continue;
          // KEEPTTL: the intelligence still expires when it would have.
          await call('rewrite intelligence', () => redis.set(batch[j]!, JSON.stringify(without), 'KEEPTTL'));
          rewritten.push(without.incidentId);
        }
      }
      return rewritten.sort();
    },
    async targets(): Promise<string[]> {
      return call('read targets', () => redis.zrevrange(`${ns}:targets`, 0, 499));
    },
  };
}
