// `dauntless explain <entity-id> [--purpose TEXT] [--json]`: why each record belongs to a
// person entity: the fields compared, the level each reached, the weight of
// each, the total score, and the merges that shaped the entity. Reads the
// identity graph named by REDIS_URL (or .stack/endpoints.env) and
// DAUNTLESS_GRAPH (default "dauntless:{g}").
//
// A consultation of a person: run as the signed-in person, allowed as the web
// app's person page is (shared/access/access.ts mayReadPerson: an LPT for a
// person with incidents in their borough, a lead for a person with history,
// otherwise a lead or supervisor with --purpose), and audited before it prints.
import { mayReadPerson } from '../../shared/access/access.ts';
import { asSignedInPerson } from './audited-access.ts';
import type { EntityExplanation, RecordExplanation } from '../../shared/graph/identity-admin.ts';
import { defineCommand } from './command.ts';
import { withGraphStore } from './graph-store.ts';

const when = (ms: number) => (Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '-');
const signed = (w: number) => (w >= 0 ? '+' : '') + w.toFixed(2);

function describeDecision(record: RecordExplanation): string {
  const d = record.decision;
  if (d.outcome === 'new') return 'first record of a new entity';
  if (d.outcome === 'link') return `linked (score ${d.score.matchWeight.toFixed(2)}, p=${d.score.probability.toFixed(5)})` + (d.score.corroboratedBy ? `, possible match corroborated by ${d.score.corroboratedBy.join(', ')}` : '');
  return `linked and merged ${d.entityIds.length} entities (${d.entityIds.join(', ')})`;
}

/** The explanation as a person reads it. Pure, so it is tested without Redis. */
export function formatExplanation(e: EntityExplanation): string {
  const lines: string[] = [];
  lines.push(`Entity ${e.entityId}` + (e.requestedId !== e.entityId ? ` (asked for ${e.requestedId}, merged into it)` : ''));
  lines.push(`${e.records.length} record(s), ${e.merges.length} merge(s)` + (e.notWith.length ? `, never to merge with ${e.notWith.join(', ')}` : ''));
  for (const record of e.records) {
    lines.push('');
    lines.push(`  ${record.recordId}  [${record.source || 'unknown source'}]  ${when(record.resolvedAt)}  model ${record.modelVersion || '-'}`);
    lines.push(`    ${describeDecision(record)}`);
    const scores = record.decision.outcome === 'merge' ? Object.entries(record.decision.scores) : record.score ? [['', record.score] as const] : [];
    for (const [entityId, score] of scores) {
      if (entityId) lines.push(`    against ${entityId}: score ${score.matchWeight.toFixed(2)}, p=${score.probability.toFixed(5)}`);
      const width = Math.max(...score.evidence.map((ev) => ev.field.length), 5);
      for (const ev of score.evidence) {
        lines.push(`      ${ev.field.padEnd(width)}  ${ev.level.padEnd(24)} ${signed(ev.weight).padStart(7)}` + (ev.againstRecordId ? `  vs ${ev.againstRecordId}` : ''));
      }
      // The model's prior (how likely two records match before any comparison) is the rest of the total.
      const prior = score.matchWeight - score.evidence.reduce((sum, ev) => sum + ev.weight, 0);
      if (Math.abs(prior) >= 0.005) lines.push(`      ${'prior'.padEnd(width)}  ${'(before comparing)'.padEnd(24)} ${signed(prior).padStart(7)}`);
      lines.push(`      ${'total'.padEnd(width)}  ${''.padEnd(24)} ${signed(score.matchWeight).padStart(7)}`);
    }
    for (const p of record.possible) {
      lines.push(`    possible match not linked: ${p.entityId} (score ${p.score.matchWeight.toFixed(2)})`);
    }
  }
  if (e.merges.length) {
    lines.push('');
    lines.push('Merges:');
    for (const m of e.merges) {
      lines.push(
        `  ${m.mergeId}  ${when(m.at)}  ${m.absorbed} (${m.absorbedRecordIds.length} record(s)) into ${m.survivor}, linked by ${m.recordId}` +
          (m.reversedAt ? `  REVERSED ${when(m.reversedAt)}` : ''),
      );
    }
  }
  return lines.join('\n');
}

export const command = defineCommand({
  name: 'explain',
  summary: 'why each record belongs to a person entity: comparisons, levels, weights, merges',
  usage: 'dauntless explain <entity-id> [--purpose TEXT] [--json]',
  description: `Prints why each record belongs to the entity (comparisons, levels, weights,
total score), the possible matches not taken, and the merges. A merged-away id
is followed to the entity it is part of now.

Needs \`dauntless login\`: an LPT officer sees the people with incidents in
their borough, a lead the people with domestic-abuse history; anyone else a
lead or supervisor reaches only with --purpose. Each use is written to the
s62 audit log (CONSULTATION person.explained) with the ids and the purpose;
a refusal too (exit 5).`,
  options: {
    purpose: { type: 'string', value: 'TEXT', description: 'why you need this person, when no route leads you to them\n(at least 10 characters; recorded in the audit log)' },
    json: { type: 'boolean', description: 'print the same as data' },
  },
  positionals: { min: 1, max: 1, what: 'entity id' },
  check: ({ values, positionals: [id] }) => ({ id: id!, json: values.json, purpose: values.purpose }),
  run: ({ id, json, purpose }, io) =>
    asSignedInPerson('explain', (access) => withGraphStore(async ({ admin, events }) => {
      const explanation = await admin.explain(id);
      const [history] = await events.histories([explanation?.entityId ?? id]);
      const boroughs = [...new Set((history?.events ?? []).map((e) => e.facts.boroughCode).filter((b): b is string => !!b))];
      const subjectIds = explanation ? [...new Set([explanation.entityId, id])] : [id];
      const allowed = await access.require(mayReadPerson(access.user, { boroughs, inRecentCall: false, viaIncident: undefined }, purpose), { kind: 'CONSULTATION', action: 'person.explained', subjectIds });
      if (!explanation) {
        io.stderr.write(`dauntless explain: no entity ${id} in graph ${admin.namespace}.\n`);
        return 1;
      }
      await access.record({ kind: 'CONSULTATION', action: 'person.explained', subjectIds, purpose: allowed });
      io.stdout.write((json ? JSON.stringify(explanation, null, 2) : formatExplanation(explanation)) + '\n');
      return 0;
    })),
});
