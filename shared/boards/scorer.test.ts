import { describe, expect, it } from 'vitest';
import { DEFAULT_HARM_CONFIG } from '../harm/harm-config.ts';
import { harmScore, scoreAt } from '../harm/harm-score.ts';
import { DAY, LAMBETH, NOW, SOUTHWARK, historyOf, incident } from '../harm/test-support.ts';
import type { GraphEvent } from '../graph/incident-graph.ts';
import { oneAtATime, rankedFrom, standingUpdate } from './scorer.ts';
import { scoreSummary } from './top-five-message.ts';

const HL = DEFAULT_HARM_CONFIG.halfLifeDays;
const events: GraphEvent[] = [
  incident('CAD-1', 40, [['E-a', ['SUSPECT']], ['E-v1', ['VICTIM']]], { abuseTypes: ['COERCIVE_CONTROL'] }),
  incident('CAD-2', 10, [['E-a', ['SUSPECT']], ['E-v2', ['VICTIM']]], { abuseTypes: ['PHYSICAL'], boroughCode: SOUTHWARK }),
];
const scoreOf = (list: GraphEvent[], at = NOW) => harmScore('E-a', historyOf('E-a', list), at);

describe("a perpetrator's standing update", () => {
  it('stands where they score, with a history point naming the records added when their ranking key moved', () => {
    const score = scoreOf(events);
    const update = standingUpdate(score, undefined, 'CAD-2:v1', HL);
    expect(update.entityId).toBe('E-a');
    expect(update.boroughs.map((b) => b.code).sort()).toEqual([LAMBETH, SOUTHWARK].sort());
    expect(update.nextChangeAt).toBe(score.nextChangeAt);
    expect(update.trajectory).toMatchObject({ at: NOW, cause: 'CAD-2:v1', scoreAtEpoch: score.scoreAtEpoch });
    expect(update.trajectory!.added.length).toBeGreaterThan(0);
    expect(update.trajectory!.dropped).toEqual([]);
  });

  it('adds no history point when the ranking key did not move (time alone, same records)', () => {
    const before = scoreOf(events, NOW - DAY);
    const now = scoreOf(events, NOW);
    expect(now.scoreAtEpoch).toBe(before.scoreAtEpoch);
    expect(standingUpdate(now, scoreSummary(before), null, HL).trajectory).toBeNull();
  });

  it('says when the count of distinct victims changed', () => {
    const before = scoreSummary(scoreOf(events.slice(0, 1)));
    const update = standingUpdate(scoreOf(events), before, 'CAD-2:v1', HL);
    expect(update.trajectory!.why).toMatch(/2 distinct victims/);
  });
});

describe('a board read as a ranking', () => {
  it('ranks by the decayed score at the moment, keeping each ranking key, and keeps the first n', () => {
    const entries = [
      { entityId: 'E-1', scoreAtEpoch: 10, lastIncidentAt: NOW - 5 * DAY, incidents: 1 },
      { entityId: 'E-2', scoreAtEpoch: 30, lastIncidentAt: NOW - 2 * DAY, incidents: 2 },
      { entityId: 'E-3', scoreAtEpoch: 20, lastIncidentAt: NOW - 9 * DAY, incidents: 1 },
    ];
    const ranked = rankedFrom({ entries }, NOW, 2, HL);
    expect(ranked.map((r) => [r.entityId, r.scoreAtEpoch])).toEqual([
      ['E-2', 30],
      ['E-3', 20],
    ]);
    expect(ranked[0]!.score).toBeCloseTo(scoreAt(30, NOW, HL));
  });
});

describe('one at a time', () => {
  it('runs work in order, never two at once, and goes on after a failure', async () => {
    const exclusive = oneAtATime();
    const log: string[] = [];
    let running = 0;
    const work = (name: string, fail = false) => async () => {
      running++;
      expect(running).toBe(1);
      await new Promise((r) => setTimeout(r, 5));
      log.push(name);
      running--;
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([exclusive(work('a')), exclusive(work('b', true)), exclusive(work('c'))]);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
