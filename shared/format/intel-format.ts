// Pre-arrival intelligence as a dispatcher reads it in a live feed: a
// heading (incident, borough, when the call came in, how long after it the
// intelligence came), the summary line, the officer-safety markers, then one
// short block per person. Pure, so it is tested without Kafka. Text from a
// message is stripped of control characters before it reaches the terminal.
import { boroughByCode } from '../geography/boroughs.ts';
import type { ActiveBailCondition, ActiveOrder, IncompletePicture, PersonIntelligence, PreArrivalIntelligence } from '../contracts/intelligence.ts';

export type FormatIntelligenceOptions = {
  /** ANSI colours (bold red for officer safety, yellow for doubt). Default off; see useColour. */
  colour?: boolean;
};

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

type Paint = (text: string) => string;
type Palette = { alarm: Paint; warn: Paint; good: Paint; dim: Paint; strong: Paint };

const ansi = (open: string): Paint => (text) => `\u001b[${open}m${text}\u001b[0m`;
const COLOURS: Palette = { alarm: ansi('1;31'), warn: ansi('33'), good: ansi('32'), dim: ansi('2'), strong: ansi('1') };
const plain: Paint = (text) => text;
const PLAIN: Palette = { alarm: plain, warn: plain, good: plain, dim: plain, strong: plain };

// C0 and C1 controls (escape sequences included): a message must not be able to drive the terminal.
const clean = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

const TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });

/** "2026-11-25 14:03:07", London time. */
function londonTime(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const p = Object.fromEntries(TIME.formatToParts(ms).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

const day = (ms: number) => (Number.isFinite(ms) ? DAY.format(ms) : '-');

/** 850 ms, 12.3 s, 4 min 12 s: how long after the call the intelligence was produced. */
export function formatDelay(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 0) return `${formatDelay(-ms)} before the call (clock skew)`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const RISK_RANK: Record<string, number> = { STANDARD: 1, MEDIUM: 2, HIGH: 3 };

function risk(level: string | null, c: Palette): string {
  if (!level) return 'none recorded';
  const text = clean(level);
  return (RISK_RANK[level] ?? 0) >= 3 ? c.alarm(text) : (RISK_RANK[level] ?? 0) === 2 ? c.warn(text) : text;
}

function matchText(p: PersonIntelligence, c: Palette): string {
  const probability = p.matchProbability === null ? '' : ` p=${p.matchProbability.toFixed(3)}`;
  if (p.match === 'NEW_PERSON') return 'new person';
  if (p.match === 'POSSIBLE_MATCH') return c.warn(`POSSIBLE match${probability}: check identity`);
  return `matched${probability}`;
}

function orderText(o: ActiveOrder): string {
  const conditions = o.conditions.length ? ` (${o.conditions.map(clean).join(', ')})` : '';
  return `order ${clean(o.orderType)} ${o.expiresAt === null ? '(no end date)' : `until ${day(o.expiresAt)}`}${conditions}`;
}

function bailText(b: ActiveBailCondition): string {
  return `bail ${clean(b.kind)}: ${clean(b.description)}` + (b.expiresAt === null ? '' : ` (until ${day(b.expiresAt)})`);
}

function hasAnyFlag(p: PersonIntelligence): boolean {
  return (
    p.incidentsAllTime > 0 ||
    p.serialPerpetrator ||
    p.counterAllegation ||
    p.maracLast12Months ||
    p.repeatMarac ||
    p.weaponsMentionedBefore.length > 0 ||
    p.childrenAtAddress ||
    p.activeOrders.length > 0 ||
    p.bailConditions.length > 0
  );
}

function personLines(p: PersonIntelligence, c: Palette): string[] {
  const roles = p.roles.length ? p.roles.map(clean).join('/') : 'PARTY';
  const head = `  * ${c.strong(roles)}  entity ${clean(p.entityId)}  ${matchText(p, c)}`;
  if (!hasAnyFlag(p)) return [`${head}  ${c.dim('no previous incidents')}`];

  const lines = [head];
  const history = [
    p.incidentsAllTime === 0 ? 'no previous incidents' : `previous incidents: ${p.incidentsLast12Months} in 12 months, ${p.incidentsAllTime} in all`,
  ];
  if (p.highestRiskLevel || p.latestRiskLevel) history.push(`risk: highest ${risk(p.highestRiskLevel, c)}, latest ${risk(p.latestRiskLevel, c)}`);
  lines.push(`      ${history.join(' | ')}`);

  const flags: string[] = [];
  if (p.serialPerpetrator) {
    const others = p.otherVictimEntityIds.length;
    flags.push(c.alarm('SERIAL perpetrator') + (others ? ` (${others} other victim${others === 1 ? '' : 's'}: ${p.otherVictimEntityIds.map(clean).join(', ')})` : ''));
  }
  if (p.counterAllegation) flags.push(c.warn('COUNTER-ALLEGATION: roles reversed before'));
  if (p.maracLast12Months) flags.push(c.alarm('MARAC in last 12 months'));
  if (p.repeatMarac) flags.push(c.alarm('repeat MARAC'));
  if (p.weaponsMentionedBefore.length) {
    const weapons = p.weaponsMentionedBefore.map(clean).join(', ');
    flags.push(c.alarm(`weapons before: ${weapons}`));
  }
  if (p.childrenAtAddress) flags.push(c.warn('children at address'));
  if (flags.length) lines.push(`      ${flags.join(' | ')}`);

  for (const order of p.activeOrders) lines.push(`      ${c.alarm(orderText(order))}`);
  for (const bail of p.bailConditions) lines.push(`      ${c.alarm(bailText(bail))}`);
  return lines;
}

/** A part of the picture intelligence was built without, as one sentence for a dispatcher (the summary, the card, the feed). */
export function incompleteWords(missing: IncompletePicture): string {
  const behind = missing.messagesBehind === null ? 'not read yet' : `${missing.messagesBehind} ${missing.messagesBehind === 1 ? 'record' : 'records'} behind`;
  if (missing.reason === 'JUSTICE_BEHIND') return `Built without the latest justice records (${behind}): orders, bail and MARAC may be missing.`;
  return `Built without part of the picture (${clean(missing.reason)}, ${behind}).`;
}

/** A few lines for one pre-arrival intelligence message, no trailing newline. */
export function formatIntelligence(intel: PreArrivalIntelligence, opts: FormatIntelligenceOptions = {}): string {
  const c = opts.colour ? COLOURS : PLAIN;
  const borough = boroughByCode(intel.boroughCode)?.name ?? `borough ${clean(intel.boroughCode)}`;
  const lines = [
    `${c.strong(`== ${clean(intel.incidentId)}`)}  ${borough}  received ${londonTime(intel.receivedAt)}  intel after ${formatDelay(intel.generatedAt - intel.receivedAt)}`,
    `  ${intel.hasHistory ? c.strong(clean(intel.summary)) : c.good(clean(intel.summary))}`,
  ];
  if (intel.warningMarkers.length) lines.push(`  ${c.alarm(`!! ${intel.warningMarkers.map(clean).join('  ')}`)}`);
  // Absent from intelligence written before the field was (read with an older schema): nothing missing then.
  for (const missing of intel.incomplete ?? []) lines.push(`  ${c.warn(`?? ${incompleteWords(missing)}`)}`);
  for (const person of intel.persons) lines.push(...personLines(person, c));
  return lines.join('\n');
}
