import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../graph/incident-graph.ts';
import { DEFAULT_HARM_CONFIG } from './harm-config.ts';
import { harmScore, scoreAt, type HarmScore } from './harm-score.ts';
import { createTopFiveBoard, diffTopFive, rankBorough, type RankInput, type RankedPerpetrator } from './rank.ts';
import { CROYDON, DAY, LAMBETH, NOW, SOUTHWARK, historyOf, incident, justice } from './test-support.ts';

const entry = (entityId: string, score: number, lastIncidentAt: number | null = 0, incidents = 1, extra: Partial<RankInput> = {}): RankInput => ({ entityId, score, lastIncidentAt, incidents, ...extra });
const ids = (ranked: readonly RankedPerpetrator[]) => ranked.map((r) => r.entityId);

describe('rankBorough', () => {
  it('ranks by score, then the most recent incident, then more incidents, then entity id', () => {
    const ranked = rankBorough([
      entry('E-tie-old', 50, 100, 9),
      entry('E-low', 10),
      entry('E-tie-recent-few', 50, 200, 1),
      entry('E-top', 90),
      entry('E-tie-recent-many', 50, 200, 3),
      entry('E-b', 50, 100, 9),
    ]);
    expect(ranked.map((r) => [r.rank, r.entityId])).toEqual([
      [1, 'E-top'],
      [2, 'E-tie-recent-many'],
      [3, 'E-tie-recent-few'],
      [4, 'E-b'],
      [5, 'E-tie-old'],
    ]);
  });

  it('ranks nobody without harm, puts a missing last incident last, and takes n', () => {
    expect(ids(rankBorough([entry('E1', 0), entry('E2', 5, null), entry('E3', 5, 1)], 5))).toEqual(['E3', 'E2']);
    expect(ids(rankBorough([entry('E1', 3), entry('E2', 2), entry('E3', 1)], 2))).toEqual(['E1', 'E2']);
    expect(() => rankBorough([], 0)).toThrow(RangeError);
  });
});

describe('diffTopFive', () => {
  const c = (eventId: string, harm: number, occurredAt = NOW) => ({ kind: 'INCIDENT' as const, eventId, incidentId: eventId.split(':')[0]!, occurredAt, boroughCode: LAMBETH, harm });

  it('says who entered, left and moved, with the records that moved them', () => {
    const before = rankBorough([
      entry('E-a', 100, 0, 1, { contributions: [c('CAD-1:v1', 100)] }),
      entry('E-b', 80, 0, 1, { contributions: [c('CAD-2:v1', 80, NOW - 365 * DAY)] }),
      entry('E-c', 60, 0, 1, { contributions: [c('CAD-3:v1', 60)] }),
    ], 2);
    const now = new Map([
      ['E-a', entry('E-a', 99, 0, 1, { contributions: [c('CAD-1:v1', 99)] })],
      ['E-b', entry('E-b', 0, null, 0, { contributions: [] })],
      ['E-c', entry('E-c', 260, NOW, 2, { contributions: [c('CAD-3:v1', 60), c('CAD-9:v1', 200)] })],
    ]);
    const after = rankBorough(now.values(), 2);
    const diff = diffTopFive(before, after, { current: (id) => now.get(id), previous: (id) => (id === 'E-c' ? entry('E-c', 60, 0, 1, { contributions: [c('CAD-3:v1', 60)] }) : undefined) });
    expect(diff.entered).toEqual([{ entityId: 'E-c', rank: 1, score: 260, reason: 'new: incident CAD-9 (+200); score 60 → 260', added: ['CAD-9:v1'], dropped: [] }]);
    expect(diff.left).toEqual([{ entityId: 'E-b', previousRank: 2, score: 0, reason: 'out of the window: incident CAD-2; no harm left in the window', added: [], dropped: ['CAD-2:v1'] }]);
    expect(diff.moved).toEqual([{ entityId: 'E-a', from: 1, to: 2, score: 99, reason: 'score 100 → 99; no new records: others moved', added: [], dropped: [] }]);
    expect(diff.unchanged).toBe(false);
  });

  it('names who overtook a perpetrator still scoring, and reads new records since the last ranking without a previous state', () => {
    const before = rankBorough([entry('E-a', 50, 0, 1, { contributions: [c('CAD-1:v1', 50)] })], 1);
    const after = rankBorough([entry('E-new', 70, NOW, 1, { contributions: [c('CAD-7:v1', 70, NOW)] })], 1);
    const diff = diffTopFive(before, after, { current: () => entry('E-a', 50, 0, 1, { contributions: [c('CAD-1:v1', 50)] }), since: NOW - DAY });
    expect(diff.entered[0]!.reason).toBe('new: incident CAD-7 (+70); score 70');
    expect(diff.left[0]!.reason).toBe('score 50 → 50; overtaken by E-new');
    expect(diffTopFive(before, before).unchanged).toBe(true);
  });
});

