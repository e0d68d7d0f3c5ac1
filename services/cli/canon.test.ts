import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Runs the real launcher, as an operator would: `dauntless canon <kind>`
// with values on standard input, JSON lines on standard output.

const root = fileURLToPath(new URL('../../', import.meta.url));

function dauntless(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/dauntless.js', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('dauntless canon', () => {
  it('writes one JSON result per input line for phone numbers', async () => {
    const { code, stdout, stderr } = await dauntless(['canon', 'phone'], '07400 123456\n07400123456\n\nmob: +44 (0)20 7946 0958 ext 12\r\nrefused\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const results = jsonLines(stdout);
    expect(results.map((r) => r['keys'])).toEqual([['+447400123456'], ['+447400123456'], [], ['+442079460958'], []]);
    expect(results.map((r) => r['flags'])).toEqual([[], [], ['empty'], ['extension'], ['unparsed']]);
    expect(results[0]).toMatchObject({ kind: 'phone', raw: '07400 123456' });
  }, 30_000);

  it('reads names, addresses and dates of birth, with options', async () => {
    const names = jsonLines((await dauntless(['canon', 'name'], 'SMITH, Bob\n{"given":"Robert","family":"Smith"}\n')).stdout);
    expect(names.map((r) => (r['keys'] as { givenGroups: string[] }).givenGroups)).toEqual([['robert'], ['robert']]);
    const addresses = jsonLines((await dauntless(['canon', 'address'], 'Flat B, 10 High St, EN5 1AA\n10b high street en51aa\n')).stdout);
    expect(addresses.map((r) => (r['keys'] as { postcodeHouseFlat: string }).postcodeHouseFlat)).toEqual(['EN51AA|10|b', 'EN51AA|10|b']);
    const dobs = jsonLines((await dauntless(['canon', 'dob', '--reference-date', '2025-06-15'], '12.3.85\n34\n')).stdout);
    expect(dobs[0]).toMatchObject({ iso: '1985-03-12' });
    expect(dobs[1]).toMatchObject({ precision: 'age', range: { from: '1990-06-16', to: '1991-06-15' } });
  }, 30_000);

  it.each([
    [['canon'], 'say which kind'],
    [['canon', 'postcode'], '"postcode" is not a kind'],
    [['canon', 'dob', '--reference-date', '15/06/2025'], '--reference-date needs a date as YYYY-MM-DD'],
    [['canon', 'phone', '--country', 'XX'], '--country needs a two-letter country code'],
  ])('exits 2 with a sentence for the usage error %j', async (args, sentence) => {
    const { code, stdout, stderr } = await dauntless(args, '');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(sentence);
    expect(stderr).toContain('Usage: dauntless canon');
  }, 30_000);

  it('exits 2 with one line naming an unknown option and where the help is', async () => {
    const { code, stdout, stderr } = await dauntless(['canon', 'phone', '--loud'], '');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('dauntless canon: unknown option --loud; see `dauntless help canon`\n');
  }, 30_000);
});
