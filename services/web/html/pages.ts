// The pages, as HTML bodies for layout.ts. Pure: each takes what the route
// read and what the user may see, and returns markup.
import type { PreArrivalIntelligence } from '../../../shared/contracts/intelligence.ts';
import type { PersonName } from '../../../shared/graph/person-records.ts';
import type { BriefingModel, BriefingPerpetrator } from '../../../shared/briefing/briefing-format.ts';
import type { TrajectoryPoint } from '../../../shared/boards/score-board.ts';
import type { AuditEntry } from '../../../shared/audit/audit-entry.ts';
import { BOROUGHS, boroughByCode } from '../../../shared/geography/boroughs.ts';
import type { CorrectionFields } from '../../../shared/er/record-correction.ts';
import type { PersonView } from '../read-model.ts';
import { PLAN_STATUSES, type Measure, type PlanChange, type StoredAlert, type TacticalPlan } from '../web-store.ts';
import { barChart, lineChart, waterfallChart } from './charts.ts';
import { intelCard, personLabel } from './cards.ts';
import { day, html, raw, when, words, type SafeHtml } from './html.ts';

type Names = ReadonlyMap<string, PersonName> | undefined;
/** Records whose match evidence is drawn open on a person page; the others open on a click. */
const OPEN_RECORDS = 5;
const boroughName = (code: string | null) => (code ? (boroughByCode(code)?.name ?? code) : '—');
const score1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);
const personLink = (entityId: string, names: Names, via = '') => html`<a href="/persons/${encodeURIComponent(entityId)}${via}">${personLabel(entityId, names)}</a>`;

export function controlRoomPage({ intel }: { intel: { intel: PreArrivalIntelligence; names: Names }[] }): SafeHtml {
  return html`<p class="lede">Pre-arrival intelligence for each call, as the resolver emits it. New calls appear at the top.</p>
  <p class="status" role="status" aria-live="polite" id="feed-status">Connecting to the live feed…</p>
  <div id="feed" class="feed" aria-live="polite" aria-relevant="additions">${intel.map((i) => intelCard(i.intel, i.names))}</div>`;
}

/** What a supervisor may correct of one record, as it is stored: every box filled with the value kept, an emptied box clears it. */
function correctionForm(recordId: string, values: CorrectionFields, csrfToken: string): SafeHtml {
  const text = (name: keyof CorrectionFields, label: string, max: number) => html`<label>${label} <input name="${name}" value="${String(values[name] ?? '')}" maxlength="${max}"></label>`;
  const list = (name: keyof CorrectionFields, label: string) => html`<label>${label}, one a line <textarea name="${name}" rows="2">${((values[name] as string[] | undefined) ?? []).join('\n')}</textarea></label>`;
  return html`<form method="post" action="/records/${encodeURIComponent(recordId)}/correct" class="correction"><input type="hidden" name="_csrf" value="${csrfToken}">
    <fieldset><legend>Correct this record</legend>
    ${text('givenName', 'Given and middle names', 300)} ${text('familyName', 'Family name', 200)} ${text('fullName', 'Whole name', 300)}
    ${text('dateOfBirth', 'Date of birth', 64)} <label>Age <input name="ageYears" type="number" min="0" max="130" value="${values.ageYears === undefined || values.ageYears === null ? '' : String(values.ageYears)}"></label> ${text('gender', 'Gender', 64)}
    ${list('aliases', 'Other names')} ${list('phones', 'Phones')} ${list('emails', 'E-mails')} ${list('addresses', 'Addresses')}
    <label>Reason (recorded: say why, without the values) <input name="reason" required minlength="10" maxlength="500"></label>
    <button type="submit">Correct this record</button></fieldset></form>`;
}

