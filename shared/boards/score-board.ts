// The scorer's state in Redis: the live top five of every borough, kept the
// way shared/harm/rank.ts createTopFiveBoard keeps it in memory, plus what the
// scorer publishes and each perpetrator's score history. The thin Redis edge
// of the scorer: every write is one Lua script (lua/), atomic.
//
// Keys, under the scorer namespace `ns` (one hash tag for all: lua/lib.lua says why):
//   ns:board:<borough>     zset    perpetrator entity id -> ranking key (HarmScore scoreAtEpoch)
//   ns:tie:<borough>       hash    entity id -> "lastIncidentAt|incidents" (the tie-breaks; '' = none)
//   ns:ver:<borough>       string  the board's version: +1 on every change
//   ns:top:<borough>       hash    ranking (JSON PublishedRanking), ver (board version it was read at), at,
//                                  unsent (a message decided by time alone, until Kafka has acknowledged it)
//   ns:standing:<id>       hash    borough -> "key|lastIncidentAt|incidents": where a perpetrator stands
//   ns:perp:<id>           hash    basis (the graph's event counter when last scored), summary (JSON ScoreSummary),
//                                  trajKey (the ranking key of the last history point)
//   ns:traj:<id>           zset    score history: JSON TrajectoryPoint by time scored (ms)
//   ns:due                 zset    entity id -> when their standing next changes with time alone (ms)
//   ns:done:<eventId>      hash    boroughs changed, prev (JSON), msg:<borough> and alerts (messages sent); expires
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { clearNamespace, scanKeys } from '../redis/keys.ts';
import type { ContributionRef } from '../harm/rank.ts';
import { defineLuaCommands, defineReadOnlyLuaCommands } from '../redis/lua-scripts.ts';
import { redisCall } from '../redis/redis-call.ts';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');

/** shared/harm/rank.ts TIE_MARGIN: the board reads this far below the n-th key. */
export const TIE_MARGIN = 1e-9;

/** A record behind a score, as kept between scorings: its harm before decay, so it can be decayed to any moment. */
export type KeptContribution = Omit<ContributionRef, 'harm'> & { baseHarm: number };

/** What the scorer keeps of a perpetrator's last scoring: enough to say later which records moved the score. */
export type ScoreSummary = {
  entityId: string;
  at: number;
  scoreAtEpoch: number;
  /** Borough -> ranking key. */
  boroughKeys: Record<string, number>;
  distinctVictims: number;
  contributions: KeptContribution[];
};

/** One point of a perpetrator's score history (`dauntless target`). */
export type TrajectoryPoint = {
  at: number;
  /** The event that made the scorer look again; null for a re-score by time. */
  cause: string | null;
  score: number;
  scoreAtEpoch: number;
  perBorough: Record<string, number>;
  distinctVictims: number;
  serial: boolean;
  incidents12m: number;
  /** Event ids counted now and not before, and the reverse. */
  added: string[];
  dropped: string[];
  /** The change in words. */
  why: string;
};

/** A perpetrator's new standing, to put on the boards. */
export type StandingUpdate = {
  entityId: string;
  /** Borough -> its ranking key and tie-breaks; boroughs not named are left. */
  boroughs: { code: string; scoreAtEpoch: number; lastIncidentAt: number | null; incidents: number }[];
  nextChangeAt: number | null;
  summary: ScoreSummary;
  /** A history point, kept only when the ranking key moved since the last one. */
  trajectory: TrajectoryPoint | null;
};

/** One entry of a borough's ranking as published. */
export type PublishedEntry = {
  entityId: string;
  rank: number;
  scoreAtEpoch: number;
  lastIncidentAt: number | null;
  incidents: number;
  contributions: KeptContribution[];
};

export type PublishedRanking = { at: number; version: number; entries: PublishedEntry[] };

/** A board entry, as the ranking reads it. */
export type BoardEntry = { entityId: string; scoreAtEpoch: number; lastIncidentAt: number | null; incidents: number };

export type BoardRead = {
  boroughCode: string;
  version: string;
  /** Candidates for the top n: the first n by key and any near tie (rank them with rankBorough). */
  entries: BoardEntry[];
  published: PublishedRanking | null;
  publishedVersion: string;
};

export type DoneRecord = {
  boroughs: string[];
  /** Each perpetrator the event scored, as they stood before it (null: never scored). */
  prev: [string, ScoreSummary | null][];
  /** Borough -> the message sent for it ('' when its ranking did not change). */
  messages: Record<string, string>;
  /** The alerts sent (JSON array), when decided. */
  alerts: string | undefined;
};

export type ApplyResult = { status: 'applied'; boroughs: string[] } | { status: 'duplicate'; done: DoneRecord };

