// `dauntless target <entity-id> [--json]`: a perpetrator's harm score over
// time, for Operation Dauntless leads: every point the scorer kept (each time
// new records or time moved the score), with what moved it, and the score
// now. Scores decay by themselves (docs/HARM-SCORE.md); whether a tactical
// plan works shows as no new records and a falling line. A merged-away id is
// followed to the person it is part of now.
//
// A consultation of a person: run as the signed-in person, for leads,
// supervisors and the LPT of a borough the target is scored in (mayReadTarget),
// audited before it prints. It shows no tactical plan and changes none (the
// web app's plans are alterations, audited there).
import { mayReadTarget } from '../../shared/access/access.ts';
import { asSignedInPerson } from './audited-access.ts';
import { boroughByCode } from '../../shared/geography/boroughs.ts';
import { scoreAt } from '../../shared/harm/harm-score.ts';
import type { TrajectoryPoint } from '../../shared/boards/score-board.ts';
import { defineCommand } from './command.ts';
import { withScorerState } from './scorer-state.ts';

const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const n1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);
const boroughName = (code: string) => boroughByCode(code)?.name ?? code;

export type TrajectoryView = {
  /** The id asked for. */
  requestedId: string;
  /** Who that is now (after merges). */
  entityId: string;
  points: TrajectoryPoint[];
  now: number;
  halfLifeDays: number;
  windowDays: number;
};

/** The trajectory as a lead reads it. Pure. */
export function formatTrajectory(view: TrajectoryView): string {
  const { points, now, halfLifeDays } = view;
  const lines: string[] = [];
  lines.push(`Perpetrator ${view.entityId}` + (view.requestedId !== view.entityId ? ` (asked for ${view.requestedId}, merged into it)` : '') + ': harm score over time');
  lines.push(`Harm in days of imprisonment, halved every ${halfLifeDays} days, over ${view.windowDays} days, × distinct victims (docs/HARM-SCORE.md).`);
  if (!points.length) {
    lines.push('', 'No score kept: the scorer has never ranked this person (no harm as a suspect in the window).');
    return lines.join('\n');
  }
  lines.push('');
  const rows = points.map((p) => [
    TIME.format(p.at),
    n1(p.score),
    Object.entries(p.perBorough)
      .sort(([, a], [, b]) => b - a)
      .map(([code, s]) => `${boroughName(code)} ${n1(s)}`)
      .join(', ') || '-',
    String(p.distinctVictims),
    p.serial ? 'yes' : 'no',
    p.why,
  ]);
  const head = ['When (London)', 'Score', 'By borough', 'Victims', 'Serial', 'What moved it'];
  const widths = head.map((h, i) => (i === head.length - 1 ? 0 : Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i]!) : i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  lines.push(line(head));
  for (const r of rows) lines.push(line(r));
  const last = points.at(-1)!;
  const current = scoreAt(last.scoreAtEpoch, now, halfLifeDays);
  const peak = points.reduce((top, p) => (p.score > top.score ? p : top), points[0]!);
  lines.push('');
  lines.push(`Now (${TIME.format(now)}): ${n1(current)}` + (last.at < now ? `, decayed from ${n1(last.score)} with no new records since ${TIME.format(last.at)}` : '') + '.');
  if (peak.score > 0 && peak !== last) {
    const change = (current - peak.score) / peak.score;
    lines.push(`Peak ${n1(peak.score)} on ${TIME.format(peak.at)}; now ${change <= 0 ? `${Math.round(-change * 100)}% lower` : `${Math.round(change * 100)}% higher`}.`);
  }
  return lines.join('\n');
}

export const command = defineCommand({
  name: 'target',
  summary: "a perpetrator's harm score over time, with what moved it: is the tactical plan reducing harm?",
  usage: 'dauntless target <entity-id> [--json]',
  description: `Prints a perpetrator's harm score over time: each time the scorer re-scored
them (a new record, one leaving the window, a merge), the score then, per
borough, the distinct victims, and what changed; then the score now, decayed.

Needs \`dauntless login\` as a lead, a supervisor, or an LPT officer of a
borough the target is scored in; written to the s62 audit log
(CONSULTATION target.viewed), a refusal too (exit 5).`,
  options: {
    json: { type: 'boolean', description: 'print the points as data' },
  },
  positionals: { min: 1, max: 1, what: 'entity id' },
  check: ({ values, positionals: [id] }) => ({ id: id!, json: values.json }),
  run: ({ id, json }, io) =>
    asSignedInPerson('target', (access) => withScorerState(async ({ graph, board, harm }) => {
      let points = await board.trajectory(id);
      let entityId = id;
      if (!points.length) {
        // Perhaps merged away: the graph answers with the person it is part of now.
        const [history] = await graph.histories([id], { maxEvents: 1 });
        if (history && history.entityId !== id) {
          entityId = history.entityId;
          points = await board.trajectory(entityId);
        }
      }
      const scoredIn = [...new Set(points.flatMap((p) => Object.keys(p.perBorough)))];
      const subjectIds = [...new Set([entityId, id])];
      const purpose = await access.require(mayReadTarget(access.user, scoredIn), { kind: 'CONSULTATION', action: 'target.viewed', subjectIds });
      await access.record({ kind: 'CONSULTATION', action: 'target.viewed', subjectIds, purpose });
      const view: TrajectoryView = { requestedId: id, entityId, points, now: Date.now(), halfLifeDays: harm.halfLifeDays, windowDays: harm.windowDays };
      io.stdout.write((json ? JSON.stringify(view, null, 2) : formatTrajectory(view)) + '\n');
      return points.length ? 0 : 1;
    })),
});
