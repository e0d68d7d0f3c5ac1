import { PassThrough } from 'node:stream';
import { CsvError } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { argsOf, defineCommand, helpText, runCommand, UsageError, type CommandIo } from './command.ts';
import { describeFailure } from './describe-failure.ts';
import { main, version } from './main.ts';
import { collector } from '../../test/helpers/collector.ts';

/** Standard streams that keep what is written to them. */
function io(): CommandIo & { out(): string; err(): string } {
  const stdout = collector();
  const stderr = collector();
  return { stdin: new PassThrough(), stdout, stderr, out: stdout.text, err: stderr.text };
}

// A small command of the usual shape: a positional, a string with a default, a repeatable one, a flag.
const ran: unknown[] = [];
const greet = defineCommand({
  name: 'greet',
  summary: 'say hello',
  usage: 'dauntless greet <name> [--greeting WORD] [--also NAME]... [--loud]',
  description: 'Says hello to someone.',
  options: {
    greeting: { type: 'string', value: 'WORD', default: 'hello', description: 'what to say' },
    also: { type: 'string', multiple: true, value: 'NAME', description: 'someone else to greet\nas many times as needed' },
    loud: { type: 'boolean', short: 'l', description: 'in capitals' },
    fail: { type: 'string', value: 'HOW', description: 'fail on purpose' },
  },
  positionals: { min: 1, max: 1, what: 'name' },
  check: ({ values, positionals: [name] }) => {
    if (values.greeting === '') throw new UsageError('--greeting needs a word');
    return { name: name!, ...values };
  },
  run: async (options, streams) => {
    ran.push(options);
    if (options.fail === 'redis') throw new DauntlessError('REDIS_UNAVAILABLE', 'Redis at 127.0.0.1:1 is not answering (connect ECONNREFUSED 127.0.0.1:1).');
    if (options.fail === 'bug') throw new Error('something\nbroke');
    const text = [options.name, ...options.also].map((n) => `${options.greeting} ${n}`).join(', ');
    streams.stdout.write(`${options.loud ? text.toUpperCase() : text}\n`);
    return 0;
  },
});

