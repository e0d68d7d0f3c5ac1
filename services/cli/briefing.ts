// `dauntless briefing --borough CODE [--format md|html] [--out FILE] [--no-save]`:
// the Operation Dauntless briefing for a borough's local policing team, from
// the scorer's board and the identity graph (briefing-model.ts), as Markdown
// or HTML (briefing-format.ts). Each briefing is kept in Redis (unless
// --no-save), so the next one says what changed since.
import { writeFile } from 'node:fs/promises';
import { BOROUGHS, boroughByCode } from '../../shared/geography/boroughs.ts';
import { formatBriefing, type BriefingFormat } from './briefing-format.ts';
import { briefingModel } from './briefing-model.ts';
import { withScorerState } from './scorer-state.ts';

export const usage = `Usage: dauntless briefing --borough CODE [--format md|html] [--out FILE] [--no-save]

Writes the Operation Dauntless briefing for a borough's local policing team:
the top five highest-harm perpetrators, each with the score broken down record
by record, distinct victims, last incident, active orders and bail conditions,
flags, and the change since the borough's last briefing.

  --borough CODE   ONS code (E09000022) or name (Lambeth) of a Met borough
  --format F       md (default) or html
  --out FILE       write to FILE instead of standard output
  --no-save        do not keep this briefing as the last one (a preview)

Reads Redis from REDIS_URL (or .stack/endpoints.env), the graph DAUNTLESS_GRAPH
(default "dauntless:{g}") and the scorer's boards beside it. People are named
by entity id only.`;

export type BriefingOptions = { boroughCode: string; format: BriefingFormat; out: string | undefined; save: boolean };

/** A borough by ONS code or name, case and spacing aside. */
export function boroughCodeOf(text: string): string | undefined {
  const code = text.trim().toUpperCase();
  if (boroughByCode(code)) return code;
  const name = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/&/g, 'and');
  return BOROUGHS.find((b) => b.name.toLowerCase() === name)?.code;
}

export function parseBriefingArgs(args: readonly string[]): BriefingOptions {
  let borough: string | undefined;
  let format: BriefingFormat = 'md';
  let out: string | undefined;
  let save = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v.startsWith('--')) throw new TypeError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--borough') borough = value();
    else if (flag === '--format') {
      const f = value();
      if (f !== 'md' && f !== 'html') throw new TypeError(`--format must be md or html, not "${f}"`);
      format = f;
    } else if (flag === '--out') out = value();
    else if (flag === '--no-save') save = false;
    else throw new TypeError(`unknown argument ${arg}`);
  }
  if (!borough) throw new TypeError('name the borough: --borough E09000022 (or --borough Lambeth)');
  const boroughCode = boroughCodeOf(borough);
  if (!boroughCode) throw new TypeError(`"${borough}" is not a Met borough: give its ONS code (E09000002..E09000033) or its name`);
  return { boroughCode, format, out, save };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  let options: BriefingOptions;
  try {
    options = parseBriefingArgs(args);
  } catch (error) {
    process.stderr.write(`dauntless briefing: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  try {
    return await withScorerState(async ({ graph, board, harm }) => {
      const { model, kept } = await briefingModel({ graph, board, harm, boroughCode: options.boroughCode, at: Date.now() });
      const text = formatBriefing(model, options.format);
      if (options.out) await writeFile(options.out, text);
      else process.stdout.write(text);
      if (options.save) await board.keepBriefing(options.boroughCode, kept);
      if (options.out) process.stderr.write(`dauntless briefing: ${boroughByCode(options.boroughCode)!.name}, ${model.topFive.length} ranked, written to ${options.out}${options.save ? '' : ' (not kept as the last briefing)'}\n`);
      return 0;
    });
  } catch (error) {
    process.stderr.write(`dauntless briefing: ${(error as Error).message}\n`);
    return 1;
  }
}
