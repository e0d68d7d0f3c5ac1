// The scorer's boards in real Redis agree with a ranking from scratch: a long
// simulated stream of London calls (repeat victims, serial perpetrators,
// counter-allegations, merges as typing improves) is resolved onto a real
// identity graph and scored as it arrives, with time running on as the calls
// do; then time runs on alone for months, so scores decay and records leave
// the window. At each check, every borough's top five on the boards equals
// rankBorough over every entity on the graph scored from scratch, exactly.
// Replays change nothing and send what the first run sent.
import { adminRedis, keysUnder } from '../helpers/redis.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { DEFAULT_HARM_CONFIG } from '../../shared/harm/harm-config.ts';
import { harmScore } from '../../shared/harm/harm-score.ts';
import { rankBorough, type RankInput } from '../../shared/harm/rank.ts';
import { BOROUGHS } from '../../shared/geography/boroughs.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createCallStream, type SimulatedCall } from '../../shared/synth/call-stream.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createIncidentStage, type ResolvedIncident } from '../../services/resolver/incident-stage.ts';
import type { GraphEventRecorded } from '../../shared/contracts/graph-event.ts';
import { graphEventOfIncident } from '../../services/resolver/graph-event.ts';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { createScorer, type ScorerOutput } from '../../shared/boards/scorer.ts';
import { scorerNamespaceFor } from '../../shared/boards/namespaces.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { uniqueName } from '../helpers/unique.ts';
import { createIdentityAdmin } from '../../shared/graph/identity-admin.ts';

const endpoints = testEndpoints();
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const redis = adminRedis();
const namespace = `${uniqueName('scorer-board')}:{g}`;
const store = createRedisIdentityStore({ redis, namespace });
const graph = createIncidentGraph({ redis, namespace });
const board = createScoreBoard({ redis, namespace: scorerNamespaceFor(namespace) });
const scorer = createScorer({ graph, board, harm: DEFAULT_HARM_CONFIG, logger });
const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });

const DAY = 86_400_000;
const CALLS = 600;
const CODES = BOROUGHS.map((b) => b.code);
const START = Date.UTC(2024, 0, 1);
let calls: SimulatedCall[];
/** The graph events the resolver would announce, in order, with the messages the scorer sent for each. */
const scored: { event: GraphEventRecorded; outputs: ScorerOutput[]; at: number }[] = [];
/** Every message, in order: the last per borough is what a reader of the compacted topic holds. */
const sent: ScorerOutput[] = [];
const checks: { at: number; boroughs: number }[] = [];
/** Checks made while the stream ran: the boroughs whose boards and from-scratch ranking differed. */
const duringStream: { at: number; differ: string[] }[] = [];
const midStreamReplay: { first: unknown; again: unknown }[] = [];

/** Every borough's top five from scratch: every entity on the graph scored at `at`. */
async function fromScratch(at: number): Promise<Map<string, ReturnType<typeof rankBorough>>> {
  const ids = [...(await createIdentityAdmin({ redis, namespace }).entities()).keys()];
  const histories = await graph.histories(ids);
  const standings = new Map<string, RankInput[]>();
  for (const h of histories) {
    const s = harmScore(h.entityId, h, at, DEFAULT_HARM_CONFIG);
    for (const [code, b] of Object.entries(s.boroughs)) {
      standings.set(code, [...(standings.get(code) ?? []), { entityId: s.entityId, score: b.score, lastIncidentAt: b.lastIncidentAt, incidents: b.incidents }]);
    }
  }
  return new Map(CODES.map((code) => [code, rankBorough(standings.get(code) ?? [])]));
}

/** Every borough's top five on the boards and from scratch at `at`, and how many boroughs rank anyone. */
async function compare(at: number) {
  const scratch = await fromScratch(at);
  const boards = new Map<string, ReturnType<typeof rankBorough>>();
  for (const code of CODES) boards.set(code, (await scorer.topFive(code, at)).map(({ scoreAtEpoch: _key, ...r }) => r));
  checks.push({ at, boroughs: [...boards.values()].filter((r) => r.length).length });
  return { scratch, boards };
}

