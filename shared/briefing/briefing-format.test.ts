import { describe, expect, it } from 'vitest';
import { DEFAULT_HARM_CONFIG } from '../harm/harm-config.ts';
import { harmScore } from '../harm/harm-score.ts';
import { diffTopFive, rankBorough } from '../harm/rank.ts';
import { DAY, LAMBETH, NOW, SOUTHWARK, historyOf, incident } from '../harm/test-support.ts';
import type { GraphEvent } from '../graph/incident-graph.ts';
import { briefingPerpetrator, escapeHtml, escapeMarkdown, formatBriefing, type BriefingModel } from './briefing-format.ts';

// A simulated Lambeth: E-p1 abuses two partners (one of them also reported E-p1), with a knife and children present;
// E-p2 is a coercive controller; E-p3 a one-off assault, in Lambeth and Southwark.
const events: GraphEvent[] = [
  incident('CAD-101', 200, [['E-p1', ['SUSPECT']], ['E-v1', ['VICTIM']]], { abuseTypes: ['PHYSICAL'], injuries: ['MINOR'] }),
  incident('CAD-102', 150, [['E-v1', ['SUSPECT']], ['E-p1', ['VICTIM']]], { abuseTypes: ['PHYSICAL'] }),
  incident('CAD-103', 3, [['E-p1', ['SUSPECT']], ['E-v2', ['VICTIM']]], { abuseTypes: ['STRANGULATION', 'THREATS_TO_KILL'], weapons: ['KNIFE'], childrenPresent: true }),
  incident('CAD-201', 40, [['E-p2', ['SUSPECT']], ['E-v3', ['VICTIM']]], { abuseTypes: ['COERCIVE_CONTROL', 'ECONOMIC'] }),
  incident('CAD-301', 10, [['E-p3', ['SUSPECT']], ['E-v4', ['VICTIM']]], { abuseTypes: ['PHYSICAL'] }),
  incident('CAD-302', 12, [['E-p3', ['SUSPECT']], ['E-v4', ['VICTIM']]], { abuseTypes: ['PHYSICAL'], boroughCode: SOUTHWARK }),
];
const scoreOf = (id: string, at = NOW) => harmScore(id, historyOf(id, events.filter((e) => e.partyEntityIds.includes(id))), at, DEFAULT_HARM_CONFIG);
const PERPS = ['E-p1', 'E-p2', 'E-p3'];

function lambethModel(overrides: Partial<BriefingModel> = {}): BriefingModel {
  const scores = new Map(PERPS.map((id) => [id, scoreOf(id)]));
  const standing = (id: string, at = NOW) => {
    const s = id === 'E-p1' && at < NOW ? scoreOf(id, at) : scores.get(id)!;
    const b = s.boroughs[LAMBETH];
    return b ? { entityId: id, score: b.score, lastIncidentAt: b.lastIncidentAt, incidents: b.incidents, contributions: s.contributions.filter((c) => c.boroughCode === LAMBETH) } : undefined;
  };
  const now = rankBorough(PERPS.flatMap((id) => standing(id) ?? []));
  // A week ago, before CAD-103, E-p1 ranked below E-p2.
  const lastWeek = NOW - 7 * DAY;
  const before = rankBorough(PERPS.flatMap((id) => {
    const s = scoreOf(id, lastWeek);
    const b = s.boroughs[LAMBETH];
    return b ? [{ entityId: id, score: b.score, lastIncidentAt: b.lastIncidentAt, incidents: b.incidents, contributions: s.contributions.filter((c) => c.boroughCode === LAMBETH) }] : [];
  }));
  const change = diffTopFive(before, now, { current: (id) => standing(id) });
  return {
    boroughCode: LAMBETH,
    generatedAt: NOW,
    previousBriefingAt: lastWeek,
    halfLifeDays: DEFAULT_HARM_CONFIG.halfLifeDays,
    windowDays: DEFAULT_HARM_CONFIG.windowDays,
    topFive: now.map((r) =>
      briefingPerpetrator(r.rank, LAMBETH, scores.get(r.entityId)!, {
        activeOrders: r.entityId === 'E-p1' ? [{ orderType: 'DVPO', expiresAt: NOW + 20 * DAY, conditions: ['no contact with E-v2 <script>alert("x")</script> & \'y\' | z'] }] : [],
        bailConditions: r.entityId === 'E-p1' ? [{ kind: 'NO_CONTACT', description: 'not to contact E-v2 directly or indirectly', expiresAt: NOW + 60 * DAY }] : [],
      }),
    ),
    change,
    ...overrides,
  };
}

describe('briefingPerpetrator', () => {
  it("keeps this borough's records and lists the harm elsewhere", () => {
    const p = briefingPerpetrator(3, LAMBETH, scoreOf('E-p3'));
    expect(p.contributions.map((c) => c.incidentId)).toEqual(['CAD-301']);
    expect(p.otherBoroughs.map((o) => o.boroughCode)).toEqual([SOUTHWARK]);
    expect(p.score).toBeCloseTo(p.totalScore - p.otherBoroughs[0]!.score, 9);
  });
});