export function personPage({ view, names, canUnmerge, correctable, csrfToken }: { view: PersonView; names: Names; canUnmerge: boolean; correctable?: ReadonlyMap<string, CorrectionFields> | undefined; csrfToken: string }): SafeHtml {
  const self = names?.get(view.entityId);
  const records = view.explanation?.records ?? [];
  return html`${view.requestedId !== view.entityId ? html`<p class="note">${view.requestedId} was merged into this person.</p>` : ''}
  <section aria-labelledby="who"><h2 id="who">${self?.name || `Person ${view.entityId}`}</h2>
    <p>Entity <code>${view.entityId}</code>${self?.dob ? html` · born ${self.dob}` : ''}${self?.otherNames.length ? html` · also recorded as ${self.otherNames.join(', ')}` : ''} · boroughs ${view.boroughs.map(boroughName).join(', ') || '—'}</p>
    ${view.activeOrders.length || view.bailConditions.length ? html`<ul class="markers">${view.activeOrders.map((o) => html`<li class="marker">${words(o.orderType)} until ${day(o.expiresAt)}</li>`)}${view.bailConditions.map((b) => html`<li class="marker">bail: ${b.description} until ${day(b.expiresAt)}</li>`)}</ul>` : ''}
  </section>
  <section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
    <div class="table-wrap"><table><caption class="visually-hidden">Incidents and justice events, newest first</caption><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Role</th><th scope="col">Borough</th><th scope="col">Abuse</th><th scope="col">Risk</th><th scope="col">With</th></tr></thead><tbody>
    ${view.timeline.map((t) => html`<tr><td>${when(t.at)}</td><td>${t.kind === 'incident' ? html`Incident ${t.label}` : words(t.label)}</td><td>${t.roles.map(words).join(', ')}</td><td>${boroughName(t.boroughCode)}</td><td>${t.abuseTypes.map(words).join(', ')}${t.weapons.length ? html` <span class="warn">(${t.weapons.map(words).join(', ')})</span>` : ''}</td><td>${t.riskLevel ? words(t.riskLevel) : '—'}</td><td>${t.others.map((o) => html`${personLink(o.entityId, names, `?via=${encodeURIComponent(view.entityId)}`)} (${o.roles.map(words).join(', ')}) `)}</td></tr>`)}
    </tbody></table></div></section>
  <section aria-labelledby="linked"><h2 id="linked">Linked people</h2>
    <ul class="linked">${view.linked.map((l) => html`<li>${personLink(l.entityId, names, `?via=${encodeURIComponent(view.entityId)}`)} · ${l.relation} · ${l.events} event(s)</li>`)}</ul></section>
  <section aria-labelledby="evidence"><h2 id="evidence">Match evidence</h2>
    <p>Why each record belongs to this person: the prior, each comparison's weight (log<sub>2</sub> Bayes factor), and the final probability.</p>
    ${records.map((r, i) => {
      const decision = r.decision;
      const score = r.score;
      // The latest records open; a person with a long history would otherwise draw a chart per record before the page is usable.
      const open = i >= records.length - OPEN_RECORDS;
      return html`<details class="record"${open ? raw(' open') : ''}><summary><h3>Record <code>${r.recordId}</code> <span class="meta">${r.source} · ${when(r.resolvedAt)} · ${decision.outcome === 'new' ? 'first record of this person' : decision.outcome === 'link' ? `linked (p = ${score?.probability.toFixed(3) ?? '—'})` : 'linked and merged'}</span></h3></summary>
      ${score ? raw(waterfallChart({ id: `wf${i}`, title: `Match evidence for record ${r.recordId}`, prior: score.matchWeight - score.evidence.reduce((s, e) => s + e.weight, 0), steps: score.evidence.map((e) => ({ label: `${e.field}: ${words(e.level)}`, weight: e.weight })), probability: score.probability })) : html`<p class="muted">No comparison: the first record of a new person.</p>`}
      ${correctable?.has(r.recordId) ? correctionForm(r.recordId, correctable.get(r.recordId)!, csrfToken) : ''}
      </details>`;
    })}</section>
  <section aria-labelledby="merges"><h2 id="merges">Merges</h2>
    ${view.explanation?.merges.length ? html`<ul class="merges">${view.explanation.merges.map((m) => html`<li><code>${m.mergeId}</code>: ${m.absorbed} (${m.absorbedRecordIds.length} record(s)) merged into ${m.survivor} on ${when(m.at)}, linked by record <code>${m.recordId}</code>${m.reversedAt ? html` <strong>reversed ${when(m.reversedAt)}</strong>` : canUnmerge ? html`
      <form method="post" action="/persons/${encodeURIComponent(view.entityId)}/unmerge" class="inline"><input type="hidden" name="_csrf" value="${csrfToken}"><input type="hidden" name="mergeId" value="${m.mergeId}"><label>Reason <input name="reason" required minlength="10" maxlength="500"></label> <button type="submit">Undo this merge</button></form>` : ''}</li>`)}</ul>` : html`<p class="muted">No merges.</p>`}</section>${canUnmerge ? html`
  <section aria-labelledby="erase"><h2 id="erase">Erase this person</h2>
    <p>Under the Data Protection Act 2018 Part 3: every record of this person, their merges, their place on the boards, in briefings, plans and kept intelligence are erased; the incidents stay for the other people in them. The audit log keeps that it was done, by whom and why. This cannot be undone.</p>
    <form method="post" action="/persons/${encodeURIComponent(view.entityId)}/erase"><input type="hidden" name="_csrf" value="${csrfToken}"><label>Reason <input name="reason" required minlength="10" maxlength="500"></label> <button type="submit">Erase this person</button></form></section>` : ''}`;
}

