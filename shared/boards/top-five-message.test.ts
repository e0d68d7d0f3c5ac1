import { describe, expect, it } from 'vitest';
import { DEFAULT_HARM_CONFIG } from '../harm/harm-config.ts';
import { harmScore, type HarmScore } from '../harm/harm-score.ts';
import { rankBorough } from '../harm/rank.ts';
import { DAY, LAMBETH, NOW, historyOf, incident } from '../harm/test-support.ts';
import type { GraphEvent } from '../graph/incident-graph.ts';
import type { PublishedRanking, ScoreSummary } from './score-board.ts';
import { sameRanking, scoreSummary, topFiveChanged } from './top-five-message.ts';

const HL = DEFAULT_HARM_CONFIG.halfLifeDays;
const scoreOf = (id: string, events: GraphEvent[], at = NOW) => harmScore(id, historyOf(id, events.filter((e) => e.partyEntityIds.includes(id))), at);

/** A borough's ranking from these scores, as the scorer reads it off the board. */
function ranked(scores: HarmScore[], n = 2) {
  const keys = new Map(scores.map((s) => [s.entityId, s.boroughs[LAMBETH]?.scoreAtEpoch ?? 0]));
  return rankBorough(scores.flatMap((s) => (s.boroughs[LAMBETH] ? [{ entityId: s.entityId, ...s.boroughs[LAMBETH]! }] : [])), n).map((r) => ({ ...r, scoreAtEpoch: keys.get(r.entityId)! }));
}

const base: GraphEvent[] = [
  incident('CAD-1', 40, [['E-a', ['SUSPECT']], ['E-v1', ['VICTIM']]], { abuseTypes: ['COERCIVE_CONTROL'] }),
  incident('CAD-2', 30, [['E-b', ['SUSPECT']], ['E-v2', ['VICTIM']]], { abuseTypes: ['PHYSICAL'] }),
  incident('CAD-3', 60, [['E-c', ['SUSPECT']], ['E-v3', ['VICTIM']]], { abuseTypes: ['HARASSMENT'] }),
];

function first(): { ranking: PublishedRanking; scores: Map<string, HarmScore> } {
  const scores = new Map(['E-a', 'E-b', 'E-c'].map((id) => [id, scoreOf(id, base, NOW - DAY)]));
  const { ranking, changed } = topFiveChanged({ boroughCode: LAMBETH, at: NOW - DAY, cause: 'CAD-3:v1', version: 3, before: null, after: ranked([...scores.values()]), scores, previous: new Map(), halfLifeDays: HL });
  expect(changed).toBe(true);
  return { ranking, scores };
}

