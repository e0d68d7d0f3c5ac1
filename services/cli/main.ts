// `dauntless <command> [args]`: one entry point for the operator tools.
// Each command lives in its own module, declared with defineCommand
// (command.ts), and is loaded only when asked for, so `dauntless canon` does
// not pay for Kafka or Redis clients; only the list of commands loads them all.
import { readFileSync } from 'node:fs';
import { runCommand, helpText, type AnyCommand, type CommandIo } from './command.ts';
import { describeFailure } from './describe-failure.ts';

const commands: Readonly<Record<string, () => Promise<{ command: AnyCommand }>>> = {
  canon: () => import('./canon.ts'),
  resolve: () => import('./resolve.ts'),
  explain: () => import('./explain.ts'),
  tail: () => import('./tail.ts'),
  dlq: () => import('./dlq.ts'),
  simulate: () => import('./simulate.ts'),
  briefing: () => import('./briefing.ts'),
  target: () => import('./target.ts'),
  rescore: () => import('./rescore.ts'),
  unmerge: () => import('./unmerge.ts'),
  refuge: () => import('./refuge.ts'),
  login: () => import('./login.ts'),
  logout: () => import('./logout.ts'),
  whoami: () => import('./whoami.ts'),
};

/** The version in package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function usage(): Promise<string> {
  const loaded = await Promise.all(Object.values(commands).map(async (load) => (await load()).command));
  const width = Math.max(...loaded.map((c) => c.name.length), 4);
  const lines = loaded.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: dauntless <command> [args]',
    '       dauntless help <command>   a command\'s options (or: dauntless <command> --help)',
    '       dauntless --version',
    '',
    'Commands:',
    ...lines,
  ].join('\n');
}

const processIo: CommandIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

export async function main(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === '--version' || name === '-V') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (name === 'help' && rest.length > 0) {
      const load = commands[rest[0]!];
      if (!load) return unknownCommand(rest[0]!, io);
      io.stdout.write(`${helpText((await load()).command)}\n`);
      return 0;
    }
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(`${await usage()}\n`);
      return name ? 0 : 2;
    }
    const load = commands[name];
    if (!load) return unknownCommand(name, io);
    return await runCommand((await load()).command, rest, io);
  } catch (error) {
    // runCommand catches what a command throws; this is for the CLI's own failures (a module that will not load).
    io.stderr.write(`dauntless: ${describeFailure(error)}\n`);
    return 1;
  }
}

async function unknownCommand(name: string, io: CommandIo): Promise<number> {
  io.stderr.write(`dauntless: unknown command "${name}"\n\n${await usage()}\n`);
  return 2;
}