export type ScoreBoard = {
  readonly namespace: string;
  /** Puts standings on the boards and takes merged-away ids off them; once per cause (an event id; null for time). */
  apply(input: { cause: string | null; basis: number; updates: StandingUpdate[]; removed: string[]; prev: [string, ScoreSummary | null][] }): Promise<ApplyResult>;
  /** A borough's top-n candidates at one version, with what was last published. */
  read(boroughCode: string, n: number): Promise<BoardRead>;
  /** Records a ranking as published if the board and the last publication are as read; 'conflict' otherwise. */
  publish(input: { read: BoardRead; changed: boolean; ranking: PublishedRanking; cause: string | null; message: string }): Promise<'published' | 'unchanged' | 'conflict'>;
  /** Keeps the alerts sent for an event, so a replay sends the same. */
  keepAlerts(cause: string, alerts: string): Promise<void>;
  /** Perpetrators whose standing changes with time alone by `at`, earliest first. */
  due(at: number, limit?: number): Promise<string[]>;
  /** Boroughs whose board changed since their last publication (a crash between the two, or a re-score by time). */
  unpublished(): Promise<string[]>;
  /** Messages decided by time alone and not yet acknowledged by Kafka (a crash or an outage since), by borough. */
  unsent(): Promise<{ boroughCode: string; message: string }[]>;
  /** Kafka has the message: forget it, unless a newer one for the borough has replaced it meanwhile. */
  sent(boroughCode: string, message: string): Promise<void>;
  /** The last scoring of each perpetrator (undefined: never scored). */
  summaries(entityIds: readonly string[]): Promise<(ScoreSummary | undefined)[]>;
  /** A perpetrator's score history, oldest first. */
  trajectory(entityId: string): Promise<TrajectoryPoint[]>;
  /**
   * Takes an erased person (every id they had) off every board, with their standing, summary and score history;
   * a published ranking or unsent message naming them is dropped, to be published afresh at the scorer's next
   * tick; their id in kept event records becomes `placeholder`. Returns the boroughs whose board changed.
   */
  erase(entityIds: readonly string[], placeholder: string): Promise<string[]>;
  /** Removes every key of this scorer (tests, examples). */
  clear(): Promise<void>;
};

type Commands = Redis & {
  dauntlessScoreApply(metaKey: string, ...args: (string | number)[]): Promise<[string, string[]]>;
  dauntlessScoreRead(metaKey: string, ...args: (string | number)[]): Promise<[string, string, string, string[]]>;
  dauntlessScorePublish(metaKey: string, ...args: (string | number)[]): Promise<string>;
  dauntlessScoreSent(metaKey: string, ...args: (string | number)[]): Promise<number>;
  dauntlessScoreErase(metaKey: string, ...args: (string | number)[]): Promise<string[]>;
};

/** Kept event records rewritten per call of lua/erase.lua: one call stays short, whatever the backlog. */
const ERASE_BATCH = 500;

/** How long a scored event's record is kept, so a replay finds it: longer than graph.events.v1 keeps messages (30 days). */
export const DONE_TTL_SECONDS = 35 * 86_400;

function parseTie(text: string): { lastIncidentAt: number | null; incidents: number } {
  const [last = '', incidents = '0'] = text.split('|');
  return { lastIncidentAt: last === '' ? null : Number(last), incidents: Number(incidents) };
}