function perpetratorBlock(p: BriefingPerpetrator, names: Names, trajectory: TrajectoryPoint[], plan: TacticalPlan | undefined): SafeHtml {
  return html`<article class="target" data-entity="${p.entityId}"><h3><span class="rank">${p.rank}</span> ${personLink(p.entityId, names)} <span class="score">score ${score1(p.score)}</span></h3>
    <p class="meta">${p.victimEntityIds.length} victim(s) · ${p.incidents12m} incident(s) in 12 months · last ${day(p.lastIncidentAt)}${p.serial ? html` · <strong class="badge">Serial</strong>` : ''}${p.weapons.length ? html` · <span class="warn">weapons: ${p.weapons.map(words).join(', ')}</span>` : ''}${p.childrenPresent ? ' · children present' : ''}</p>
    <details><summary>Score broken down</summary><div class="table-wrap"><table><thead><tr><th scope="col">Record</th><th scope="col">Harm (days)</th><th scope="col">Decay</th><th scope="col">Counts</th></tr></thead><tbody>
      ${p.contributions.map((c) => html`<tr><td>${c.why}</td><td>${score1(c.baseHarm)}</td><td>${c.decay.toFixed(2)}</td><td>${score1(c.harm)}</td></tr>`)}
      <tr><td colspan="3">× ${p.victimMultiplier.toFixed(2)} for ${p.victimEntityIds.length} distinct victim(s)</td><td>${score1(p.score)}</td></tr></tbody></table></div></details>
    ${raw(lineChart({ id: `traj-${p.rank}`, title: `Score over time of ${personLabel(p.entityId, names)}`, points: trajectory.map((t) => ({ at: t.at, value: t.score })), unit: 'score' }))}
    <p>Victims: ${p.victimEntityIds.map((v) => html`${personLink(v, names)} `)}</p>
    ${p.activeOrders.length || p.bailConditions.length ? html`<p>Orders and bail: ${p.activeOrders.map((o) => html`${words(o.orderType)} until ${day(o.expiresAt)}; `)}${p.bailConditions.map((b) => html`bail: ${b.description} until ${day(b.expiresAt)}; `)}</p>` : ''}
    ${p.counterAllegations.length ? html`<p class="warn">Counter-allegations with ${p.counterAllegations.map((c) => personLabel(c.otherEntityId, names)).join(', ')}</p>` : ''}
    ${plan ? html`<p>Tactical plan: ${words(plan.status)}, owner ${plan.owner}, review ${plan.reviewDate}</p>` : ''}
  </article>`;
}

function changeBlock(model: BriefingModel, names: Names): SafeHtml {
  const change = model.change;
  if (!change) return html`<p>First briefing for this borough: no change to report.</p>`;
  if (change.unchanged) return html`<p>No change since the last briefing (${when(model.previousBriefingAt)}).</p>`;
  return html`<ul class="changes">${change.entered.map((e) => html`<li>Entered at ${e.rank}: ${personLabel(e.entityId, names)} (${e.reason})</li>`)}${change.moved.map((m) => html`<li>Moved ${m.from} → ${m.to}: ${personLabel(m.entityId, names)} (${m.reason})</li>`)}${change.left.map((l) => html`<li>Left (was ${l.previousRank}): ${personLabel(l.entityId, names)} (${l.reason})</li>`)}</ul>`;
}

