// What the main job prints, as pure functions of what happened: the banner,
// the seeding progress line, one entry per live call's intelligence, the
// words on stopping, and a resolver log line made readable. Tested without
// Kafka; main.ts only writes them. Nothing here prints a name or a phone
// number: the intelligence carries entity ids, and log lines carry ids.
import { relative, isAbsolute } from 'node:path';
import { formatIntelligence } from '../../shared/format/intel-format.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { ServiceStartError } from './service-child.ts';

type Paint = (text: string) => string;
const ansi = (open: string): Paint => (text) => `\u001b[${open}m${text}\u001b[0m`;
const plain: Paint = (text) => text;
const palette = (colour: boolean) =>
  colour
    ? { strong: ansi('1'), dim: ansi('2'), tag: ansi('1;30;43'), bar: ansi('33'), alarm: ansi('1;31') }
    : { strong: plain, dim: plain, tag: plain, bar: plain, alarm: plain };

/** A path as the user would type it from `cwd`: relative when inside it. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export type BannerInfo = {
  incidentTopic: string;
  intelTopic: string;
  history: number;
  historySpanDays: number;
  rate: number;
  seed: string;
  runId: string;
  seconds: number | undefined;
  resolverLogFile: string;
  liveLogFile: string;
  truthFile: string;
  cwd: string;
};

const count = (n: number) => n.toLocaleString('en-GB');
const perSecond = (rate: number) => (rate === 1 ? '1 call a second' : `${rate} calls a second`);

/** The lines at the top of the feed: what runs, where to look, how to stop. */
export function bannerLines(b: BannerInfo, { colour = false }: { colour?: boolean } = {}): string[] {
  const c = palette(colour);
  const history =
    b.history > 0 ? `${count(b.history)} calls of history over the last ${Math.round(b.historySpanDays / 30.4)} months, then ` : 'no history, ';
  const stop = b.seconds === undefined ? 'Ctrl-C' : `after ${b.seconds} s, or Ctrl-C`;
  return [
    `${c.strong('Dauntless: pre-arrival intelligence, live')}   ${c.alarm('ALL DATA SYNTHETIC')}`,
    `  resolver   ${b.incidentTopic} -> ${b.intelTopic}`,
    `  simulator  ${history}${perSecond(b.rate)} (seed ${b.seed}, run ${b.runId})`,
    `  logs       ${shownPath(b.resolverLogFile, b.cwd)} (resolver), ${shownPath(b.liveLogFile, b.cwd)} (this job)`,
    `  truth      ${shownPath(b.truthFile, b.cwd)}`,
    `  same feed  npx dauntless login, then npx dauntless tail intel   (in another terminal, as a control-room user)`,
    `  stop       ${stop}: stops the simulator, the feed and the resolver; the stack keeps running (npm run stack:down stops it)`,
  ];
}

/**
 * Once the resolver runs: its pid, and what it read from its own configuration (its ready line: graph, groupId,
 * metricsPort, the last absent when it serves none).
 */
export function resolverRunningLine(pid: number, ready: Record<string, unknown>): string {
  const metrics = typeof ready.metricsPort === 'number' ? `http://127.0.0.1:${ready.metricsPort}/metrics` : 'off (DAUNTLESS_METRICS_PORT=0)';
  return `resolver running (pid ${pid}): graph ${String(ready.graph ?? '?')}, group ${String(ready.groupId ?? '?')}, metrics ${metrics}`;
}

export type SeedingProgress = {
  /** History calls whose intelligence has come back. */
  answered: number;
  /** History calls sent so far. */
  sent: number;
  total: number;
  /** Since seeding began. */
  seconds: number;
  /** Answers to calls from before this run that the resolver worked through meanwhile (a backlog). */
  earlier?: number;
};

