// The web app and API end to end, against the real stack: Kafka, Redis, the
// registry and the identity provider (Keycloak), the resolver, scorer and web
// service as child processes, and Debian's Chromium driven by playwright-core.
// People sign in through the provider's own login page; systems use bearer
// tokens from it. Screenshots of each page land in docs/screenshots/.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { wrapDetail } from '../../shared/contracts/justice-event.ts';
import { stackDir } from '../../shared/config/endpoints.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { scorerNamespaceFor, webNamespaceFor } from '../../shared/boards/namespaces.ts';
import { startResolverProcess, type ResolverProcess } from '../../scripts/pipeline/resolver-process.ts';
import { startScorerProcess, type ScorerProcess } from '../../scripts/pipeline/scorer-process.ts';
import { startWebProcess, type WebProcess } from '../../scripts/pipeline/web-process.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { accessTokenFor, seededUser, type SeededUser } from '../helpers/sign-in.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { adminRedis } from '../helpers/redis.ts';

const LAMBETH = 'E09000022';
const HACKNEY = 'E09000012';
// The committed screenshots are refreshed on purpose (DAUNTLESS_UPDATE_SCREENSHOTS=1); an ordinary run keeps its own.
const SCREENSHOTS = process.env.DAUNTLESS_UPDATE_SCREENSHOTS === '1' ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots') : join(stackDir(), 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const topics = {
  incidents: `${uniqueName('cad.incidents')}.v1`,
  justice: `${uniqueName('justice.events')}.v1`,
  intelligence: `${uniqueName('dispatch.intel')}.v1`,
  graphEvents: `${uniqueName('graph.events')}.v1`,
  topFive: `${uniqueName('dauntless.topfive')}.v1`,
  alerts: `${uniqueName('dauntless.alerts')}.v1`,
  audit: `${uniqueName('audit')}.v1`,
};
const { endpoints, kafka, codec, producer } = kafkaTestKit('e2e-web', () => [
  { topic: topics.incidents, partitions: 2, valueSchema: 'incident-reported.avsc' },
  { topic: deadLetterTopicOf(topics.incidents), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: topics.justice, partitions: 1, valueSchema: 'justice-event.avsc' },
  { topic: deadLetterTopicOf(topics.justice), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: topics.intelligence, partitions: 2, valueSchema: 'pre-arrival-intelligence.avsc' },
  { topic: topics.graphEvents, partitions: 2, valueSchema: 'graph-event-recorded.avsc' },
  { topic: deadLetterTopicOf(topics.graphEvents), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: topics.topFive, partitions: 2, valueSchema: 'top-five-changed.avsc' },
  { topic: topics.alerts, partitions: 2, valueSchema: 'borough-alert.avsc' },
  { topic: topics.audit, partitions: 1, valueSchema: 'audit-entry.avsc' },
]);
const redis = adminRedis();
const graphNamespace = `${uniqueName('e2e-web')}:{g}`;
const stateNamespace = webNamespaceFor(graphNamespace);

let resolver: ResolverProcess;
let scorer: ScorerProcess;
let web: WebProcess;
let browser: Browser;
let intel: { values: { incidentId: string }[]; stop(): Promise<void> };

const DAY = 86_400_000;
const now = Date.now();
const party = (base: any, overrides: Record<string, unknown>) => ({ ...base, ...overrides, name: { ...base.name, ...(overrides.name as object) } });
const base = sampleIncident() as any;
const [victim, suspect] = base.parties;
const call = (n: string, daysAgo: number, extra: Record<string, unknown> = {}, v: Record<string, unknown> = {}, s: Record<string, unknown> = {}) =>
  sampleIncident({ incidentId: `CAD-WEB-${n}`, eventId: `evt-web-${n}`, receivedAt: now - daysAgo * DAY, reportedAt: now - daysAgo * DAY - 60_000, parties: [party(victim, v), party(suspect, s)], ...extra });
