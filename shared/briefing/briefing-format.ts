// The Operation Dauntless briefing for a local policing team, as Markdown or
// HTML: the borough (real name and BCU), the date, what changed since the
// last briefing, and the top five, each with the score broken down record by
// record, the distinct victims (entity ids, never names), the last incident,
// active orders and bail conditions, and the flags that matter to officers
// (serial, weapons, counter-allegations). Pure: `dauntless briefing` builds
// the model from Redis and the graph, this turns it into text.
//
// Every value that came from a message (ids, order conditions, bail wording)
// is escaped for the format it lands in, so nothing in the data can inject
// markup into the document an LPT opens.
import { boroughByCode } from '../geography/boroughs.ts';
import type { CounterAllegation, HarmContribution, HarmScore } from '../harm/harm-score.ts';
import type { TopFiveDiff } from '../harm/rank.ts';
import type { ActiveBailCondition, ActiveOrder } from '../contracts/intelligence.ts';

/** One perpetrator of a borough's top five, as the briefing shows them. */
export type BriefingPerpetrator = {
  rank: number;
  entityId: string;
  /** The score in this borough: what they rank on. */
  score: number;
  /** The score over every borough. */
  totalScore: number;
  victimMultiplier: number;
  /** This borough's records, newest first. */
  contributions: HarmContribution[];
  /** Other boroughs where they also cause harm, highest first. */
  otherBoroughs: { boroughCode: string; score: number }[];
  victimEntityIds: string[];
  lastIncidentAt: number | null;
  incidents12m: number;
  serial: boolean;
  serialEvidence: { incidents: number; victimEntityIds: string[]; lookbackDays: number };
  weapons: string[];
  childrenPresent: boolean;
  counterAllegations: CounterAllegation[];
  activeOrders: ActiveOrder[];
  bailConditions: ActiveBailCondition[];
};

export type BriefingModel = {
  /** ONS code of the borough briefed. */
  boroughCode: string;
  /** ms since the epoch. */
  generatedAt: number;
  /** When this borough's last briefing was written; null for the first. */
  previousBriefingAt: number | null;
  /** The score's recency half-life and window, in days, so the reader knows what "score" means. */
  halfLifeDays: number;
  windowDays: number;
  topFive: BriefingPerpetrator[];
  /** The change since the last briefing; null for the first. */
  change: TopFiveDiff | null;
};

export type BriefingFormat = 'md' | 'html';

/** A perpetrator of a borough's ranking, from their harm score and what the graph says of their orders and bail. */
export function briefingPerpetrator(
  rank: number,
  boroughCode: string,
  score: HarmScore,
  justice: { activeOrders: ActiveOrder[]; bailConditions: ActiveBailCondition[] } = { activeOrders: [], bailConditions: [] },
): BriefingPerpetrator {
  return {
    rank,
    entityId: score.entityId,
    score: score.perBorough[boroughCode] ?? 0,
    totalScore: score.score,
    victimMultiplier: score.victimMultiplier,
    contributions: score.contributions.filter((c) => c.boroughCode === boroughCode),
    otherBoroughs: Object.entries(score.perBorough)
      .filter(([code]) => code !== boroughCode)
      .map(([code, s]) => ({ boroughCode: code, score: s }))
      .sort((a, b) => b.score - a.score || a.boroughCode.localeCompare(b.boroughCode)),
    victimEntityIds: score.victimEntityIds,
    lastIncidentAt: score.lastIncidentAt,
    incidents12m: score.incidents12m,
    serial: score.serial,
    serialEvidence: score.serialEvidence,
    weapons: score.weapons,
    childrenPresent: score.childrenPresent,
    counterAllegations: score.counterAllegations,
    activeOrders: justice.activeOrders,
    bailConditions: justice.bailConditions,
  };
}

const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const day = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? 'none known' : DAY.format(ms));
const when = (ms: number) => (Number.isFinite(ms) ? `${TIME.format(ms)} (London)` : '-');
const n1 = (x: number) => (Number.isFinite(x) ? (Math.round(x * 10) / 10).toFixed(1) : '-');
const words = (symbol: string) => symbol.toLowerCase().replaceAll('_', ' ');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const boroughName = (code: string) => boroughByCode(code)?.name ?? code;

/** Text for the page: control characters (escape sequences included) become spaces. */
const clean = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

/**
 * Markdown: the punctuation that can open markup inside a line (emphasis, code, links, raw HTML, entities, table
 * cells) is backslash-escaped, as CommonMark allows for any ASCII punctuation. Values never start a line, so list
 * and heading markers need no escape.
 */
