import { webRunningLines } from './feed-text.ts';
import { describe, expect, it } from 'vitest';
import { formatIntelligence } from '../../shared/format/intel-format.ts';
import type { PersonIntelligence, PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { ServiceStartError } from './service-child.ts';
import { bannerLines, describeLogLine, resolverRunningLine, startFailure, feedEntry, seedingDoneLine, seedingProgressLine, shownPath, stopLines, type BannerInfo } from './feed-text.ts';

const banner: BannerInfo = {
  incidentTopic: 'cad.incidents.v1',
  intelTopic: 'dispatch.intel.v1',
  history: 2000,
  historySpanDays: 548,
  rate: 1,
  seed: '42',
  runId: 'Ltp2rmayy',
  seconds: undefined,
  resolverLogFile: '/repo/.stack/logs/live-resolver.log',
  liveLogFile: '/repo/.stack/logs/live.log',
  truthFile: '/repo/.stack/live-truth.jsonl',
  cwd: '/repo',
};

describe('the banner', () => {
  it('says what runs, where the logs and truth are, and how to stop', () => {
    const text = bannerLines(banner).join('\n');
    expect(text).toContain('ALL DATA SYNTHETIC');
    expect(text).toContain('cad.incidents.v1 -> dispatch.intel.v1');
    expect(text).toContain('2,000 calls of history over the last 18 months, then 1 call a second (seed 42, run Ltp2rmayy)');
    expect(text).toContain('.stack/logs/live-resolver.log (resolver), .stack/logs/live.log (this job)');
    expect(text).toContain('truth      .stack/live-truth.jsonl');
    expect(text).toContain('dauntless tail intel');
    expect(text).toMatch(/stop +Ctrl-C: .*the stack keeps running \(npm run stack:down stops it\)/);
  });

  it('names a fixed run time, no history and a faster rate', () => {
    const text = bannerLines({ ...banner, seconds: 20, history: 0, rate: 5 }).join('\n');
    expect(text).toContain('no history, 5 calls a second');
    expect(text).toContain('after 20 s, or Ctrl-C');
  });

  it('says, once the resolver runs, its graph, group and metrics as it read them itself', () => {
    const line = resolverRunningLine(4242, { msg: 'resolver running', graph: 'dauntless:{g}', groupId: 'dauntless-resolver', metricsPort: 9464 });
    expect(line).toBe('resolver running (pid 4242): graph dauntless:{g}, group dauntless-resolver, metrics http://127.0.0.1:9464/metrics');
    expect(resolverRunningLine(1, { graph: 'dauntless:{g}', groupId: 'g' })).toContain('metrics off (DAUNTLESS_METRICS_PORT=0)');
  });

  it('shows a path outside the working folder in full', () => {
    expect(shownPath('/elsewhere/live.log', '/repo')).toBe('/elsewhere/live.log');
    expect(shownPath('/repo/.stack/live.log', '/repo')).toBe('.stack/live.log');
  });
});

describe('seeding progress', () => {
  it('counts answered calls of the history while it is sent', () => {
    expect(seedingProgressLine({ answered: 1200, sent: 1500, total: 2000, seconds: 3.4 })).toBe('seeding history: 1,200/2,000 calls answered (1,500 sent, 3 s)');
    expect(seedingProgressLine({ answered: 1999, sent: 2000, total: 2000, seconds: 6 })).toBe('seeding history: 1,999/2,000 calls answered (all sent, 6 s)');
  });

  it('says when the resolver is working through a backlog from before', () => {
    expect(seedingProgressLine({ answered: 0, sent: 2000, total: 2000, seconds: 9, earlier: 5000 })).toContain('the resolver also caught up on 5,000 earlier calls');
  });

  it('closes with the time taken, or why it went live without every answer', () => {
    expect(seedingDoneLine({ answered: 300, sent: 300, total: 300, seconds: 2.44, stalled: false })).toBe('history seeded: 300 calls answered in 2.4 s');
    expect(seedingDoneLine({ answered: 298, sent: 300, total: 300, seconds: 64, stalled: true })).toMatch(/298 of 300 calls answered .*going live without the rest/);
  });
});

const person = (over: Partial<PersonIntelligence>): PersonIntelligence => ({
  partyId: 'P1', roles: ['VICTIM'], entityId: 'E-0001', match: 'NEW_PERSON', matchProbability: null, matchEvidence: [], previousIncidents: [],
  incidentsLast12Months: 0, incidentsAllTime: 0, highestRiskLevel: null, latestRiskLevel: null, maracLast12Months: false, repeatMarac: false,
  serialPerpetrator: false, otherVictimEntityIds: [], weaponsMentionedBefore: [], activeOrders: [], bailConditions: [], childrenAtAddress: false,
  counterAllegation: false, ...over,
});
const RECEIVED = Date.UTC(2026, 10, 25, 14, 3, 7);
const firstCall: PreArrivalIntelligence = {
  incidentId: 'CAD-20261125-L1-1', sourceEventId: 'CAD-20261125-L1-1:v1', boroughCode: 'E09000008', receivedAt: RECEIVED, generatedAt: RECEIVED + 12,
  summary: 'No previous incidents known for anyone in this call.', hasHistory: false, incomplete: [], warningMarkers: [], persons: [person({})],
};
const repeatCall: PreArrivalIntelligence = {
  ...firstCall,
  incidentId: 'CAD-20261125-L1-2',
  summary: 'Victim: 3 previous incidents (2 in 12 months).',
  hasHistory: true,
  incomplete: [],
  warningMarkers: ['REPEAT_VICTIM'],
  persons: [person({ match: 'MATCHED', matchProbability: 0.999, incidentsLast12Months: 2, incidentsAllTime: 3 })],
};

describe('a live call in the feed', () => {
  it('is the dispatcher’s format as it is when nobody has history', () => {
    expect(feedEntry(firstCall)).toBe(formatIntelligence(firstCall));
  });

  it('tags and bars every line of a call with history, so it stands out', () => {
    const lines = feedEntry(repeatCall).split('\n');
    expect(lines[0]).toBe('┃  HISTORY  == CAD-20261125-L1-2  Croydon  received 2026-11-25 14:03:07  intel after 12 ms');
    expect(lines.length).toBe(formatIntelligence(repeatCall).split('\n').length);
    expect(lines.every((line) => line.startsWith('┃ '))).toBe(true);
  });

  it('colours the tag and bar only when asked', () => {
    expect(feedEntry(repeatCall)).not.toContain('\u001b[');
    expect(feedEntry(repeatCall, { colour: true })).toContain('\u001b[1;30;43m HISTORY \u001b[0m');
  });
});

describe('stopping', () => {
  it('sums up the live calls and says the stack still runs', () => {
    expect(stopLines({ sent: 16, answered: 16, withHistory: 11 }, { failed: false })).toEqual([
      'live calls: 16 sent, 16 answered, 11 with history',
      'stopped. The stack is still running: npm run stack:down stops it.',
    ]);
    expect(stopLines({ sent: 0, answered: 0, withHistory: 0 }, { failed: true })[1]).toMatch(/after a failure/);
  });
});

describe('a resolver log line when it dies', () => {
  it('reads a pino line as time, level, message, code and cause', () => {
    const line = JSON.stringify({ level: 60, time: '2026-11-25T14:03:07.123Z', service: 'resolver', code: 'CONFIG_INVALID', err: { message: 'listen EADDRINUSE' }, msg: 'could not start' });
    expect(describeLogLine(line)).toBe('14:03:07 FATAL could not start [CONFIG_INVALID] (listen EADDRINUSE)');
  });

  it('names the incident a line is about', () => {
    const line = JSON.stringify({ level: 30, time: '2026-11-25T14:03:07.123Z', incidentId: 'CAD-20261125-L1-2', msg: 'incident resolved; intelligence built' });
    expect(describeLogLine(line)).toBe('14:03:07 INFO incident resolved; intelligence built CAD-20261125-L1-2');
  });

  it('leaves a line that is not JSON as it is', () => {
    expect(describeLogLine('node:internal/modules/cjs/loader:1228')).toBe('node:internal/modules/cjs/loader:1228');
    expect(describeLogLine('42')).toBe('42');
  });
});

describe('a service that did not start', () => {
  it('says why, where its log is, and its last lines', () => {
    const lines = Array.from({ length: 15 }, (_, i) => `{"msg":"line ${i}"}`);
    const { message, lines: shown } = startFailure('scorer', new ServiceStartError('the scorer exited (code 1) before it was running', lines), '.stack/logs/live-scorer.log', 'DAUNTLESS_SCORER_METRICS_PORT');
    expect(message).toBe('the scorer exited (code 1) before it was running. Its log is .stack/logs/live-scorer.log; last lines:');
    expect(shown).toEqual(lines.slice(-12));
  });

  it('says which variable moves a metrics port that another process holds', () => {
    const error = new ServiceStartError('the resolver exited (code 1) before it was running', ['{"msg":"listen EADDRINUSE: address already in use :::9464"}']);
    expect(startFailure('resolver', error, 'r.log', 'DAUNTLESS_METRICS_PORT').message).toContain('is another resolver running (npm start, npm run resolver)? Stop it, or set DAUNTLESS_METRICS_PORT.');
  });
});

describe('webRunningLines', () => {
  it('says where the web app is, then how to sign in', () => {
    const lines = webRunningLines({ url: 'http://127.0.0.1:8080' }, ['Sign in through http://idp, as one of these:', 'lpt.lambeth  lpt-officer']).join('\n');
    expect(lines).toContain('http://127.0.0.1:8080');
    expect(lines).toContain('  lpt.lambeth');
  });

  it('points to the identity provider when the stack seeded nobody', () => {
    expect(webRunningLines({ url: 'u', issuer: 'https://idp.example' }, []).join('\n')).toContain('https://idp.example');
  });
});