async function expectBoardsEqualScratch(at: number): Promise<void> {
  const { scratch, boards } = await compare(at);
  for (const code of CODES) expect(boards.get(code), `${code} at ${new Date(at).toISOString()}`).toEqual(scratch.get(code));
}

/** The last message per borough, as a reader of the compacted topic holds it. */
const latestPerBorough = () => new Map(sent.filter((o) => o.kind === 'topfive').map((o) => [o.boroughCode, o.value as Extract<ScorerOutput, { kind: 'topfive' }>['value']]));

beforeAll(async () => {
  calls = createCallStream({ seed: 'scorer-board', persons: 2_500, start: new Date(START), meanGapMs: (600 * DAY) / CALLS, horizonCalls: CALLS }).take(CALLS);
  const resolved: ResolvedIncident[] = [];
  const stage = createIncidentStage({ codec, store, graph, model: defaultPersonModel, logger, onResolved: async (r) => void resolved.push(r) });
  for (const [i, { incident }] of calls.entries()) {
    await stage.handle(incident, { topic: 'simulated', partition: 0, message: { offset: String(i), key: null, value: null, timestamp: '0', attributes: 0, headers: {} } as any });
    const event = graphEventOfIncident(resolved.at(-1)!, incident.receivedAt);
    // Scored as the call arrives; then whoever time has made due.
    const outputs = await scorer.scoreEvent(event, incident.receivedAt);
    scored.push({ event, outputs, at: incident.receivedAt });
    sent.push(...outputs, ...(await scorer.rescoreDue(incident.receivedAt)));
    if (i + 1 === CALLS / 2) {
      // Mid-stream, with boards full: a replay of the last 50 events changes nothing and sends what they sent.
      const before = await boardSnapshot();
      for (const s of scored.slice(-50)) midStreamReplay.push({ first: ownOutputs(s.event, s.outputs), again: ownOutputs(s.event, await scorer.scoreEvent(s.event, incident.receivedAt)) });
      midStreamReplay.push({ first: before, again: await boardSnapshot() });
    }
    if ((i + 1) % 100 === 0) {
      const { scratch, boards } = await compare(incident.receivedAt);
      duringStream.push({ at: incident.receivedAt, differ: CODES.filter((code) => JSON.stringify(boards.get(code)) !== JSON.stringify(scratch.get(code))) });
    }
  }
}, 600_000);

afterAll(async () => {
  await store.clear();
  await board.clear();
  redis.disconnect();
});

