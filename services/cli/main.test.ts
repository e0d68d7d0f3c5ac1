import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The real launcher, as an operator runs it, when something is wrong: no
// servers are needed (the Redis is a closed port). Whatever went wrong,
// standard error holds one sentence, never a stack.
const root = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** The environment without the stack: no endpoints file, no server variables but those given. */
function bareEnv(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { KAFKA_BROKERS: _k, REDIS_URL: _r, SCHEMA_REGISTRY_URL: _s, LOG_LEVEL: _l, OIDC_ISSUER: _o, DAUNTLESS_ACCESS_TOKEN: _t, ...rest } = process.env;
  const dir = mkdtempSync(join(tmpdir(), 'dauntless-no-stack-'));
  // No session either: whoever runs the tests may be signed in.
  return { ...rest, DAUNTLESS_STACK_DIR: dir, DAUNTLESS_CLI_SESSION: join(dir, 'session.json'), ...vars };
}

function dauntless(args: string[], env: NodeJS.ProcessEnv = bareEnv()): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/dauntless.js', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

describe('dauntless, run wrongly or against what is not there', () => {
  it('refuses a mistyped flag in one line that points to the help, exit 2', async () => {
    const { code, stdout, stderr } = await dauntless(['explain', 'P-1', '--jsn']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual(['dauntless explain: unknown option --jsn; see `dauntless help explain`']);
  }, 30_000);

  it("shows canon's own usage for `help canon`, not the list of commands", async () => {
    const { code, stdout, stderr } = await dauntless(['help', 'canon']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: dauntless canon <phone\|name\|address\|dob>/);
    expect(stdout).toContain('--reference-date DATE');
    expect(stdout).not.toContain('Commands:');
  }, 30_000);

  it('prints its version', async () => {
    const { code, stdout } = await dauntless(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  }, 30_000);

  it('says in one line that Redis at the address given is not answering, within a few seconds, asking for no other server', async () => {
    const { code, stdout, stderr, ms } = await dauntless(['rescore', '--all'], bareEnv({ REDIS_URL: 'redis://127.0.0.1:1' }));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^dauntless rescore: Redis at 127\.0\.0\.1:1 is not answering \(connect ECONNREFUSED 127\.0\.0\.1:1\): start the local servers with `npm run stack:up`/);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain('Unhandled error event');
    // Node and tsx start in about a second; a dead Redis must not add more than a few.
    expect(ms).toBeLessThan(8_000);
  }, 30_000);

  it('says which endpoint is missing and how to start the stack, in one line', async () => {
    const { code, stderr } = await dauntless(['rescore', '--all']);
    expect(code).toBe(1);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^dauntless rescore: No REDIS_URL in the environment or in .*endpoints\.env\. Start the local servers with `npm run stack:up`/);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 30_000);

  it('says in one line that nobody is signed in, exit 4, before asking any server', async () => {
    // Every server a closed port: a command that asked one would say so instead.
    const closed = { OIDC_ISSUER: 'http://127.0.0.1:1/realms/dauntless', REDIS_URL: 'redis://127.0.0.1:1', KAFKA_BROKERS: '127.0.0.1:1', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1' };
    const commands = [['explain', 'P-1'], ['briefing', '--borough', 'Lambeth'], ['target', 'P-1'], ['unmerge', 'M-1', '--reason', 'two different women'], ['tail', 'intel'], ['dlq', 'replay', '--all'], ['refuge', 'check', '--phone', '07700900123'], ['whoami']];
    const runs = await Promise.all(commands.map((args) => dauntless(args, bareEnv(closed))));
    for (const [i, { code, stdout, stderr }] of runs.entries()) {
      const args = commands[i]!;
      expect(code, args.join(' ')).toBe(4);
      expect(stdout).toBe('');
      expect(lines(stderr)).toEqual([`dauntless ${args[0]}: Nobody is signed in: run \`dauntless login\` (or set DAUNTLESS_ACCESS_TOKEN).`]);
    }
  }, 60_000);

  it('asks for the provider when none is named', async () => {
    const { code, stderr } = await dauntless(['explain', 'P-1']);
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual(['dauntless explain: No OIDC_ISSUER: name the identity provider people sign in with (the local stack writes it to .stack/endpoints.env: run `npm run stack:up`).']);
  }, 30_000);
});
