// A call's pre-arrival intelligence as a card a dispatcher reads in seconds:
// the warning markers first, then each person with their history. Names are
// shown only where the route passed them in (the user is entitled to them);
// otherwise the entity id.
import type { PersonIntelligence, PreArrivalIntelligence } from '../../../shared/contracts/intelligence.ts';
import type { PersonName } from '../../../shared/graph/person-records.ts';
import { incompleteWords } from '../../../shared/format/intel-format.ts';
import { boroughByCode } from '../../../shared/geography/boroughs.ts';
import { day, html, when, words, type SafeHtml } from './html.ts';

const boroughName = (code: string) => boroughByCode(code)?.name ?? code;

export function personLabel(entityId: string, names: ReadonlyMap<string, PersonName> | undefined): string {
  const name = names?.get(entityId)?.name;
  return name ? name : `Person ${entityId}`;
}

function personBlock(intel: PreArrivalIntelligence, person: PersonIntelligence, names: ReadonlyMap<string, PersonName> | undefined): SafeHtml {
  const flags: string[] = [];
  if (person.repeatMarac) flags.push('Repeat MARAC');
  else if (person.maracLast12Months) flags.push('MARAC (12 months)');
  if (person.serialPerpetrator) flags.push('Serial perpetrator');
  if (person.counterAllegation) flags.push('Counter-allegation');
  if (person.childrenAtAddress) flags.push('Children at the address');
  const repeat = person.roles.includes('VICTIM') && person.incidentsAllTime > 0;
  return html`<section class="person${repeat ? ' repeat' : ''}" data-entity="${person.entityId}">
    <h3><a href="/persons/${encodeURIComponent(person.entityId)}?incident=${encodeURIComponent(intel.incidentId)}">${personLabel(person.entityId, names)}</a>
      <span class="roles">${person.roles.map(words).join(', ')}</span>${repeat ? html` <strong class="badge repeat-victim">Repeat victim</strong>` : ''}</h3>
    <dl class="facts">
      <div><dt>Previous incidents</dt><dd>${person.incidentsLast12Months} in 12 months · ${person.incidentsAllTime} in all</dd></div>
      <div><dt>Risk</dt><dd>highest ${person.highestRiskLevel ? words(person.highestRiskLevel) : '—'} · latest ${person.latestRiskLevel ? words(person.latestRiskLevel) : '—'}</dd></div>
      ${person.weaponsMentionedBefore.length ? html`<div><dt>Weapons before</dt><dd class="warn">${person.weaponsMentionedBefore.map(words).join(', ')}</dd></div>` : ''}
      ${person.activeOrders.length ? html`<div><dt>Orders</dt><dd>${person.activeOrders.map((o) => html`${words(o.orderType)} until ${day(o.expiresAt)}${o.conditions.length ? html` (${o.conditions.join('; ')})` : ''}`)}</dd></div>` : ''}
      ${person.bailConditions.length ? html`<div><dt>Bail</dt><dd>${person.bailConditions.map((b) => html`${b.description} until ${day(b.expiresAt)}; `)}</dd></div>` : ''}
      ${flags.length ? html`<div><dt>Flags</dt><dd>${flags.map((f) => html`<span class="badge">${f}</span> `)}</dd></div>` : ''}
      <div><dt>Match</dt><dd>${words(person.match)}${person.matchProbability !== null ? ` (p = ${person.matchProbability.toFixed(3)})` : ''}</dd></div>
    </dl>
    ${person.previousIncidents.length ? html`<details><summary>Previous incidents (${person.previousIncidents.length} shown)</summary><ul>${person.previousIncidents.map((p) => html`<li>${day(p.occurredAt)} · ${boroughName(p.boroughCode)} · ${p.roles.map(words).join(', ')} · ${p.abuseTypes.map(words).join(', ') || 'abuse not recorded'}${p.riskLevel ? ` · ${words(p.riskLevel)} risk` : ''}</li>`)}</ul></details>` : ''}
  </section>`;
}

export function intelCard(intel: PreArrivalIntelligence, names: ReadonlyMap<string, PersonName> | undefined): SafeHtml {
  return html`<article class="card${intel.hasHistory ? ' has-history' : ''}" id="incident-${intel.incidentId}" data-incident="${intel.incidentId}" aria-labelledby="h-${intel.incidentId}">
    <header><h2 id="h-${intel.incidentId}">Incident ${intel.incidentId}</h2><p class="meta">${boroughName(intel.boroughCode)} · received ${when(intel.receivedAt)} · intelligence after ${((intel.generatedAt - intel.receivedAt) / 1000).toFixed(1)} s</p></header>
    ${intel.warningMarkers.length ? html`<ul class="markers" aria-label="Warning markers">${intel.warningMarkers.map((m) => html`<li class="marker">${words(m)}</li>`)}</ul>` : ''}
    <p class="summary">${intel.summary}</p>
    ${(intel.incomplete ?? []).map((missing) => html`<p class="incomplete" role="status"><strong class="badge">Incomplete</strong> ${incompleteWords(missing)}</p>`)}
    ${intel.persons.map((p) => personBlock(intel, p, names))}
  </article>`;
}