export function createScoreBoard({ redis, namespace }: { redis: Redis; namespace: string }): ScoreBoard {
  const r = redis as Commands;
  defineLuaCommands(redis, LUA_DIR, { dauntlessScoreApply: 'apply', dauntlessScorePublish: 'publish', dauntlessScoreSent: 'mark-sent', dauntlessScoreErase: 'erase' });
  // Reading a board is EVALSHA_RO, so a user that may only read the boards (the web service) can.
  defineReadOnlyLuaCommands(redis, LUA_DIR, { dauntlessScoreRead: 'read-board' });
  const ns = namespace;
  // The key each script declares: every key it touches shares its hash tag, so Cluster routes the call by it.
  const meta = `${ns}:due`;

  /** Every borough with a board (a version key), sorted. */
  async function boroughsOnBoard(): Promise<string[]> {
    const boroughs = new Set<string>();
    for await (const keys of scanKeys(redis, `${ns}:ver:`)) for (const k of keys) boroughs.add(k.slice(`${ns}:ver:`.length));
    return [...boroughs].sort();
  }

  const call = redisCall;

  return {
    namespace,
    async apply({ cause, basis, updates, removed, prev }) {
      const payload = {
        removed,
        prev: JSON.stringify(prev),
        // Numbers as strings (lua/lib.lua says why); String(x) gives the shortest text that reads back as the same double.
        updates: updates.map((u) => ({
          id: u.entityId,
          boroughs: u.boroughs.map((b) => [b.code, String(b.scoreAtEpoch), b.lastIncidentAt === null ? '' : String(b.lastIncidentAt), String(b.incidents)]),
          next: u.nextChangeAt === null ? '' : String(u.nextChangeAt),
          summary: JSON.stringify(u.summary),
          traj: u.trajectory ? JSON.stringify(u.trajectory) : '',
          trajKey: String(u.summary.scoreAtEpoch),
          at: String(u.summary.at),
        })),
      };
      const [status, rest] = await call('apply scores', () => r.dauntlessScoreApply(meta, ns, cause ?? '', DONE_TTL_SECONDS, basis, JSON.stringify(payload)));
      if (status === 'applied') return { status, boroughs: rest };
      const fields: Record<string, string> = {};
      for (let i = 0; i < rest.length; i += 2) fields[rest[i]!] = rest[i + 1]!;
      const messages: Record<string, string> = {};
      for (const [field, value] of Object.entries(fields)) if (field.startsWith('msg:')) messages[field.slice(4)] = value;
      const prevParsed = JSON.parse(fields.prev || '[]') as unknown;
      return {
        status: 'duplicate',
        done: { boroughs: (fields.boroughs ?? '').split(' ').filter(Boolean), prev: Array.isArray(prevParsed) ? (prevParsed as [string, ScoreSummary | null][]) : [], messages, alerts: fields.alerts },
      };
    },
    async read(boroughCode, n) {
      const [version, ranking, publishedVersion, rows] = await call('read a board', () => r.dauntlessScoreRead(meta, ns, boroughCode, n, String(TIE_MARGIN)));
      const entries: BoardEntry[] = [];
      for (let i = 0; i < rows.length; i += 3) entries.push({ entityId: rows[i]!, scoreAtEpoch: Number(rows[i + 1]), ...parseTie(rows[i + 2]!) });
      return { boroughCode, version, entries, published: ranking ? (JSON.parse(ranking) as PublishedRanking) : null, publishedVersion };
    },
    async publish({ read, changed, ranking, cause, message }) {
      const result = await call('publish a ranking', () =>
        r.dauntlessScorePublish(meta, ns, read.boroughCode, read.version, read.publishedVersion, changed ? '1' : '0', JSON.stringify(ranking), ranking.at, cause ?? '', message),
      );
      return result as 'published' | 'unchanged' | 'conflict';
    },
    async keepAlerts(cause, alerts) {
      await call('keep alerts', async () => {
        const done = `${ns}:done:${cause}`;
        // Only beside the record apply made (it carries the expiry).
        if (await redis.exists(done)) await redis.hset(done, 'alerts', alerts);
      });
    },
    async due(at, limit = 500) {
      return call('read who is due', () => redis.zrangebyscore(`${ns}:due`, '-inf', at, 'LIMIT', 0, limit));
    },
    async unpublished() {
      return call('find unpublished boroughs', async () => {
        const codes = await boroughsOnBoard();
        const pipeline = redis.pipeline();
        for (const code of codes) pipeline.get(`${ns}:ver:${code}`).hget(`${ns}:top:${code}`, 'ver');
        const replies = (await pipeline.exec()) ?? [];
        return codes.filter((_, i) => (replies[2 * i]?.[1] ?? '0') !== (replies[2 * i + 1]?.[1] ?? ''));
      });
    },
    async unsent() {
      return call('find unsent messages', async () => {
        const codes = await boroughsOnBoard();
        const pipeline = redis.pipeline();
        for (const code of codes) pipeline.hget(`${ns}:top:${code}`, 'unsent');
        const replies = (await pipeline.exec()) ?? [];
        return codes.flatMap((boroughCode, i) => (typeof replies[i]?.[1] === 'string' ? [{ boroughCode, message: replies[i]![1] as string }] : []));
      });
    },
    async sent(boroughCode, message) {
      await call('mark a message sent', () => r.dauntlessScoreSent(meta, ns, boroughCode, message));
    },
    async summaries(entityIds) {
      if (!entityIds.length) return [];
      const pipeline = redis.pipeline();
      for (const id of entityIds) pipeline.hget(`${ns}:perp:${id}`, 'summary');
      const replies = await call('read score summaries', async () => (await pipeline.exec()) ?? []);
      return replies.map(([error, value]) => {
        if (error) throw new DauntlessError('REDIS_UNAVAILABLE', `Redis failed to read a score summary: ${error.message}`, { retriable: true, cause: error });
        return typeof value === 'string' ? (JSON.parse(value) as ScoreSummary) : undefined;
      });
    },
    async trajectory(entityId) {
      const points = await call('read a score history', () => redis.zrange(`${ns}:traj:${entityId}`, 0, -1));
      return points.map((p) => JSON.parse(p) as TrajectoryPoint);
    },
    async erase(entityIds, placeholder) {
      if (entityIds.length === 0) return [];
      const boroughs = await call('list the boards', () => boroughsOnBoard());
      const done: string[] = [];
      await call('list scored events', async () => {
        for await (const keys of scanKeys(redis, `${ns}:done:`)) done.push(...keys);
      });
      const changed = new Set<string>();
      // The boards in the first call; the kept event records (expiring after DONE_TTL_SECONDS) in batches after it.
      for (let i = 0; i === 0 || i < done.length; i += ERASE_BATCH) {
        const moved = await call('erase a person from the boards', () =>
          r.dauntlessScoreErase(meta, ns, JSON.stringify(entityIds), JSON.stringify(i === 0 ? boroughs : []), JSON.stringify(done.slice(i, i + ERASE_BATCH)), JSON.stringify(placeholder)),
        );
        (Array.isArray(moved) ? moved : []).forEach((b) => changed.add(b));
      }
      return [...changed].sort();
    },
    async clear() {
      await clearNamespace(redis, ns);
    },
  };
}