describe('topFiveChanged', () => {
  it('says who entered and why, who was overtaken, and keeps the ranking with its records', () => {
    const { ranking: before, scores: earlier } = first();
    expect(before.entries.map((e) => e.entityId)).toEqual(['E-a', 'E-b']);
    // E-c strangles a second partner: new records, a second victim, straight to the top.
    const events = [...base, incident('CAD-9', 0, [['E-c', ['SUSPECT']], ['E-v9', ['VICTIM']]], { abuseTypes: ['STRANGULATION'] })];
    const scores = new Map(['E-a', 'E-b', 'E-c'].map((id) => [id, scoreOf(id, events)]));
    const previous = new Map<string, ScoreSummary>([['E-c', scoreSummary(earlier.get('E-c')!)]]);
    const { changed, ranking, message } = topFiveChanged({ boroughCode: LAMBETH, at: NOW, cause: 'CAD-9:v1', version: 7, before, after: ranked([...scores.values()]), scores, previous, halfLifeDays: HL });
    expect(changed).toBe(true);
    expect(ranking.entries.map((e) => [e.entityId, e.rank])).toEqual([['E-c', 1], ['E-a', 2]]);
    expect(message.entered).toEqual(['E-c']);
    expect(message.changes.map((c) => [c.change, c.entityId, c.previousRank, c.rank])).toEqual([
      ['ENTERED', 'E-c', null, 1],
      ['LEFT', 'E-b', 2, null],
      ['MOVED', 'E-a', 1, 2],
    ]);
    expect(message.changes[0]!.reason).toMatch(/^new: incident CAD-9 \(\+1096\); score \d+(\.\d)? → \d+(\.\d)?$/);
    expect(message.changes[0]!.addedRecordIds).toEqual(['CAD-9:v1']);
    expect(message.left).toEqual([{ entityId: 'E-b', reason: expect.stringMatching(/overtaken by E-c$/) }]);
    expect(message.ranking[0]).toMatchObject({ rank: 1, entityId: 'E-c', distinctVictims: 2, incidentsInWindow: 2, serial: true, victimEntityIds: ['E-v3', 'E-v9'] });
    expect(message.ranking[0]!.contributions.map((c) => c.recordId)).toEqual(['CAD-9:v1', 'CAD-3:v1']);
    expect(message.ranking[0]!.contributions[0]!.why).toMatch(/^Incident CAD-9, 25 Nov 2026 in Lambeth: strangulation 548 d × 2 homicide risk → 1096 days/);
    expect([message.boardVersion, message.causeEventId, message.halfLifeDays]).toEqual([7, 'CAD-9:v1', 180]);
  });

  it('is no change when time alone has passed, and a change with the records named when a record of someone in the five moves the key', () => {
    const { ranking: before } = first();
    const later = new Map(['E-a', 'E-b', 'E-c'].map((id) => [id, scoreOf(id, base, NOW + 10 * DAY)]));
    const same = topFiveChanged({ boroughCode: LAMBETH, at: NOW + 10 * DAY, cause: null, version: 4, before, after: ranked([...later.values()]), scores: later, previous: new Map(), halfLifeDays: HL });
    expect(same.changed).toBe(false);
    const events = [...base, incident('CAD-8', 0, [['E-a', ['SUSPECT']], ['E-v1', ['VICTIM']]], { abuseTypes: ['HARASSMENT'] })];
    const scores = new Map(['E-a', 'E-b', 'E-c'].map((id) => [id, scoreOf(id, events)]));
    const { changed, message } = topFiveChanged({ boroughCode: LAMBETH, at: NOW, cause: 'CAD-8:v1', version: 5, before, after: ranked([...scores.values()]), scores, previous: new Map(), halfLifeDays: HL });
    expect(changed).toBe(true);
    expect(message.changes).toEqual([
      { entityId: 'E-a', change: 'RESCORED', rank: 1, previousRank: 1, reason: expect.stringMatching(/^new: incident CAD-8 \(\+20\); score /), addedRecordIds: ['CAD-8:v1'], droppedRecordIds: [] },
    ]);
  });

  it('says a merged-away id left because it is the same person as its survivor', () => {
    const { ranking: before, scores } = first();
    const merged = new Map(scores);
    // E-b was found to be E-c: asked for E-b, the graph answers with E-c.
    merged.set('E-b', { ...scores.get('E-c')! });
    const after = ranked([scores.get('E-a')!, scores.get('E-c')!]);
    const { message } = topFiveChanged({ boroughCode: LAMBETH, at: NOW - DAY, cause: 'CAD-7:v1', version: 9, before, after, scores: merged, previous: new Map(), halfLifeDays: HL });
    expect(message.left).toEqual([{ entityId: 'E-b', reason: 'merged into E-c: the same person, ranked under that id' }]);
  });
});

describe('topFiveChanged, first publication', () => {
  it('names every record of someone scored for the first time as new', () => {
    const scores = new Map([['E-a', scoreOf('E-a', base)]]);
    const { message } = topFiveChanged({ boroughCode: LAMBETH, at: NOW, cause: 'CAD-1:v1', version: 1, before: null, after: ranked([...scores.values()]), scores, previous: new Map([['E-a', null]]), halfLifeDays: HL });
    expect(message.changes).toEqual([
      { entityId: 'E-a', change: 'ENTERED', rank: 1, previousRank: null, reason: expect.stringMatching(/^new: incident CAD-1 \(\+\d+(\.\d)?\); score 0 → \d+(\.\d)?$/), addedRecordIds: ['CAD-1:v1'], droppedRecordIds: [] },
    ]);
  });
});

describe('sameRanking', () => {
  it('compares people, places and keys', () => {
    const e = (entityId: string, scoreAtEpoch: number) => ({ entityId, scoreAtEpoch });
    expect(sameRanking([e('a', 1), e('b', 2)], [e('a', 1), e('b', 2)])).toBe(true);
    expect(sameRanking([e('a', 1), e('b', 2)], [e('b', 2), e('a', 1)])).toBe(false);
    expect(sameRanking([e('a', 1)], [e('a', 1.5)])).toBe(false);
    expect(sameRanking([], [])).toBe(true);
  });
});