export function boardFragment({ model, names, trajectories, plans }: { model: BriefingModel; names: Names; trajectories: Map<string, TrajectoryPoint[]>; plans: Map<string, TacticalPlan> }): SafeHtml {
  return html`<div id="board" data-generated="${model.generatedAt}"><p class="meta">As of ${when(model.generatedAt)}. Score: harm in days of imprisonment, halved every ${model.halfLifeDays} days, over ${model.windowDays} days, × distinct victims.</p>
    <section aria-labelledby="change"><h2 id="change">Change since the last briefing</h2>${changeBlock(model, names)}</section>
    <section aria-labelledby="five"><h2 id="five">Top five</h2>${model.topFive.length ? model.topFive.map((p) => perpetratorBlock(p, names, trajectories.get(p.entityId) ?? [], plans.get(p.entityId))) : html`<p class="muted">Nobody ranks in this borough yet.</p>`}</section></div>`;
}

type ReleaseDetail = { releaseType?: string; bailExpiresAt?: number | null; bailConditions?: { description: string; expiresAt: number | null }[] } | null;

function releaseDetail(alert: Record<string, unknown>): SafeHtml {
  const release = alert.custodyRelease as ReleaseDetail | undefined;
  if (!release) return html``;
  return html`<br><span class="meta">${words(release.releaseType ?? 'released')}${release.bailExpiresAt ? html`, bail until ${day(release.bailExpiresAt)}` : ''}</span>${release.bailConditions?.length ? html`<ul>${release.bailConditions.map((b) => html`<li>${b.description}${b.expiresAt ? html` (until ${day(b.expiresAt)})` : ''}</li>`)}</ul>` : ''}`;
}

export function boroughPage({ boroughCode, board, alerts, names, csrfToken, canAcknowledge }: { boroughCode: string; board: SafeHtml; alerts: StoredAlert[]; names: Names; csrfToken: string; canAcknowledge: boolean }): SafeHtml {
  return html`<p class="actions"><a href="/boroughs/${boroughCode}/briefing">Briefing (HTML)</a> · <a href="/boroughs/${boroughCode}/briefing.pdf">Briefing (PDF, A4)</a></p>
  <p class="status" role="status" aria-live="polite" id="feed-status"></p>
  ${board}
  <section aria-labelledby="alerts"><h2 id="alerts">Custody-release alerts</h2>
    ${alerts.length ? html`<ul class="alerts" id="alert-list">${alerts.map((a) => html`<li class="alert${a.ackedAt ? ' acked' : ''}">${when(a.at)}: ${String(a.alert.summary ?? '')} (perpetrator ${personLink(String(a.alert.perpetratorEntityId ?? ''), names)})${releaseDetail(a.alert)}
      ${a.ackedAt ? html` <span class="badge">acknowledged ${when(a.ackedAt)} by ${a.ackedBy}</span>` : canAcknowledge ? html` <form method="post" action="/boroughs/${boroughCode}/alerts/${encodeURIComponent(a.alertId)}/acknowledge" class="inline"><input type="hidden" name="_csrf" value="${csrfToken}"><button type="submit">Acknowledge</button></form>` : ''}</li>`)}</ul>` : html`<p class="muted">No alerts.</p>`}
  </section>`;
}

export function leadsPage({ boroughs, names, targets, csrfToken }: { boroughs: { code: string; five: { rank: number; entityId: string; score: number }[] }[]; names: Names; targets: { entityId: string; plan: TacticalPlan | undefined; history: PlanChange[]; trajectory: TrajectoryPoint[] }[]; csrfToken: string }): SafeHtml {
  return html`<section aria-labelledby="all"><h2 id="all">Every borough's top five</h2><div class="grid">
    ${boroughs.map((b) => html`<div class="borough-five"><h3><a href="/boroughs/${b.code}">${boroughName(b.code)}</a></h3>${b.five.length ? html`<ol>${b.five.map((f) => html`<li>${personLink(f.entityId, names)} · ${score1(f.score)}</li>`)}</ol>` : html`<p class="muted">Nobody ranks.</p>`}</div>`)}
  </div></section>
  <section aria-labelledby="targets"><h2 id="targets">Targets and tactical plans</h2>
    ${targets.map((t, i) => html`<article class="target"><h3>${personLink(t.entityId, names)}</h3>
      ${raw(lineChart({ id: `t${i}`, title: `Score over time of ${personLabel(t.entityId, names)}`, points: t.trajectory.map((p) => ({ at: p.at, value: p.score })), unit: 'score' }))}
      ${planForm(t.entityId, t.plan, csrfToken)}
      ${t.history.length ? html`<details><summary>Changes (${t.history.length})</summary><ul>${t.history.map((h) => html`<li>${when(h.at)} by ${h.by}: ${words(h.plan.status)}, owner ${h.plan.owner}, review ${h.plan.reviewDate}, actions: ${h.plan.actions.join('; ')}</li>`)}</ul></details>` : ''}
    </article>`)}
    <p class="muted">A perpetrator becomes a target when a plan is first saved for them (from the borough's top five below).</p>
  </section>`;
}