describe('createTopFiveBoard', () => {
  it('keeps a borough top five from score updates, drops a perpetrator from boroughs they no longer score in, and says who is due', () => {
    const board = createTopFiveBoard({ n: 2, halfLifeDays: 180 });
    const P = 'E-p';
    const events: GraphEvent[] = [incident('CAD-1', 300, [[P, ['SUSPECT']], ['E-v', ['VICTIM']]], { boroughCode: SOUTHWARK })];
    const first = harmScore(P, historyOf(P, events), NOW);
    expect(board.apply(first)).toEqual([SOUTHWARK]);
    expect(board.apply(first)).toEqual([]);
    expect(board.top(SOUTHWARK, NOW).map((r) => [r.entityId, r.score])).toEqual([[P, first.perBorough[SOUTHWARK]]]);
    expect(board.due(NOW)).toEqual([]);
    const expiry = NOW - 300 * DAY + 365 * DAY + 1;
    expect(board.due(expiry)).toEqual([P]);
    expect(board.apply(harmScore(P, historyOf(P, events), expiry))).toEqual([SOUTHWARK]);
    expect([board.boroughCodes(), board.due(expiry + 1000 * DAY)]).toEqual([[], []]);
  });

  it('sees a tie that only appears once keys are decayed to the moment asked, as a ranking from scratch does', () => {
    // Two keys one unit in the last place apart can round to the same score: the more recent must then win, as from scratch.
    const nextUp = (x: number) => {
      const bits = new BigInt64Array(new Float64Array([x]).buffer);
      bits[0]! += 1n;
      return new Float64Array(bits.buffer)[0]!;
    };
    const at = NOW;
    let low = 1e36;
    while (scoreAt(low, at, 180) !== scoreAt(nextUp(low), at, 180)) low = nextUp(nextUp(low * 1.000001));
    const standing = (entityId: string, scoreAtEpoch: number, lastIncidentAt: number) => ({
      entityId,
      nextChangeAt: null,
      boroughs: { [LAMBETH]: { score: scoreAt(scoreAtEpoch, at, 180), scoreAtEpoch, lastIncidentAt, incidents: 1 } },
    });
    const board = createTopFiveBoard({ n: 1, halfLifeDays: 180 });
    board.apply(standing('E-a', nextUp(low), NOW - DAY));
    board.apply(standing('E-b', low, NOW));
    const scratch = rankBorough([standing('E-a', nextUp(low), NOW - DAY), standing('E-b', low, NOW)].map((s) => ({ entityId: s.entityId, ...s.boroughs[LAMBETH]! })), 1);
    expect(ids(scratch)).toEqual(['E-b']);
    expect(ids(board.top(LAMBETH, at))).toEqual(['E-b']);
  });

  // The incremental board must agree with a ranking from scratch, whatever happens: new incidents, late-recorded
  // justice events, counter-allegations, ties, and time running on so that scores decay and records leave the window.
  const PERPS = ['E-p0', 'E-p1', 'E-p2', 'E-p3', 'E-p4', 'E-p5', 'E-p6'];
  const PEOPLE = [...PERPS, 'E-v0', 'E-v1', 'E-v2', 'E-v3', 'E-v4'];
  const BOROUGHS = [LAMBETH, SOUTHWARK, CROYDON];
  const TYPES = ['PHYSICAL', 'COERCIVE_CONTROL', 'STRANGULATION', 'STALKING', 'EMOTIONAL'];

  /** Steps of a stream; `plain` draws from so few values that many perpetrators tie on score and recency. */
  function stepOf(plain: boolean) {
    const day = plain ? fc.constant(0) : fc.integer({ min: 0, max: DAY - 1 });
    return fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('incident' as const),
          perp: fc.constantFrom(...PERPS),
          victims: fc.uniqueArray(fc.constantFrom(...(plain ? PEOPLE.slice(-2) : PEOPLE)), { minLength: 1, maxLength: plain ? 1 : 2 }),
          borough: fc.constantFrom(...(plain ? BOROUGHS.slice(0, 1) : BOROUGHS)),
          types: plain ? fc.constant<string[]>(['PHYSICAL']) : fc.subarray(TYPES),
          knife: plain ? fc.constant(false) : fc.boolean(),
          children: plain ? fc.constant(false) : fc.boolean(),
          backdateDays: plain ? fc.constantFrom(0, 30) : fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 })),
        }),
      },
      {
        weight: plain ? 0 : 1,
        arbitrary: fc.record({ kind: fc.constant('breach' as const), perp: fc.constantFrom(...PERPS), victim: fc.constantFrom(...PEOPLE), borough: fc.option(fc.constantFrom(...BOROUGHS), { nil: null }), backdateDays: fc.integer({ min: 0, max: 30 }) }),
      },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 100, max: 400 })), ms: day }) },
    );
  }

  it.each([
    ['varied records', false],
    ['records so alike that many tie', true],
  ])('equals the from-scratch ranking of every borough after a long random stream (%s) with time advancing', (_, plain) => {
    fc.assert(
      fc.property(fc.array(stepOf(plain), { minLength: 50, maxLength: 250 }), (steps) => {
        const board = createTopFiveBoard({ n: 5, halfLifeDays: DEFAULT_HARM_CONFIG.halfLifeDays });
        const events: GraphEvent[] = [];
        const historyFor = (id: string) => historyOf(id, events.filter((e) => e.partyEntityIds.includes(id)));
        const rescore = (id: string, at: number): HarmScore => harmScore(id, historyFor(id), at);
        let now = NOW;
        let seq = 0;

        steps.forEach((s) => {
          if (s.kind === 'advance') {
            now += s.days * DAY + s.ms;
          } else if (s.kind === 'incident') {
            const victims = s.victims.filter((v) => v !== s.perp);
            const parties: [string, string[]][] = [[s.perp, ['SUSPECT']], ...victims.map((v): [string, string[]] => [v, ['VICTIM']])];
            events.push(incident(`CAD-${++seq}`, s.backdateDays, parties, { boroughCode: s.borough, abuseTypes: s.types, weapons: s.knife ? ['KNIFE'] : [], childrenPresent: s.children }, now));
            board.apply(rescore(s.perp, now));
          } else {
            const what = { what: 'PROTECTIVE_ORDER' as const, orderId: `O-${seq}`, orderType: 'DVPO', action: 'BREACHED', startsAt: null, expiresAt: null, conditions: [] };
            events.push(justice(`J-${++seq}`, s.backdateDays, s.perp, s.victim === s.perp ? [] : [s.victim], what, { boroughCode: s.borough }, now));
            board.apply(rescore(s.perp, now));
          }
          // Time alone: re-score whoever the board says is due, then compare every borough with a ranking from scratch.
          for (const id of board.due(now)) board.apply(rescore(id, now));
          const scratch = PERPS.map((id) => rescore(id, now));
          for (const code of BOROUGHS) {
            const standings = scratch.flatMap((h) => {
              const b = h.boroughs[code];
              return b ? [{ entityId: h.entityId, score: b.score, lastIncidentAt: b.lastIncidentAt, incidents: b.incidents }] : [];
            });
            expect(board.top(code, now)).toEqual(rankBorough(standings));
          }
          // The board holds exactly those who score somewhere: nobody lingers without harm.
          expect(BOROUGHS.reduce((sum, code) => sum + board.size(code), 0)).toBe(scratch.reduce((sum, h) => sum + Object.keys(h.boroughs).length, 0));
        });
      }),
      { numRuns: 60 },
    );
    // Sixty long streams, each re-ranked from scratch at every step: seconds of CPU, more on a shared machine.
  }, 120_000);
});