describe('formatBriefing as Markdown', () => {
  const model = lambethModel();
  const md = formatBriefing(model, 'md');
  const lines = md.split('\n');

  it('opens with the borough by its real name, its BCU and code, the date and the previous briefing', () => {
    expect(lines[0]).toBe('# Operation Dauntless briefing: Lambeth');
    expect(md).toContain('- **Borough:** Lambeth (E09000022)');
    expect(md).toContain('- **BCU:** Central South (AS)');
    expect(md).toContain('- **Date:** 25 Nov 2026, 21:00 (London)');
    expect(md).toContain('- **Previous briefing:** 18 Nov 2026, 21:00 (London)');
    expect(md).toContain('halved every 180 days, summed over 365 days');
  });

  it('ranks the top five in order, each with the score broken down to its records', () => {
    const headings = lines.filter((l) => l.startsWith('### '));
    expect(headings.map((h) => h.replace(/: harm .*/, ''))).toEqual(['### 1. E-p1', '### 2. E-p2', '### 3. E-p3']);
    const p1 = model.topFive[0]!;
    expect(headings[0]).toBe(`### 1. E-p1: harm ${(Math.round(p1.score * 10) / 10).toFixed(1)} in Lambeth`);
    // One breakdown row per record, then the sum and the victims multiplier.
    const section = md.slice(md.indexOf('### 1.'), md.indexOf('### 2.'));
    const breakdown = section.split('\n').filter((l) => /^\| \d{1,2} \w{3} \d{4} \| /.test(l));
    expect(breakdown).toHaveLength(p1.contributions.length);
    expect(breakdown[0]).toContain('| 22 Nov 2026 | incident CAD-103 |');
    expect(breakdown[0]).toContain('strangulation 548 d × 2 homicide risk + 25% of threats to kill 365 d × 2 homicide risk; knife ×1.5; children present ×1.25');
    expect(section).toContain('| | | × 1.5 for 2 distinct victims |');
  });

  it('shows victims by entity id, the last incident, orders, bail and the officer-safety flags', () => {
    const section = md.slice(md.indexOf('### 1.'), md.indexOf('### 2.'));
    expect(section).toContain('| Distinct victims | 2: E-v1, E-v2 |');
    expect(section).toContain('| Last incident | 22 Nov 2026 |');
    expect(section).toContain('| Incidents in 12 months | 2 |');
    expect(section).toContain('> **Flags:** SERIAL perpetrator (MATAC: 2 incidents against 2 victims in 3 years); weapons: knife; counter-allegation');
    expect(section).toContain('counter-allegation with E-v1: suspect 1 time, victim 1 time; first as suspect');
    expect(section).toContain('| Bail conditions | no contact: not to contact E-v2 directly or indirectly (until 24 Jan 2027) |');
  });

  it('escapes what came from a message so it cannot break the table or inject markup', () => {
    const row = lines.find((l) => l.startsWith('| Active orders'))!;
    expect(row).toBe('| Active orders | DVPO until 15 Dec 2026: no contact with E-v2 \\<script\\>alert("x")\\</script\\> \\& \'y\' \\| z |');
    // Exactly three unescaped pipes: the two cells.
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(4);
    expect(escapeMarkdown('a*b_c`d[e](f)\u001b[31m')).toBe('a\\*b\\_c\\`d\\[e\\](f) \\[31m');
  });

  it('says who entered, left and moved since the last briefing, and why', () => {
    const change = md.slice(md.indexOf('## Change since the last briefing'), md.indexOf('## Top five'));
    expect(change).toContain('- **Moved:** E-p1 2 → 1: new: incident CAD-103 (+');
    expect(change).toContain('- **Moved:** E-p2 1 → 2:');
    expect(change).toContain('no new records: others moved');
  });

  it('says when it is the first briefing, when nothing changed, and when nobody scores', () => {
    expect(formatBriefing(lambethModel({ change: null, previousBriefingAt: null }), 'md')).toContain('First briefing for this borough: nothing to compare.');
    expect(formatBriefing(lambethModel({ change: { entered: [], left: [], moved: [], unchanged: true } }), 'md')).toContain('No change: the same five in the same order.');
    expect(formatBriefing(lambethModel(), 'md')).toContain('| Flags | none |');
    expect(formatBriefing(lambethModel({ topFive: [] }), 'md')).toContain('Nobody in this borough has a harm score in the window.');
  });
});

describe('formatBriefing as HTML', () => {
  const model = lambethModel();
  const html = formatBriefing(model, 'html');

  it('is a whole document with one article per perpetrator, in rank order', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en-GB">')).toBe(true);
    expect(html).toContain('<title>Operation Dauntless briefing: Lambeth</title>');
    expect(html).toContain('<dt>BCU</dt><dd>Central South (AS)</dd>');
    expect([...html.matchAll(/<article class="perpetrator" data-rank="(\d)" data-entity-id="([^"]+)">/g)].map((m) => [m[1], m[2]])).toEqual([
      ['1', 'E-p1'],
      ['2', 'E-p2'],
      ['3', 'E-p3'],
    ]);
    const first = html.slice(html.indexOf('data-rank="1"'), html.indexOf('data-rank="2"'));
    expect(first.match(/<tbody>[\s\S]*?<\/tbody>/g)![1]!.match(/<tr>/g)).toHaveLength(model.topFive[0]!.contributions.length);
    expect(first).toContain('<p class="alarm"><strong>Flags:</strong> SERIAL perpetrator');
    expect(html.endsWith('</html>\n')).toBe(true);
  });

  it('escapes every value from a message', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('no contact with E-v2 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; | z');
    const evil = lambethModel();
    evil.topFive[0]!.entityId = 'E"><img src=x onerror=alert(1)>';
    const out = formatBriefing(evil, 'html');
    expect(out).not.toContain('<img');
    expect(out).toContain('data-entity-id="E&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(escapeHtml('a\u0007b')).toBe('a b');
  });

  it('refuses a format it does not know', () => {
    expect(() => formatBriefing(model, 'pdf' as 'md')).toThrow(TypeError);
  });
});