export function planForm(entityId: string, plan: TacticalPlan | undefined, csrfToken: string, boroughCode = plan?.boroughCode ?? ''): SafeHtml {
  const id = `plan-${entityId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return html`<form method="post" action="/targets/${encodeURIComponent(entityId)}/plan" class="plan">
    <input type="hidden" name="_csrf" value="${csrfToken}"><input type="hidden" name="boroughCode" value="${boroughCode}">
    <label for="${id}-owner">Owner</label><input id="${id}-owner" name="owner" required maxlength="100" value="${plan?.owner ?? ''}">
    <label for="${id}-actions">Actions (one per line)</label><textarea id="${id}-actions" name="actions" rows="3" maxlength="2000">${plan?.actions.join('\n') ?? ''}</textarea>
    <label for="${id}-status">Status</label><select id="${id}-status" name="status">${PLAN_STATUSES.map((s) => html`<option value="${s}"${plan?.status === s ? raw(' selected') : ''}>${words(s)}</option>`)}</select>
    <label for="${id}-review">Review date</label><input id="${id}-review" name="reviewDate" type="date" required value="${plan?.reviewDate ?? ''}">
    <button type="submit">Save plan</button></form>`;
}

export const MEASURE_LABEL: Record<Measure, string> = {
  calls: 'Domestic-abuse calls',
  repeatVictimCalls: 'Calls with a repeat victim recognised',
  nonViolentCalls: 'Calls recording non-violent abuse',
  intelligence: 'Calls answered with intelligence',
  intelMsTotal: 'Time from call to intelligence (total ms)',
  intelWithin5s: 'Intelligence within 5 s',
  alerts: 'Custody-release alerts',
  alertsAcknowledged: 'Alerts acknowledged',
  targetActions: 'Actions on targets',
};

/** The figures shown per borough: counts and the shares the review compares. */
export function consistencyRows(stats: Map<string, Partial<Record<Measure, number>>>) {
  return BOROUGHS.map((b) => {
    const s = stats.get(b.code) ?? {};
    const calls = s.calls ?? 0;
    const share = (n: number | undefined) => (calls ? (100 * (n ?? 0)) / calls : 0);
    return {
      code: b.code,
      name: b.name,
      calls,
      repeatShare: share(s.repeatVictimCalls),
      nonViolentShare: share(s.nonViolentCalls),
      meanSecondsToIntel: s.intelligence ? (s.intelMsTotal ?? 0) / s.intelligence / 1000 : 0,
      alerts: s.alerts ?? 0,
      alertsAckShare: s.alerts ? (100 * (s.alertsAcknowledged ?? 0)) / s.alerts : 0,
      targetActions: s.targetActions ?? 0,
    };
  });
}

export function consistencyPage({ month, months, rows }: { month: string; months: string[]; rows: ReturnType<typeof consistencyRows> }): SafeHtml {
  const charts: { key: keyof (typeof rows)[number]; title: string; unit: string; decimals?: number }[] = [
    { key: 'calls', title: 'Domestic-abuse calls', unit: 'calls' },
    { key: 'repeatShare', title: 'Share of calls with a repeat victim recognised', unit: '%', decimals: 1 },
    { key: 'nonViolentShare', title: 'Share of calls recording non-violent abuse (coercive control, stalking, economic, psychological)', unit: '%', decimals: 1 },
    { key: 'meanSecondsToIntel', title: 'Mean time from call to intelligence', unit: 's', decimals: 2 },
    { key: 'alertsAckShare', title: 'Custody-release alerts acknowledged', unit: '%', decimals: 0 },
    { key: 'targetActions', title: 'Actions on targets (tactical plan changes)', unit: 'actions' },
  ];
  const active = rows.filter((r) => r.calls > 0 || r.alerts > 0 || r.targetActions > 0);
  const shown = active.length ? active : rows.slice(0, 0);
  return html`<form method="get" action="/consistency" class="inline"><label for="month">Month</label> <select id="month" name="month">${months.map((m) => html`<option value="${m}"${m === month ? raw(' selected') : ''}>${m}</option>`)}</select> <button type="submit">Show</button> · <a href="/api/consistency?month=${month}">JSON</a></form>
  ${shown.length === 0 ? html`<p class="muted">No calls recorded in ${month}.</p>` : ''}
  <div class="charts">${charts.map((c, i) => html`<section class="measure" aria-labelledby="m${i}"><h2 id="m${i}">${c.title}</h2>${raw(barChart({ id: `c${i}`, title: `${c.title}, ${month}`, bars: shown.map((r) => ({ label: r.name, value: Number(r[c.key]) })), unit: c.unit, decimals: c.decimals ?? 0 }))}</section>`)}</div>
  <div class="table-wrap"><table><caption>Figures for ${month}</caption><thead><tr><th scope="col">Borough</th><th scope="col">Calls</th><th scope="col">Repeat victims</th><th scope="col">Non-violent abuse</th><th scope="col">Mean s to intelligence</th><th scope="col">Alerts</th><th scope="col">Acknowledged</th><th scope="col">Target actions</th></tr></thead><tbody>
  ${shown.map((r) => html`<tr><th scope="row">${r.name}</th><td>${r.calls}</td><td>${r.repeatShare.toFixed(1)}%</td><td>${r.nonViolentShare.toFixed(1)}%</td><td>${r.meanSecondsToIntel.toFixed(2)}</td><td>${r.alerts}</td><td>${r.alertsAckShare.toFixed(0)}%</td><td>${r.targetActions}</td></tr>`)}</tbody></table></div>`;
}

export function auditPage({ entries, query }: { entries: AuditEntry[]; query: Record<string, string> }): SafeHtml {
  const q = (k: string) => query[k] ?? '';
  return html`<form method="get" action="/audit" class="search"><label for="a-actor">Who (username or subject)</label><input id="a-actor" name="actor" value="${q('actor')}">
    <label for="a-subject">Subject id (person, incident, borough)</label><input id="a-subject" name="subject" value="${q('subject')}">
    <label for="a-kind">Kind</label><select id="a-kind" name="kind"><option value="">any</option>${['COLLECTION', 'ALTERATION', 'CONSULTATION', 'DISCLOSURE', 'COMBINATION', 'ERASURE'].map((k) => html`<option value="${k}"${q('kind') === k ? raw(' selected') : ''}>${words(k)}</option>`)}</select>
    <label for="a-outcome">Outcome</label><select id="a-outcome" name="outcome"><option value="">any</option><option value="DONE"${q('outcome') === 'DONE' ? raw(' selected') : ''}>done</option><option value="REFUSED"${q('outcome') === 'REFUSED' ? raw(' selected') : ''}>refused</option></select>
    <div class="form-actions"><button type="submit">Search</button> <a href="/api/audit?${new URLSearchParams(query).toString()}&amp;format=csv">Export CSV</a></div></form>
  <div class="table-wrap"><table><caption>${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, newest first</caption><thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Action</th><th scope="col">Outcome</th><th scope="col">Who</th><th scope="col">What (ids)</th><th scope="col">Why</th></tr></thead><tbody>
  ${entries.map((e) => html`<tr><td>${when(e.at)}</td><td>${words(e.kind)}</td><td>${e.action}</td><td>${words(e.outcome)}</td><td>${e.actor.username ?? e.actor.id}</td><td>${e.subjectIds.join(', ')}</td><td>${e.purpose ?? ''}</td></tr>`)}</tbody></table></div>`;
}

export function homePage({ links }: { links: { href: string; label: string }[] }): SafeHtml {
  return html`${links.length ? html`<ul class="home">${links.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul>` : html`<p>Your role opens no page with personal data. Health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>; API: <a href="/api/docs">/api/docs</a>.</p>`}`;
}

export function purposePage({ entityId, reason }: { entityId: string; reason: string }): SafeHtml {
  return html`<p>${reason}</p><form method="get" action="/persons/${encodeURIComponent(entityId)}"><label for="purpose">Purpose (recorded in the audit log)</label> <input id="purpose" name="purpose" required minlength="10" maxlength="300"> <button type="submit">Open</button></form>`;
}

export function messagePage(message: string): SafeHtml {
  return html`<p>${message}</p><p><a href="/">Home</a></p>`;
}
