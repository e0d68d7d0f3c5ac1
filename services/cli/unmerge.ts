// `dauntless unmerge <merge-id>`: reverses a wrong merge (merge ids are listed
// by `dauntless explain`). The two entities are restored and kept apart for
// good; the records that may have joined because of the merge are resolved
// again. The people involved are then scored again for Operation Dauntless
// (as `dauntless rescore` would), so no top five keeps a score that counted
// two people's incidents as one person's. Prints what moved. Run again after
// it stopped part-way (a crash, Redis gone), it finishes resolving the records
// still on no entity (reverse-merge.ts).
//
// An alteration: a supervisor only (mayAlterRecords), with --reason, written
// to the audit log before the graph is touched.
import { mayAlterRecords } from '../../shared/access/access.ts';
import { asSignedInPerson } from './audited-access.ts';
import { UsageError } from './command.ts';
import { pino } from 'pino';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { DEFAULT_NAMESPACE } from '../../shared/graph/redis-identity-store.ts';
import { reverseMerge, type ReverseMergeResult } from '../../shared/graph/reverse-merge.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import { defineCommand } from './command.ts';
import { withGraphStore } from './graph-store.ts';
import { withScorerState } from './scorer-state.ts';

/** What the reversal did to the two entities; a resumed run only finished resolving records again. */
function reversalLine({ mergeId, restored, restoredRecords, survivor, resolvedAgain, resumed }: ReverseMergeResult): string {
  if (resumed) return `Merge ${mergeId} was reversed before; finished resolving ${resolvedAgain.length} record(s) it had left on no entity.\n`;
  return `Merge ${mergeId} reversed: ${restored} restored with ${restoredRecords} record(s); ${survivor} kept the rest.\n`;
}

export const command = defineCommand({
  name: 'unmerge',
  summary: 'reverse a wrong merge: restore both entities, keep them apart, resolve the records that joined since again',
  usage: 'dauntless unmerge <merge-id> --reason TEXT [--json]',
  description: `Reverses the merge (see \`dauntless explain <entity-id>\` for merge ids): both
entities are restored and never merged again, and the records that linked
them or joined since are resolved again (if a run stopped before that was
done, running it again finishes it). Everyone involved is then scored again
on the Operation Dauntless boards (the scorer publishes changed boroughs at its
next tick). Graph: DAUNTLESS_GRAPH (default ${DEFAULT_NAMESPACE}).

Needs \`dauntless login\` as a supervisor; the reversal is written to the s62
audit log (ALTERATION merge.reversed, the merge id and the reason) before
the graph is changed, a refusal too (exit 5).`,
  options: {
    reason: { type: 'string', value: 'TEXT', description: 'why the merge is wrong (at least 10 characters; recorded in the audit log)' },
    json: { type: 'boolean', description: 'print what moved as data' },
  },
  positionals: { min: 1, max: 1, what: 'merge id' },
  check: ({ values, positionals: [id] }) => {
    const reason = values.reason?.trim() ?? '';
    if (reason.length < 10) throw new UsageError('say why the merge is wrong: --reason "..." (at least 10 characters; it is recorded)');
    return { id: id!, json: values.json, reason: reason.slice(0, 500) };
  },
  run: ({ id, json, reason }, io) => asSignedInPerson('unmerge', async (access) => {
    await access.require(mayAlterRecords(access.user), { kind: 'ALTERATION', action: 'merge.reversed', subjectIds: [id] });
    // Recorded before the change: an alteration nobody can account for must not happen.
    await access.record({ kind: 'ALTERATION', action: 'merge.reversed', subjectIds: [id], purpose: reason, evidenceId: id });
    const result = await withGraphStore(({ store, admin }) => reverseMerge(id, { admin, store, model: defaultPersonModel, referenceDate: new Date() }));
    const people = [...new Set([result.survivor, result.restored, ...result.resolvedAgain.map((r) => r.entityId)])];
    // To stderr: stdout carries the result (--json).
    const logger = createLogger('unmerge', { level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
    const boroughs = await withScorerState(({ graph, board, harm }) => createScorer({ graph, board, harm, logger }).rescoreEntities(people, Date.now()));
    if (json) {
      io.stdout.write(JSON.stringify({ ...result, scoredAgain: people, boroughsChanged: boroughs }, null, 2) + '\n');
    } else {
      io.stdout.write(
        reversalLine(result) +
          result.resolvedAgain.map((r) => `  ${r.recordId} resolved again → ${r.entityId} (${r.decision.outcome})\n`).join('') +
          `${people.length} people scored again; top five changed in ${boroughs.length} borough(s)${boroughs.length ? `: ${boroughs.join(', ')}` : ''}.\n`,
      );
    }
    return 0;
  }),
});
