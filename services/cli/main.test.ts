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
  const { KAFKA_BROKERS: _k, REDIS_URL: _r, SCHEMA_REGISTRY_URL: _s, LOG_LEVEL: _l, ...rest } = process.env;
  return { ...rest, DAUNTLESS_STACK_DIR: mkdtempSync(join(tmpdir(), 'dauntless-no-stack-')), ...vars };
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
    const { code, stdout, stderr, ms } = await dauntless(['explain', 'P-1'], bareEnv({ REDIS_URL: 'redis://127.0.0.1:1' }));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^dauntless explain: Redis at 127\.0\.0\.1:1 is not answering \(connect ECONNREFUSED 127\.0\.0\.1:1\): start the local servers with `npm run stack:up`/);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain('Unhandled error event');
    // Node and tsx start in about a second; a dead Redis must not add more than a few.
    expect(ms).toBeLessThan(8_000);
  }, 30_000);

  it('says which endpoint is missing and how to start the stack, in one line', async () => {
    const { code, stderr } = await dauntless(['target', 'P-1']);
    expect(code).toBe(1);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^dauntless target: No REDIS_URL in the environment or in .*endpoints\.env\. Start the local servers with `npm run stack:up`/);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 30_000);
});