export function escapeMarkdown(text: string): string {
  return clean(text).replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return clean(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The briefing as a structure of plain strings (not yet escaped), so both formats say the same
 * things; each format escapes as it writes.
 */
type Fact = [label: string, value: string];
type Row = { when: string; record: string; why: string; points: string };
type PerpetratorBlock = { heading: string; facts: Fact[]; rows: Row[]; sum: string; multiplied: string; multiplier: string; alarms: string[] };
type ChangeLine = { what: 'Entered' | 'Left' | 'Moved'; text: string };

function orderText(o: ActiveOrder): string {
  const until = o.expiresAt === null ? 'no end date' : `until ${day(o.expiresAt)}`;
  return `${o.orderType} ${until}${o.conditions.length ? `: ${o.conditions.join('; ')}` : ''}`;
}

function bailText(b: ActiveBailCondition): string {
  return `${words(b.kind)}: ${b.description}${b.expiresAt === null ? '' : ` (until ${day(b.expiresAt)})`}`;
}

function counterText(c: CounterAllegation): string {
  return `with ${c.otherEntityId}: suspect ${plural(c.asSuspect, 'time')}, victim ${plural(c.asVictim, 'time')}; first as ${c.firstRole.toLowerCase()}`;
}

const recordText = (c: HarmContribution) =>
  c.kind === 'INCIDENT' ? `incident ${c.incidentId ?? c.eventId}` : c.kind === 'ORDER_BREACH' ? `order breach ${c.eventId}` : `conviction ${c.eventId}`;

function block(p: BriefingPerpetrator, model: BriefingModel): PerpetratorBlock {
  const alarms: string[] = [];
  if (p.serial) alarms.push(`SERIAL perpetrator (MATAC: ${plural(p.serialEvidence.incidents, 'incident')} against ${plural(p.serialEvidence.victimEntityIds.length, 'victim')} in ${Math.round(p.serialEvidence.lookbackDays / 365)} years)`);
  if (p.weapons.includes('FIREARM')) alarms.push('FIREARM mentioned');
  if (p.weapons.length) alarms.push(`weapons: ${p.weapons.map(words).join(', ')}`);
  if (p.counterAllegations.length) alarms.push(`counter-allegation ${p.counterAllegations.map(counterText).join(' | ')}`);
  if (p.childrenPresent) alarms.push('children present at incidents');

  const facts: Fact[] = [
    // Flags are shown above the table when there are any.
    ...(alarms.length ? [] : ([['Flags', 'none']] as Fact[])),
    ['Distinct victims', p.victimEntityIds.length ? `${p.victimEntityIds.length}: ${p.victimEntityIds.join(', ')}` : 'none identified'],
    ['Last incident', day(p.lastIncidentAt)],
    ['Incidents in 12 months', String(p.incidents12m)],
    ['Active orders', p.activeOrders.length ? p.activeOrders.map(orderText).join(' | ') : 'none known'],
    ['Bail conditions', p.bailConditions.length ? p.bailConditions.map(bailText).join(' | ') : 'none known'],
    ['Harm elsewhere', p.otherBoroughs.length ? p.otherBoroughs.map((o) => `${boroughName(o.boroughCode)} ${n1(o.score)}`).join(', ') : 'none'],
  ];
  const rows = p.contributions.map((c) => ({ when: day(c.occurredAt), record: recordText(c), why: c.why, points: n1(c.harm) }));
  const sum = p.contributions.reduce((s, c) => s + c.harm, 0);
  return {
    heading: `${p.rank}. ${p.entityId}: harm ${n1(p.score)} in ${boroughName(model.boroughCode)}`,
    facts,
    rows,
    sum: n1(sum),
    multiplier: `× ${n1(p.victimMultiplier)} for ${plural(p.victimEntityIds.length, 'distinct victim')}`,
    multiplied: n1(p.score),
    alarms,
  };
}

function changeLines(change: TopFiveDiff): ChangeLine[] {
  return [
    ...change.entered.map((e) => ({ what: 'Entered' as const, text: `${e.entityId} at ${e.rank}: ${e.reason}` })),
    ...change.left.map((l) => ({ what: 'Left' as const, text: `${l.entityId} (was ${l.previousRank}): ${l.reason}` })),
    ...change.moved.map((m) => ({ what: 'Moved' as const, text: `${m.entityId} ${m.from} → ${m.to}: ${m.reason}` })),
  ];
}

function heading(model: BriefingModel) {
  const borough = boroughByCode(model.boroughCode);
  return {
    title: `Operation Dauntless briefing: ${borough?.name ?? model.boroughCode}`,
    facts: [
      ['Borough', `${borough?.name ?? 'unknown borough'} (${model.boroughCode})`],
      ['BCU', borough?.bcu ?? 'unknown'],
      ['Date', when(model.generatedAt)],
      ['Previous briefing', model.previousBriefingAt === null ? 'none: this is the first' : when(model.previousBriefingAt)],
    ] as Fact[],
    about:
      `Harm is counted in days of imprisonment (sentencing starting points, Cambridge Crime Harm Index style; coercive control, stalking, strangulation and threats to kill weighted for homicide risk), ` +
      `halved every ${model.halfLifeDays} days, summed over ${model.windowDays} days and multiplied up for each distinct victim. ` +
      'People are named by entity id only: look them up in the system of record with your own access.',
  };
}

function markdown(model: BriefingModel): string {
  const md = escapeMarkdown;
  const cell = (text: string) => md(text);
  const h = heading(model);
  const out: string[] = [`# ${md(h.title)}`, ''];
  for (const [label, value] of h.facts) out.push(`- **${md(label)}:** ${md(value)}`);
  out.push('', md(h.about), '', '## Change since the last briefing', '');
  if (!model.change) out.push('First briefing for this borough: nothing to compare.');
  else if (model.change.unchanged) out.push('No change: the same five in the same order.');
  else for (const line of changeLines(model.change)) out.push(`- **${line.what}:** ${md(line.text)}`);
  out.push('', '## Top five', '');
  if (!model.topFive.length) out.push('Nobody in this borough has a harm score in the window.');
  for (const p of model.topFive) {
    const b = block(p, model);
    out.push(`### ${md(b.heading)}`, '');
    if (b.alarms.length) out.push(`> **Flags:** ${md(b.alarms.join('; '))}`, '');
    out.push('| | |', '| --- | --- |');
    for (const [label, value] of b.facts) out.push(`| ${cell(label)} | ${cell(value)} |`);
    out.push('', `Score breakdown in ${md(boroughName(model.boroughCode))}:`, '', '| When | Record | Why | Points |', '| --- | --- | --- | ---: |');
    for (const r of b.rows) out.push(`| ${cell(r.when)} | ${cell(r.record)} | ${cell(r.why)} | ${cell(r.points)} |`);
    out.push(`| | | Sum | ${cell(b.sum)} |`, `| | | ${cell(b.multiplier)} | **${cell(b.multiplied)}** |`, '');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}',
  'table{border-collapse:collapse;margin:.5rem 0 1rem}',
  'th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}',
  'td.n{text-align:right}',
  '.alarm{background:#fde8e8;border-left:4px solid #b00;padding:.5rem}',
].join('');

function html(model: BriefingModel): string {
  const e = escapeHtml;
  const h = heading(model);
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en-GB">',
    `<head><meta charset="utf-8"><title>${e(h.title)}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>${e(h.title)}</h1>`,
    '<dl class="heading">',
    ...h.facts.map(([label, value]) => `<dt>${e(label)}</dt><dd>${e(value)}</dd>`),
    '</dl>',
    `<p class="about">${e(h.about)}</p>`,
    '<section class="change"><h2>Change since the last briefing</h2>',
  ];
  if (!model.change) out.push('<p>First briefing for this borough: nothing to compare.</p>');
  else if (model.change.unchanged) out.push('<p>No change: the same five in the same order.</p>');
  else out.push('<ul>', ...changeLines(model.change).map((l) => `<li><strong>${e(l.what)}:</strong> ${e(l.text)}</li>`), '</ul>');
  out.push('</section>', '<section class="top-five"><h2>Top five</h2>');
  if (!model.topFive.length) out.push('<p>Nobody in this borough has a harm score in the window.</p>');
  for (const p of model.topFive) {
    const b = block(p, model);
    out.push(`<article class="perpetrator" data-rank="${p.rank}" data-entity-id="${e(p.entityId)}">`, `<h3>${e(b.heading)}</h3>`);
    if (b.alarms.length) out.push(`<p class="alarm"><strong>Flags:</strong> ${e(b.alarms.join('; '))}</p>`);
    out.push('<table class="facts"><tbody>', ...b.facts.map(([label, value]) => `<tr><th scope="row">${e(label)}</th><td>${e(value)}</td></tr>`), '</tbody></table>');
    out.push(
      `<table class="breakdown"><caption>Score breakdown in ${e(boroughName(model.boroughCode))}</caption>`,
      '<thead><tr><th>When</th><th>Record</th><th>Why</th><th>Points</th></tr></thead><tbody>',
      ...b.rows.map((r) => `<tr><td>${e(r.when)}</td><td>${e(r.record)}</td><td>${e(r.why)}</td><td class="n">${e(r.points)}</td></tr>`),
      '</tbody><tfoot>',
      `<tr><td colspan="3">Sum</td><td class="n">${e(b.sum)}</td></tr>`,
      `<tr><td colspan="3">${e(b.multiplier)}</td><td class="n"><strong>${e(b.multiplied)}</strong></td></tr>`,
      '</tfoot></table>',
      '</article>',
    );
  }
  out.push('</section>', '</body>', '</html>');
  return out.join('\n') + '\n';
}

export function formatBriefing(model: BriefingModel, format: BriefingFormat): string {
  if (format === 'md') return markdown(model);
  if (format === 'html') return html(model);
  throw new TypeError(`formatBriefing: format must be "md" or "html", not "${String(format)}"`);
}