describe('the incremental top five in Redis', () => {
  it('equals the ranking from scratch of every borough as the stream runs, at its end, and after months of decay with no new calls', async () => {
    expect(duringStream).toHaveLength(CALLS / 100);
    expect(duringStream.filter((c) => c.differ.length)).toEqual([]);
    const end = calls.at(-1)!.incident.receivedAt;
    await expectBoardsEqualScratch(end);
    // Time alone: scores decay, records leave the window (365 days), then nothing is left.
    for (const days of [1, 30, 90, 120, 200, 300, 366]) {
      const at = end + days * DAY;
      sent.push(...(await scorer.rescoreDue(at)));
      await expectBoardsEqualScratch(at);
    }
    expect(checks[0]!.boroughs).toBeGreaterThan(20);
    expect(checks.at(-1)!.boroughs).toBe(0);
    // A reader of the compacted topic holds, for every borough, the ranking the boards hold now: nobody.
    for (const [code, message] of latestPerBorough()) expect(message.ranking, code).toEqual([]);
  }, 300_000);

  it('sent a message for every change, each saying why; a perpetrator leaving by time says which records left the window', () => {
    const topfive = sent.filter((o) => o.kind === 'topfive').map((o) => o.value as any);
    expect(topfive.length).toBeGreaterThan(50);
    for (const m of topfive) expect(m.changes.length + (m.ranking.length === 0 ? 1 : 0), JSON.stringify(m.changes)).toBeGreaterThan(0);
    const entered = topfive.flatMap((m) => m.changes.filter((c: any) => c.change === 'ENTERED'));
    expect(entered.some((c: any) => /new: incident CAD-/.test(c.reason))).toBe(true);
    const byTime = topfive.filter((m) => m.causeEventId === null).flatMap((m) => m.changes);
    const leftByTime = byTime.filter((c: any) => c.change === 'LEFT' && /no harm left in the window/.test(c.reason));
    expect(leftByTime.length).toBeGreaterThan(0);
    for (const c of leftByTime) expect(c.reason).toMatch(/^out of the window: incident CAD-\S+.*; no harm left in the window$/);
  });

  it('keeps each change decided by time alone in Redis until Kafka has it, so a crash or an outage loses none', async () => {
    // Nothing here was sent to Kafka: every borough's last change by time is still kept, as decided.
    const lastByTime = new Map<string, unknown>();
    for (const o of sent) if (o.kind === 'topfive' && o.value.causeEventId === null) lastByTime.set(o.boroughCode, o.value);
    const unsent = await scorer.unsent();
    expect(unsent.length).toBeGreaterThan(20);
    expect(new Map(unsent.map((o) => [o.boroughCode, o.value]))).toEqual(lastByTime);
    // Only the message kept is forgotten: an older one acknowledged late leaves the newer in place.
    const [first] = unsent;
    await board.sent(first!.boroughCode, JSON.stringify({ ...first!.value, boardVersion: -1 }));
    expect((await scorer.unsent()).length).toBe(unsent.length);
    for (const o of unsent) await board.sent(o.boroughCode, JSON.stringify(o.value));
    expect(await scorer.unsent()).toEqual([]);
  });

  it('keeps no merged-away id on any board', async () => {
    const merges = scored.filter((s) => s.event.parties.some((p) => p.mergedEntityIds.length));
    expect(merges.length).toBeGreaterThan(0);
    const ranked = new Set(scored.flatMap((s) => s.outputs.flatMap((o) => (o.kind === 'topfive' ? o.value.ranking.map((r) => r.entityId) : []))));
    const gone = new Set(merges.flatMap((s) => s.event.parties.flatMap((p) => p.mergedEntityIds)));
    const standing = await keysUnder(redis, `${board.namespace}:standing:`);
    for (const key of standing) expect(gone.has(key.slice(`${board.namespace}:standing:`.length))).toBe(false);
    expect(ranked.size).toBeGreaterThan(0);
  });

  it('changes nothing on a replay of events, mid-stream or long after, and sends again exactly what the first run sent', async () => {
    expect(midStreamReplay).toHaveLength(51);
    expect(midStreamReplay.some((r) => Array.isArray(r.first) && r.first.length > 0)).toBe(true);
    for (const { first, again } of midStreamReplay) expect(again).toEqual(first);
    const before = await boardSnapshot();
    for (const { event, outputs, at } of scored.slice(-150)) {
      // Later, as a replay would be.
      expect(ownOutputs(event, await scorer.scoreEvent(event, at + 10 * DAY))).toEqual(ownOutputs(event, outputs));
    }
    expect(await boardSnapshot()).toEqual(before);
  }, 120_000);

  it("keeps each perpetrator's score history, a point whenever new records or time moved the score", async () => {
    const firstTopFive = sent.find((o) => o.kind === 'topfive' && o.value.ranking.length)!;
    const id = (firstTopFive.value as any).ranking[0].entityId as string;
    const points = await board.trajectory(id);
    expect(points.length).toBeGreaterThan(1);
    expect(points[0]!.added.length).toBeGreaterThan(0);
    expect(points.map((p) => p.at)).toEqual([...points.map((p) => p.at)].sort((a, b) => a - b));
    // Once every record has left the window, the last point is zero.
    expect(points.at(-1)!.score).toBe(0);
  });
});

/** The messages an event caused (the rest were re-rankings by time done first). */
const ownOutputs = (event: GraphEventRecorded, outputs: ScorerOutput[]) => outputs.filter((o) => o.kind === 'alert' || o.value.causeEventId === event.eventId);

async function boardSnapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of (await keysUnder(redis, `${board.namespace}:`)).sort()) {
    if (key.includes(':done:')) continue;
    const type = await redis.type(key);
    out[key] = type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES') : type === 'hash' ? await redis.hgetall(key) : await redis.get(key);
  }
  return out;
}