const send = async (...incidents: Record<string, unknown>[]) =>
  producer.send({ topic: topics.incidents, messages: await Promise.all(incidents.map(async (i) => ({ key: i.incidentId as string, value: await codec.encode(valueSubject(topics.incidents), i) }))) });
const answered = (id: string) => waitFor(`intelligence for ${id}`, () => intel.values.some((i) => i.incidentId === id), { timeoutMs: 30_000 });

async function signIn(user: SeededUser, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${web.url}/`);
  // The provider's own login page (Keycloak's form), then back to us.
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForURL(`${web.url}/**`), page.click('#kc-login')]);
  return { context, page };
}

async function axeSerious(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the page's own CSP rightly refuses inline scripts.
  await page.evaluate(AXE);
  const result = (await page.evaluate(async () => (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }))) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
}

const shoot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

beforeAll(async () => {
  intel = (await collectDecoded(kafka, codec, topics.intelligence)) as typeof intel;
  resolver = await startResolverProcess({ endpoints, inputTopic: `${topics.incidents},${topics.justice}`, intelTopic: topics.intelligence, groupId: uniqueName('resolver'), graphNamespace, graphEventsTopic: topics.graphEvents });
  scorer = await startScorerProcess({ endpoints, inputTopic: topics.graphEvents, topFiveTopic: topics.topFive, alertsTopic: topics.alerts, groupId: uniqueName('scorer'), graphNamespace });
  web = await startWebProcess({ endpoints, topics: { ...topics }, groupId: uniqueName('web'), graphNamespace, stateNamespace });
  browser = await chromium.launch({ executablePath: process.env.DAUNTLESS_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  // History: two earlier calls of the same victim and perpetrator.
  await send(call('1', 60, { abuseTypes: ['COERCIVE_CONTROL', 'ECONOMIC'], riskLevel: 'MEDIUM' }));
  await answered('CAD-WEB-1');
  await send(call('2', 20, { abuseTypes: ['PHYSICAL', 'STRANGULATION'], riskLevel: 'HIGH' }, { phones: ['+447700900123'] }));
  await answered('CAD-WEB-2');
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await Promise.all([web?.kill('SIGTERM'), scorer?.kill('SIGTERM'), resolver?.kill('SIGTERM')]);
  await intel?.stop();
  for (const ns of [graphNamespace, scorerNamespaceFor(graphNamespace), stateNamespace]) await clearNamespace(redis, ns);
  redis.disconnect();
});

describe('the web app in a real browser', () => {
  it('shows a call produced to Kafka on the control-room feed within 2 s, as a repeat-victim card', async () => {
    const { context, page } = await signIn(seededUser('dispatcher'));
    await page.goto(`${web.url}/control-room`);
    await page.waitForSelector('#feed-status:has-text("Live")');
    const sentAt = Date.now();
    await send(call('3', 0, { abuseTypes: ['PSYCHOLOGICAL'], riskLevel: null, receivedAt: Date.now(), reportedAt: Date.now() - 30_000 }, { name: { title: null, given: null, family: null, full: 'EXAMPLE TESTER, Jo' }, phones: ['07700-900-123'] }));
    const card = page.locator('#incident-CAD-WEB-3');
    await card.waitFor({ timeout: 2_000 });
    const shownAfterMs = Date.now() - sentAt;
    expect(shownAfterMs).toBeLessThan(2_000);
    await expect(card.locator('.repeat-victim').count()).resolves.toBeGreaterThan(0);
    expect(await card.textContent()).toContain('2 in 12 months');
    await shoot(page, 'control-room');
    expect(await axeSerious(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, 'control-room-phone');
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it("opens the victim's person page from the card, with the timeline and the waterfall of match evidence", async () => {
    const { context, page } = await signIn(seededUser('dispatcher'));
    await page.goto(`${web.url}/control-room`);
    await page.locator('#incident-CAD-WEB-3 .person.repeat h3 a').first().click();
    await page.waitForSelector('svg.waterfall');
    expect(await page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('svg.waterfall').first().textContent()).toContain('match weight');
    await shoot(page, 'person');
    expect(await axeSerious(page)).toEqual([]);
    await context.close();
  });

  it("shows a Lambeth LPT their borough's top five, updated when the scorer publishes, and the PDF briefing", async () => {
    const lpt = seededUser('lpt-officer', LAMBETH);
    const { context, page } = await signIn(lpt);
    await page.goto(`${web.url}/boroughs/${LAMBETH}`);
    const before = await page.locator('#board').getAttribute('data-generated');
    await page.waitForSelector('#feed-status');
    // A new perpetrator in Lambeth: the scorer publishes a new top five, the page redraws it.
    await send(sampleIncident({ incidentId: 'CAD-WEB-NEW', eventId: 'evt-web-new', receivedAt: Date.now(), reportedAt: Date.now() - 1000, abuseTypes: ['PHYSICAL'], riskLevel: 'HIGH',
      parties: [party(victim, { partyId: 'V9', name: { title: null, given: 'Ada', middle: null, family: 'Placeholder', full: null, aliases: [] }, dateOfBirth: '1980-01-01', phones: ['07700900999'], addresses: ['1 Test Street SE1 7PB'] }),
        party(suspect, { partyId: 'S9', name: { title: null, given: 'Carl', middle: null, family: 'Fictional', full: null, aliases: [] }, ageYears: 33, phones: ['07700900998'] })] }));
    await page.waitForFunction((b) => (globalThis as any).document.getElementById('board')?.getAttribute('data-generated') !== b, before, { timeout: 30_000 });
    expect(await page.locator('#board .target').count()).toBeGreaterThan(0);
    await shoot(page, 'borough');
    expect(await axeSerious(page)).toEqual([]);
    const pdf = await page.request.get(`${web.url}/boroughs/${LAMBETH}/briefing.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await page.goto(`${web.url}/boroughs/${LAMBETH}/briefing`);
    expect(await page.textContent('body')).toContain('OFFICIAL-SENSITIVE');
    await shoot(page, 'briefing');
    // Another borough is refused, and says so.
    const refused = await page.goto(`${web.url}/boroughs/${HACKNEY}`);
    expect(refused?.status()).toBe(403);
    await context.close();
  });

  it("brings a custody release of the borough's perpetrator to its LPT, who acknowledges it", async () => {
    const releasedAt = Date.now() - 60_000;
    const release = {
      eventId: 'JUS-WEB-RELEASE',
      occurredAt: releasedAt,
      recordedAt: releasedAt,
      boroughCode: LAMBETH,
      incidentId: 'CAD-WEB-2',
      subject: { systemRef: null, given: 'Robert', family: 'Sample', full: null, dateOfBirth: null, phones: ['07700900456'], addresses: [] },
      relatedPersons: [],
      detail: wrapDetail('CustodyRelease', { releaseType: 'PRE_CHARGE_BAIL', bailExpiresAt: releasedAt + 90 * DAY, bailConditions: [{ kind: 'NO_CONTACT', description: 'not to contact the victim', expiresAt: null }] }),
    };
    await producer.send({ topic: topics.justice, messages: [{ key: release.eventId, value: await codec.encode(valueSubject(topics.justice), release) }] });
    const lpt = seededUser('lpt-officer', LAMBETH);
    const token = await accessTokenFor(lpt);
    const alertsUrl = `${web.url}/api/boroughs/${LAMBETH}/alerts`;
    await waitFor('the alert filed for Lambeth', async () => {
      const res = await fetch(alertsUrl, { headers: { authorization: `Bearer ${token}` } });
      return ((await res.json()) as any).alerts?.length > 0;
    }, { timeoutMs: 60_000 });
    const { context, page } = await signIn(lpt, { width: 390, height: 844 });
    await page.goto(`${web.url}/boroughs/${LAMBETH}`);
    expect(await page.textContent('#alert-list')).toContain('not to contact the victim');
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)).toBeLessThanOrEqual(390);
    await shoot(page, 'borough-phone');
    await Promise.all([page.waitForURL(`${web.url}/boroughs/${LAMBETH}`), page.click('#alert-list button:has-text("Acknowledge")')]);
    expect(await page.textContent('#alert-list')).toContain(`by ${lpt.username}`);
    const after = (await (await fetch(alertsUrl, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    expect(after.alerts[0]).toMatchObject({ alertId: `JUS-WEB-RELEASE:${LAMBETH}`, ackedBy: lpt.username });
    expect(after.alerts[0].ackedAt).toEqual(expect.any(Number));
    // Through the API too: acknowledged once, the second time says so.
    const again = await fetch(`${alertsUrl}/${encodeURIComponent(`JUS-WEB-RELEASE:${LAMBETH}`)}/acknowledge`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ alertId: `JUS-WEB-RELEASE:${LAMBETH}`, acknowledged: true, already: true });
    const hackney = await fetch(`${web.url}/api/boroughs/${HACKNEY}/alerts`, { headers: { authorization: `Bearer ${token}` } });
    expect(hackney.status).toBe(403);
    await context.close();
  });

  it('lets a supervisor undo a wrong merge from the person page, with a reason, and records it', async () => {
    // Two people called Sam Placeholder, then a call whose details join them: one merged person, wrongly.
    const sam = (n: string, fields: Record<string, unknown>) =>
      sampleIncident({ incidentId: `CAD-WEB-SAM${n}`, eventId: `evt-web-sam${n}`, receivedAt: Date.now() - 3_600_000, reportedAt: Date.now() - 3_660_000, boroughCode: HACKNEY,
        parties: [party(victim, { partyId: `V${n}`, name: { title: null, given: 'Sam', middle: null, family: 'Placeholder', full: null, aliases: [] }, dateOfBirth: null, phones: [], emails: [], addresses: [], ...fields }),
          party(suspect, { partyId: `S${n}`, name: { title: null, given: `Other${n}`, middle: null, family: `Person${n}`, full: null, aliases: [] }, ageYears: null, dateOfBirth: null, phones: [`0770090077${n}`], emails: [], addresses: [] })] });
    await send(sam('1', { phones: ['07700900555'], addresses: ['3 Mill Road SE1 7PB'] }));
    await answered('CAD-WEB-SAM1');
    await send(sam('2', { dateOfBirth: '1970-05-05', emails: ['sam.p@example.org'], addresses: ['9 Far Lane N1 1AA'] }));
    await answered('CAD-WEB-SAM2');
    await send(sam('3', { dateOfBirth: '1970-05-05', phones: ['07700900555'], emails: ['sam.p@example.org'] }));
    await answered('CAD-WEB-SAM3');
    const supervisor = seededUser('supervisor');
    const token = await accessTokenFor(supervisor);
    const merged = ((await (await fetch(`${web.url}/api/incidents/CAD-WEB-SAM3/intel`, { headers: { authorization: `Bearer ${token}` } })).json()) as any).persons.find((p: any) => p.roles.includes('VICTIM')).entityId;
    const { context, page } = await signIn(supervisor);
    // No route leads a supervisor here: the page asks for a purpose, which is recorded.
    await page.goto(`${web.url}/persons/${merged}`);
    await page.fill('#purpose', 'checking a reported wrong merge');
    await Promise.all([page.waitForURL(/purpose=/), page.click('button:has-text("Open")')]);
    const form = page.locator('.merges form').first();
    await form.locator('input[name="reason"]').fill('two different people who share a name');
    await Promise.all([page.waitForURL(/\/persons\//), form.locator('button:has-text("Undo this merge")').click()]);
    expect(await page.textContent('.merges')).toContain('reversed');
    const after = (await (await fetch(`${web.url}/api/persons/${merged}?purpose=${encodeURIComponent('checking the undone merge')}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    expect(after.merges.some((m: any) => m.reversedAt)).toBe(true);
    const auditor = await accessTokenFor(seededUser('auditor'));
    await waitFor('the undo in the audit log, with its reason', async () => {
      const found = (await (await fetch(`${web.url}/api/audit?kind=ALTERATION`, { headers: { authorization: `Bearer ${auditor}` } })).json()) as any;
      return found.entries.some((e: any) => e.action === 'merge.reversed' && e.actor.username === supervisor.username && e.purpose === 'two different people who share a name');
    }, { timeoutMs: 20_000 });
    await context.close();
  });

  it('draws the borough consistency charts, and the leads page with every borough', async () => {
    const { context, page } = await signIn(seededUser('dauntless-lead'));
    await page.goto(`${web.url}/consistency`);
    expect(await page.locator('svg.bars').count()).toBeGreaterThanOrEqual(5);
    expect(await page.textContent('table')).toContain('Lambeth');
    await shoot(page, 'consistency');
    expect(await axeSerious(page)).toEqual([]);
    await page.goto(`${web.url}/dauntless`);
    expect(await page.locator('.borough-five').count()).toBe(32);
    await shoot(page, 'leads');
    expect(await axeSerious(page)).toEqual([]);
    // Leads see no audit log.
    expect((await page.goto(`${web.url}/audit`))?.status()).toBe(403);
    await context.close();
  });

  it("shows an auditor the log of who looked at whom, and nothing else", async () => {
    const { context, page } = await signIn(seededUser('auditor'));
    await page.goto(`${web.url}/audit?kind=CONSULTATION`);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.textContent('table')).toContain('person.viewed');
    await shoot(page, 'audit');
    expect(await axeSerious(page)).toEqual([]);
    expect((await page.goto(`${web.url}/control-room`))?.status()).toBe(403);
    expect((await page.goto(`${web.url}/boroughs/${LAMBETH}`))?.status()).toBe(403);
    await context.close();
  });
});

describe('the API for systems', () => {
  const api = async (path: string, token?: string, init: RequestInit = {}) => {
    const response = await fetch(`${web.url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as object) } });
    return { status: response.status, body: (response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text()) as any };
  };

  it('refuses a request with no token or a forged one (401, JSON with a stable code)', async () => {
    expect(await api(`/api/boroughs/${LAMBETH}/top-five`)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    const forged = (await accessTokenFor(seededUser('dauntless-lead'))).replace(/.{8}$/, 'AAAAAAAA');
    expect(await api(`/api/boroughs/${LAMBETH}/top-five`, forged)).toMatchObject({ status: 401, body: { error: { code: 'INVALID_TOKEN' } } });
  });

  it("gives an LPT their borough's top five, refuses another borough (403) and audits the refusal", async () => {
    const lpt = seededUser('lpt-officer', LAMBETH);
    const token = await accessTokenFor(lpt);
    const own = await api(`/api/boroughs/${LAMBETH}/top-five`, token);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ boroughCode: LAMBETH, boroughName: 'Lambeth' });
    expect(Array.isArray(own.body.topFive)).toBe(true);
    expect(await api(`/api/boroughs/${HACKNEY}/top-five`, token)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await api('/api/boroughs/E09000099/top-five', token)).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_BOROUGH' } } });
    const auditor = await accessTokenFor(seededUser('auditor'));
    await waitFor('the refusal in the audit log', async () => {
      const found = await api(`/api/audit?subject=${HACKNEY}&outcome=REFUSED`, auditor);
      return found.status === 200 && found.body.entries.some((e: any) => e.actor.username === lpt.username && e.action === 'board.read');
    }, { timeoutMs: 20_000 });
  });

  it("answers an incident's intelligence with names for the control room, and a person through that incident", async () => {
    const token = await accessTokenFor(seededUser('dispatcher'));
    const found = await api('/api/incidents/CAD-WEB-3/intel', token);
    expect(found.status).toBe(200);
    expect(found.body.incidentId).toBe('CAD-WEB-3');
    const victimIntel = found.body.persons.find((p: any) => p.roles.includes('VICTIM'));
    expect(victimIntel.name).toBeTruthy();
    expect(victimIntel.incidentsAllTime).toBe(2);
    expect(await api('/api/incidents/CAD-NOPE/intel', token)).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_INCIDENT' } } });
    const person = await api(`/api/persons/${victimIntel.entityId}?incident=CAD-WEB-3`, token);
    expect(person.status).toBe(200);
    expect(person.body.timeline.length).toBeGreaterThanOrEqual(3);
    expect(person.body.records.some((r: any) => r.evidence.length > 0 && typeof r.prior === 'number')).toBe(true);
    // An auditor sees no people.
    expect((await api(`/api/persons/${victimIntel.entityId}`, await accessTokenFor(seededUser('auditor')))).status).toBe(403);
  });

  it('takes a call for a CAD without Kafka, validated as cad.incidents.v1 validates it', async () => {
    const token = await accessTokenFor(seededUser('call-handler'));
    const good = sampleIncident({ incidentId: 'CAD-WEB-API', eventId: 'evt-web-api', receivedAt: Date.now(), reportedAt: Date.now() - 1000 });
    expect(await api('/api/incidents', token, { method: 'POST', body: JSON.stringify(good) })).toMatchObject({ status: 202, body: { incidentId: 'CAD-WEB-API', accepted: true } });
    await answered('CAD-WEB-API');
    const bad = await api('/api/incidents', token, { method: 'POST', body: JSON.stringify({ ...good, boroughCode: 'E09000001' }) });
    expect(bad).toMatchObject({ status: 422, body: { error: { code: 'INVALID_INCIDENT' } } });
    expect(bad.body.error.reasons.join(' ')).toContain('boroughCode');
    expect((await api('/api/incidents', await accessTokenFor(seededUser('lpt-officer', LAMBETH)), { method: 'POST', body: JSON.stringify(good) })).status).toBe(403);
  });

  it('gives the control room the latest intelligence and leads every borough, each refused to the other', async () => {
    const dispatcher = await accessTokenFor(seededUser('dispatcher'));
    const feed = await api('/api/feed?limit=50', dispatcher);
    expect(feed.status).toBe(200);
    expect(feed.body.intelligence.map((i: any) => i.incidentId)).toContain('CAD-WEB-3');
    expect(feed.body.intelligence.find((i: any) => i.incidentId === 'CAD-WEB-3').persons.every((p: any) => 'name' in p)).toBe(true);
    expect((await api('/api/boroughs', dispatcher)).status).toBe(403);
    const lead = await accessTokenFor(seededUser('dauntless-lead'));
    const all = await api('/api/boroughs', lead);
    expect(all.status).toBe(200);
    expect(all.body.boroughs).toHaveLength(32);
    expect(all.body.boroughs.find((b: any) => b.code === LAMBETH).five.length).toBeGreaterThan(0);
    expect((await api('/api/feed', lead)).status).toBe(403);
  });

  it('serves its OpenAPI description at /api/docs', async () => {
    expect((await api('/api/docs')).status).toBe(200);
    const spec = await api('/api/docs/json');
    expect(spec.status).toBe(200);
    for (const path of ['/api/boroughs/{onsCode}/top-five', '/api/persons/{entityId}', '/api/incidents/{incidentId}/intel', '/api/incidents']) expect(Object.keys(spec.body.paths)).toContain(path);
  });

  it('answers /healthz and /readyz without signing in, and nothing personal there', async () => {
    expect(await api('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await api('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.ready).toBe(true);
  });
});