/** "seeding history: 1,200/2,000 calls answered (all sent, 6 s)". */
export function seedingProgressLine({ answered, sent, total, seconds, earlier = 0 }: SeedingProgress): string {
  const sending = sent < total ? `${count(sent)} sent` : 'all sent';
  const backlog = earlier > 0 ? `; the resolver also caught up on ${count(earlier)} earlier calls` : '';
  return `seeding history: ${count(answered)}/${count(total)} calls answered (${sending}, ${Math.round(seconds)} s${backlog})`;
}

/** The line that closes seeding: how long it took, or why it went on without every answer. */
export function seedingDoneLine({ answered, total, seconds, stalled }: SeedingProgress & { stalled: boolean }): string {
  const took = `${seconds.toFixed(1)} s`;
  if (!stalled) return `history seeded: ${count(answered)} calls answered in ${took}`;
  return (
    `history seeded: ${count(answered)} of ${count(total)} calls answered in ${took}; going live without the rest ` +
    `(dead-lettered? see dauntless tail dlq and the resolver log)`
  );
}

/** One live call's intelligence for the feed: a call with history is tagged and barred so it stands out. */
export function feedEntry(intel: PreArrivalIntelligence, { colour = false }: { colour?: boolean } = {}): string {
  const text = formatIntelligence(intel, { colour });
  if (!intel.hasHistory) return text;
  const c = palette(colour);
  const [heading = '', ...rest] = text.split('\n');
  return [`${c.bar('┃')} ${c.tag(' HISTORY ')} ${heading}`, ...rest.map((line) => `${c.bar('┃')} ${line}`)].join('\n');
}

export type LiveCounts = { sent: number; answered: number; withHistory: number };

/** The words on stopping. */
export function stopLines({ sent, answered, withHistory }: LiveCounts, { failed }: { failed: boolean }): string[] {
  return [
    `live calls: ${count(sent)} sent, ${count(answered)} answered, ${count(withHistory)} with history`,
    failed
      ? 'stopped after a failure (above). The stack is still running: npm run stack:down stops it.'
      : 'stopped. The stack is still running: npm run stack:down stops it.',
  ];
}

/**
 * A pino JSON line as "14:03:07 ERROR message CAD-... [CODE] (error message)", for the few
 * lines shown when the resolver dies; a line that is not JSON as it is.
 */
export function describeLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null) return line;
  const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = LEVELS[entry.level as number] ?? String(entry.level ?? '');
  const err = entry.err as { message?: unknown } | undefined;
  const cause = typeof err?.message === 'string' && err.message !== entry.msg ? ` (${err.message})` : '';
  const code = typeof entry.code === 'string' ? ` [${entry.code}]` : '';
  const incident = typeof entry.incidentId === 'string' ? ` ${entry.incidentId}` : '';
  return `${time} ${level} ${String(entry.msg ?? '')}${incident}${code}${cause}`.trim();
}

/**
 * What to say when a service child did not start: why, a hint when its metrics port was taken (another resolver
 * running), where its log is, and its last lines.
 */
export function startFailure(name: string, error: unknown, logFile: string, portVariable: string): { message: string; lines: string[] } {
  const lines = error instanceof ServiceStartError ? error.lines : [];
  const portTaken = lines.some((line) => line.includes('EADDRINUSE'))
    ? ` Its metrics port is taken: is another ${name} running (npm start, npm run ${name})? Stop it, or set ${portVariable}.`
    : '';
  return { message: `${(error as Error).message}.${portTaken} Its log is ${logFile}; last lines:`, lines: lines.slice(-12) };
}

/** What `npm start` says once the web service runs: where it is, then how to sign in (describeSignIn: users, never passwords). */
export function webRunningLines(ready: Record<string, unknown>, signIn: readonly string[]): string[] {
  const lines = [`web app running at ${String(ready.url ?? 'http://127.0.0.1:8080')}: the control room's feed, the boroughs' top five, briefings and the audit log`];
  return [...lines, ...(signIn.length ? signIn.map((l) => `  ${l}`) : [`  sign in with a user of the identity provider at ${String(ready.issuer ?? 'OIDC_ISSUER')}`])];
}
