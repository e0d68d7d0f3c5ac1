import { describe, expect, it } from 'vitest';
import type { TrajectoryPoint } from '../../shared/boards/score-board.ts';
import { formatTrajectory } from './target.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 1, 12, 0, 0);
const point = (at: number, score: number, why: string, extra: Partial<TrajectoryPoint> = {}): TrajectoryPoint => ({
  at,
  cause: 'CAD-1:v1',
  score,
  // The key that gives `score` at `at` with a 180-day half-life.
  scoreAtEpoch: score * Math.pow(2, at / (180 * DAY)),
  perBorough: { E09000022: score },
  distinctVictims: 1,
  serial: false,
  incidents12m: 1,
  added: [],
  dropped: [],
  why,
  ...extra,
});

describe('formatTrajectory', () => {
  it('lists each point with what moved it, then the score now, decayed, against the peak', () => {
    const text = formatTrajectory({
      requestedId: 'E-old',
      entityId: 'E-p',
      now: T0 + 200 * DAY,
      halfLifeDays: 180,
      windowDays: 365,
      points: [
        point(T0, 364, 'new: incident CAD-1 (+364); score 0 → 364'),
        point(T0 + 20 * DAY, 1200, 'new: incident CAD-2 (+1096); score 337.2 → 1200; 2 distinct victims (×1.5)', { distinctVictims: 2, serial: true, perBorough: { E09000022: 900, E09000028: 300 } }),
      ],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Perpetrator E-p (asked for E-old, merged into it): harm score over time');
    expect(lines[3]).toMatch(/^When \(London\) +Score +By borough +Victims +Serial +What moved it$/);
    expect(lines[4]).toMatch(/^1 Sept 2026, 13:00 +364\.0 +Lambeth 364\.0 +1 +no +new: incident CAD-1 \(\+364\); score 0 → 364$/);
    expect(lines[5]).toMatch(/^21 Sept 2026, 13:00 +1200\.0 +Lambeth 900\.0, Southwark 300\.0 +2 +yes +new: incident CAD-2/);
    // 180 days after the last point: half.
    expect(lines[7]).toBe('Now (20 Mar 2027, 12:00): 600.0, decayed from 1200.0 with no new records since 21 Sept 2026, 13:00.');
  });

  it('says so when the scorer never ranked the person', () => {
    expect(formatTrajectory({ requestedId: 'E-x', entityId: 'E-x', now: T0, halfLifeDays: 180, windowDays: 365, points: [] })).toMatch(/\n\nNo score kept: the scorer has never ranked this person/);
  });
});