describe('the command helper', () => {
  it('reads positionals, strings with their defaults, repeated options and flags (long and short)', async () => {
    expect(argsOf(greet, ['Ada'])).toEqual({ values: { greeting: 'hello', also: [], loud: false, fail: undefined }, positionals: ['Ada'] });
    expect(argsOf(greet, ['--greeting=hi', 'Ada', '--also', 'Bo', '--also', 'Cy', '-l']).values).toEqual({ greeting: 'hi', also: ['Bo', 'Cy'], loud: true, fail: undefined });
    const streams = io();
    expect(await runCommand(greet, ['Ada', '--also', 'Bo', '--loud'], streams)).toBe(0);
    expect(streams.out()).toBe('HELLO ADA, HELLO BO\n');
    expect(streams.err()).toBe('');
  });

  it.each([
    [['Ada', '--lound'], 'dauntless greet: unknown option --lound; see `dauntless help greet`\n'],
    [['Ada', '-x'], 'dauntless greet: unknown option -x; see `dauntless help greet`\n'],
    [['Ada', '--greeting'], 'dauntless greet: --greeting needs a value; see `dauntless help greet`\n'],
    [['Ada', '--loud=yes'], 'dauntless greet: --loud takes no value; see `dauntless help greet`\n'],
  ])('refuses %j in one line that says where the help is, exit 2, without running', async (argv, line) => {
    ran.length = 0;
    const streams = io();
    expect(await runCommand(greet, argv, streams)).toBe(2);
    expect(streams.err()).toBe(line);
    expect(streams.out()).toBe('');
    expect(ran).toEqual([]);
  });

  it('refuses a positional to a command that takes none, and a wrong number of them, with the usage', async () => {
    const none = defineCommand({ ...greet, name: 'none', positionals: { min: 0, max: 0, what: 'argument' }, check: () => ({}), run: async () => 0 });
    const streams = io();
    expect(await runCommand(none, ['50'], streams)).toBe(2);
    expect(streams.err()).toBe('dauntless none: unexpected argument "50"; see `dauntless help none`\n');

    const twice = io();
    expect(await runCommand(greet, ['Ada', 'Bo'], twice)).toBe(2);
    expect(twice.err()).toMatch(/^dauntless greet: give exactly one name\.\n\nUsage: dauntless greet <name>/);
    const check = io();
    expect(await runCommand(greet, ['Ada', '--greeting='], check)).toBe(2);
    expect(check.err()).toMatch(/^dauntless greet: --greeting needs a word\n\nUsage: dauntless greet/);
  });

  it('prints the help for --help or -h, wherever it is and whatever else is wrong, exit 0', async () => {
    for (const argv of [['--help'], ['Ada', '-h', '--nonsense'], ['-h']]) {
      const streams = io();
      expect(await runCommand(greet, argv, streams)).toBe(0);
      expect(streams.out()).toBe(`${helpText(greet)}\n`);
      expect(streams.err()).toBe('');
    }
    expect(helpText(greet)).toBe(
      [
        'Usage: dauntless greet <name> [--greeting WORD] [--also NAME]... [--loud]',
        '',
        'Says hello to someone.',
        '',
        'Options:',
        '  --greeting WORD  what to say (default hello)',
        '  --also NAME      someone else to greet',
        '                   as many times as needed',
        '  -l, --loud       in capitals',
        '  --fail HOW       fail on purpose',
        '  -h, --help       print this help',
      ].join('\n'),
    );
  });

  it('turns a failure into one sentence after the command name, exit 1, never a stack', async () => {
    const down = io();
    expect(await runCommand(greet, ['Ada', '--fail', 'redis'], down)).toBe(1);
    expect(down.err()).toBe('dauntless greet: Redis at 127.0.0.1:1 is not answering (connect ECONNREFUSED 127.0.0.1:1).\n');
    const bug = io();
    expect(await runCommand(greet, ['Ada', '--fail', 'bug'], bug)).toBe(1);
    expect(bug.err()).toBe('dauntless greet: something broke\n');
  });

  it('will not let a command take --help for itself', () => {
    const selfish = { name: 'selfish', summary: '', usage: '', description: '', positionals: { min: 0, max: 0, what: '' }, check: () => ({}), run: async () => 0 };
    expect(() => defineCommand({ ...selfish, options: { help: { type: 'boolean', description: 'mine' } } })).toThrow(TypeError);
  });
});

describe('describeFailure', () => {
  it('says which file is missing or not allowed, and what is wrong with a CSV', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x.csv'"), { code: 'ENOENT', path: '/x.csv', syscall: 'open' });
    expect(describeFailure(enoent)).toBe('no such file: /x.csv');
    expect(describeFailure(Object.assign(new Error('EACCES'), { code: 'EACCES', path: '/root/x' }))).toBe('not allowed to read or write /root/x');
    expect(describeFailure(new CsvError('CSV_QUOTE_NOT_CLOSED', 'Quote Not Closed: the parsing is finished with an opening quote at line 2', {} as never))).toBe(
      'not well-formed CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2',
    );
  });

  it('names the server when only the client library failed', () => {
    expect(describeFailure(Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }))).toMatch(/^Redis did not answer/);
    expect(describeFailure(Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { name: 'KafkaJSConnectionError' }))).toMatch(/^Kafka did not answer/);
  });
});

describe('dauntless itself', () => {
  it('prints the version in package.json for --version', async () => {
    const streams = io();
    expect(await main(['--version'], streams)).toBe(0);
    expect(streams.out()).toBe(`${version()}\n`);
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("shows a command's own help for `help <command>`, not the list of commands", async () => {
    const streams = io();
    expect(await main(['help', 'explain'], streams)).toBe(0);
    expect(streams.out()).toMatch(/^Usage: dauntless explain <entity-id> \[--purpose TEXT\] \[--json\]\n/);
    expect(streams.out()).not.toContain('Commands:');
    const list = io();
    expect(await main(['help'], list)).toBe(0);
    expect(list.out()).toMatch(/^Usage: dauntless <command> \[args\]\n[\s\S]*\n  canon +canonicalise/);
  }, 30_000);

  it('refuses a command it does not know, exit 2', async () => {
    const streams = io();
    expect(await main(['help', 'frobnicate'], streams)).toBe(2);
    expect(streams.err()).toMatch(/^dauntless: unknown command "frobnicate"\n/);
  }, 30_000);
});
