// One way for every `dauntless` command to declare and read its arguments.
// A command declares its name, summary, usage, options and positionals once;
// from that one declaration come the parsing (node:util parseArgs, strict, so
// a mistyped flag is refused rather than ignored), the help text, and the
// error boundary that turns a failure into one sentence and an exit code:
//   0  done
//   1  failed: a server not answering, a file missing, nothing found
//   2  called wrongly: an unknown flag, a value missing or malformed
//   4  nobody signed in: no token, or one the provider did not issue for us, or expired (`dauntless login`)
//   5  refused: the person signed in has no need to know (role, borough, purpose); the refusal is audited
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { describeFailure } from './describe-failure.ts';

export type OptionSpec = Readonly<{
  type: 'string' | 'boolean';
  short?: string;
  /** A string option that may be given more than once; its value is every one, in order. */
  multiple?: boolean;
  /** A string option's value when it is not given; shown in the help. */
  default?: string;
  /** The value's name in the help: `--input FILE.csv`. */
  value?: string;
  /** For the help; continuation lines are indented under the first. */
  description: string;
}>;

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** A boolean is false when not given, a repeatable option [], a string its default or undefined. */
type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : S extends { default: string }
      ? string
      : string | undefined;

export type Parsed<O extends OptionSpecs> = { values: { -readonly [K in keyof O]: ValueOf<O[K]> }; positionals: string[] };

/** How many bare arguments a command takes, and what they are called in a message. */
export type Positionals = Readonly<{ min: number; max: number; what: string }>;

export type CommandIo = { stdin: Readable; stdout: Writable; stderr: Writable };

export type Command<O extends OptionSpecs, T> = Readonly<{
  name: string;
  /** One line, for `dauntless help`. */
  summary: string;
  /** The synopsis after "Usage: "; later lines indented to line up. */
  usage: string;
  /** What the command does, and anything the options table does not say. */
  description: string;
  options: O;
  positionals: Positionals;
  /** Checks the values and builds what run takes; what it throws is a usage error (exit 2, with the help). */
  check(parsed: Parsed<O>): T;
  /** Does the work; what it throws goes through the error boundary (one sentence, exit 1). */
  run(options: T, io: CommandIo): Promise<number>;
}>;

// Commands are kept in one table whatever their options; each is type-checked where it is defined.
export type AnyCommand = Command<any, any>;

export function defineCommand<const O extends OptionSpecs, T>(command: Command<O, T>): Command<O, T> {
  if ('help' in command.options) throw new TypeError(`dauntless ${command.name}: --help is every command's own; name the option otherwise`);
  return Object.freeze(command);
}

/**
 * The way the command was called is wrong. `brief`: a flag the parser does
 * not know, a value missing: one line and where to find the help, since the
 * whole help would bury the one word mistyped.
 */
export class UsageError extends Error {
  readonly brief: boolean;
  constructor(message: string, { brief = false }: { brief?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.brief = brief;
  }
}

/** --help or -h anywhere before a `--`, whatever else is wrong with the line. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** parseArgs's errors, as a sentence in the words of the rest of the CLI. */
function parserMessage(error: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  // "-l, --loud" when the option has a short form too: the long one says more.
  const flag = quoted.replace(/ <value>$/, '').split(', ').at(-1)!;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${flag}"`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(error.message) ? `${flag} takes no value` : `${flag} needs a value`;
    default:
      return error.message;
  }
}

/** The command's options and positionals from its arguments; a UsageError when they do not fit its declaration. */
export function argsOf<O extends OptionSpecs, T>(command: Command<O, T>, argv: readonly string[]): Parsed<O> {
  const { min, max, what } = command.positionals;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.entries(command.options as OptionSpecs).map(([name, spec]) => [
          name,
          { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}), ...(spec.default !== undefined ? { default: spec.default } : {}) },
        ]),
      ),
      strict: true,
      allowPositionals: max > 0,
    });
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) throw new UsageError(parserMessage(error as Error), { brief: true });
    throw error;
  }
  const values: Record<string, unknown> = { ...parsed.values };
  for (const [name, spec] of Object.entries(command.options as OptionSpecs)) {
    if (values[name] !== undefined) continue;
    if (spec.type === 'boolean') values[name] = false;
    else if (spec.multiple) values[name] = [];
  }
  const count = parsed.positionals.length;
  if (count < min || count > max) {
    throw new UsageError(min === max ? `give exactly ${min === 1 ? 'one' : min} ${what}.` : count > max ? `give at most ${max} ${what}.` : `give at least ${min} ${what}.`);
  }
  return { values: values as Parsed<O>['values'], positionals: parsed.positionals };
}

/** What run takes, from the arguments: parsed, then checked by the command. */
export function optionsOf<O extends OptionSpecs, T>(command: Command<O, T>, argv: readonly string[]): T {
  return command.check(argsOf(command, argv));
}

/** The help of one command, from its declaration. */
export function helpText(command: AnyCommand): string {
  const rows: [string, string][] = Object.entries(command.options as OptionSpecs).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`,
    spec.description + (spec.default !== undefined ? ` (default ${spec.default})` : ''),
  ]);
  rows.push(['-h, --help', 'print this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const table = rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text.split('\n').join(`\n  ${''.padEnd(width)}  `)}`);
  return [`Usage: ${command.usage}`, '', command.description, '', 'Options:', ...table].join('\n');
}

/** 4 and 5 for the two ways of being turned away, so a script can tell them from a server that failed (1). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof DauntlessError && error.code === 'NOT_SIGNED_IN') return 4;
  if (error instanceof DauntlessError && error.code === 'ACCESS_REFUSED') return 5;
  return 1;
}

/** Runs one command as the CLI does, and returns its exit code. */
export async function runCommand(command: AnyCommand, argv: readonly string[], io: CommandIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`dauntless ${command.name}: ${text}\n`);
  if (wantsHelp(argv)) {
    io.stdout.write(`${helpText(command)}\n`);
    return 0;
  }
  let options: unknown;
  try {
    options = optionsOf(command, argv);
  } catch (error) {
    if (error instanceof UsageError && error.brief) say(`${error.message}; see \`dauntless help ${command.name}\``);
    else say(`${describeFailure(error)}\n\n${helpText(command)}`);
    return 2;
  }
  try {
    return await command.run(options, io);
  } catch (error) {
    say(describeFailure(error));
    return exitCodeOf(error);
  }
}
