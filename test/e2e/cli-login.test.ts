// `dauntless login` end to end: the device authorization grant as a person
// at a terminal does it. The CLI runs as a child process and prints a web
// address and a code; a real Chromium (Debian's, through playwright-core)
// opens the provider's page, enters the code and signs in as a seeded user;
// the CLI then keeps the session, `whoami` reports that user, an expired
// access token is renewed with the refresh token, and `logout` ends it all.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackUser } from '../helpers/oidc.ts';

const exec = promisify(execFile);
const sessionFile = join(mkdtempSync(join(tmpdir(), 'dauntless-login-')), 'state', 'session.json');
const { DAUNTLESS_ACCESS_TOKEN: _t, ...baseEnv } = process.env;
const env: NodeJS.ProcessEnv = { ...baseEnv, DAUNTLESS_CLI_SESSION: sessionFile };
let browser: Browser;

const dauntless = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  exec('node', ['bin/dauntless.js', ...args], { env, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.DAUNTLESS_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

afterAll(async () => {
  await browser?.close();
});

describe('dauntless login, by the device authorization grant', () => {
  it('prints where to go and a code; approved in a browser, it keeps a private session that whoami, a refresh and logout use', async () => {
    const user = stackUser('lpt.lambeth');
    const login = spawn(process.execPath, ['bin/dauntless.js', 'login'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    login.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => login.on('close', resolve));
    const prompt = await new Promise<RegExpExecArray>((resolve, reject) => {
      login.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const found = /open (\S+) in a browser and enter the code (\S+)/.exec(stdout);
        if (found) resolve(found);
      });
      login.on('close', () => reject(new Error(`login ended before printing a code: ${stdout} ${stderr}`)));
    });
    const [, url, code] = prompt;
    expect(url).toMatch(/\/realms\/dauntless\/device$/);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url!);
    // The provider's device page: the code, then its login form, then (where it asks) the grant.
    await page.fill('input[name="device_user_code"]', code!);
    await page.click('#kc-login');
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await Promise.all([page.waitForLoadState('load'), page.click('#kc-login')]);
    const grant = page.locator('input[name="accept"], button[name="accept"]');
    if (await grant.count().then((n) => n > 0, () => false)) await grant.first().click();
    expect(await exited).toBe(0);
    await context.close();
    expect(stdout).toContain('Signed in as lpt.lambeth (lpt-officer).');
    expect(stdout).not.toContain(user.password);
    expect(statSync(sessionFile).mode & 0o777).toBe(0o600);

    const whoami = await dauntless('whoami', '--json');
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ username: 'lpt.lambeth', roles: ['lpt-officer'], boroughs: ['E09000022'], kind: 'PERSON', source: 'session' });

    // An access token past its time is renewed with the refresh token, and the renewed one kept.
    const kept = JSON.parse(readFileSync(sessionFile, 'utf8'));
    writeFileSync(sessionFile, JSON.stringify({ ...kept, accessToken: 'expired', accessTokenExpiresAt: 0 }), { mode: 0o600 });
    const renewed = await dauntless('whoami');
    expect(renewed.code).toBe(0);
    expect(renewed.stdout).toMatch(/^lpt\.lambeth \(subject /);
    const after = JSON.parse(readFileSync(sessionFile, 'utf8'));
    expect(after.accessToken).not.toBe('expired');
    expect(after.accessTokenExpiresAt).toBeGreaterThan(Date.now());

    const logout = await dauntless('logout');
    expect(logout).toMatchObject({ code: 0, stdout: 'Signed out: session removed and revoked at the provider.\n' });
    const gone = await dauntless('whoami');
    expect(gone.code).toBe(4);
    // The refresh token was revoked, not only forgotten: put back, it renews nothing.
    writeFileSync(sessionFile, JSON.stringify({ ...after, accessToken: 'expired', accessTokenExpiresAt: 0 }), { mode: 0o600 });
    const revoked = await dauntless('whoami');
    expect(revoked.code).toBe(4);
    expect(revoked.stderr).toContain('Your sign-in has ended');
  }, 180_000);
});
