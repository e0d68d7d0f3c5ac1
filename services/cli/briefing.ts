// `dauntless briefing --borough CODE [--format md|html] [--out FILE] [--no-save]`:
// the Operation Dauntless briefing for a borough's local policing team, from
// the scorer's board and the identity graph (briefing-model.ts), as Markdown
// or HTML (briefing-format.ts). Each briefing is kept in Redis (unless
// --no-save), so the next one says what changed since.
//
// A disclosure: run as the signed-in person, for the borough's own LPT, leads
// and supervisors only (mayReadBorough, as the web's briefing), audited with
// the borough and the ids of the people in it before it is written out.
import { mayReadBorough } from '../../shared/access/access.ts';
import { asSignedInPerson } from './audited-access.ts';
import { writeFile } from 'node:fs/promises';
import { BOROUGHS, boroughByCode } from '../../shared/geography/boroughs.ts';
import { defineCommand, optionsOf, UsageError } from './command.ts';
import { formatBriefing, type BriefingFormat } from '../../shared/briefing/briefing-format.ts';
import { briefingModel } from '../../shared/briefing/briefing-model.ts';
import { withScorerState } from './scorer-state.ts';

export type BriefingOptions = { boroughCode: string; format: BriefingFormat; out: string | undefined; save: boolean };

/** A borough by ONS code or name, case and spacing aside. */
export function boroughCodeOf(text: string): string | undefined {
  const code = text.trim().toUpperCase();
  if (boroughByCode(code)) return code;
  const name = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/&/g, 'and');
  return BOROUGHS.find((b) => b.name.toLowerCase() === name)?.code;
}

export const command = defineCommand({
  name: 'briefing',
  summary: "a borough's Operation Dauntless briefing for its local policing team: the top five, why, and what changed (md or html)",
  usage: 'dauntless briefing --borough CODE [--format md|html] [--out FILE] [--no-save]',
  description: `Writes the Operation Dauntless briefing for a borough's local policing team:
the top five highest-harm perpetrators, each with the score broken down record
by record, distinct victims, last incident, active orders and bail conditions,
flags, and the change since the borough's last briefing.

Reads Redis from REDIS_URL (or .stack/endpoints.env), the graph DAUNTLESS_GRAPH
(default "dauntless:{g}") and the scorer's boards beside it. People are named
by entity id only.

Needs \`dauntless login\` as an LPT officer of the borough, a lead or a
supervisor; each briefing is written to the s62 audit log (DISCLOSURE
briefing.viewed, or briefing.exported with --out), a refusal too (exit 5).`,
  options: {
    borough: { type: 'string', value: 'CODE', description: 'ONS code (E09000022) or name (Lambeth) of a Met borough' },
    format: { type: 'string', value: 'F', default: 'md', description: 'md or html' },
    out: { type: 'string', value: 'FILE', description: 'write to FILE instead of standard output' },
    'no-save': { type: 'boolean', description: 'do not keep this briefing as the last one (a preview)' },
  },
  positionals: { min: 0, max: 0, what: 'argument' },
  check: ({ values }): BriefingOptions => {
    const { borough, format, out } = values;
    if (format !== 'md' && format !== 'html') throw new UsageError(`--format must be md or html, not "${format}"`);
    if (!borough) throw new UsageError('name the borough: --borough E09000022 (or --borough Lambeth)');
    const boroughCode = boroughCodeOf(borough);
    if (!boroughCode) throw new UsageError(`"${borough}" is not a Met borough: give its ONS code (E09000002..E09000033) or its name`);
    return { boroughCode, format, out, save: !values['no-save'] };
  },
  run: (options, io) =>
    asSignedInPerson('briefing', async (access) => {
      const action = options.out ? 'briefing.exported' : 'briefing.viewed';
      const purpose = await access.require(mayReadBorough(access.user, options.boroughCode), { kind: 'DISCLOSURE', action, subjectIds: [options.boroughCode] });
      return withScorerState(async ({ graph, board, briefings, harm }) => {
        const { model, kept } = await briefingModel({ graph, board, briefings, harm, boroughCode: options.boroughCode, at: Date.now() });
        const text = formatBriefing(model, options.format);
        await access.record({ kind: 'DISCLOSURE', action, subjectIds: [options.boroughCode, ...model.topFive.map((t) => t.entityId)], purpose });
        if (options.out) await writeFile(options.out, text);
        else io.stdout.write(text);
        if (options.save) await briefings.keepBriefing(options.boroughCode, kept);
        if (options.out) io.stderr.write(`dauntless briefing: ${boroughByCode(options.boroughCode)!.name}, ${model.topFive.length} ranked, written to ${options.out}${options.save ? '' : ' (not kept as the last briefing)'}\n`);
        return 0;
      });
    }),
});

/** The options of `dauntless briefing` from its arguments; a usage error says what to change. */
export const parseBriefingArgs = (args: readonly string[]): BriefingOptions => optionsOf(command, args);
