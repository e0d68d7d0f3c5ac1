import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPrivateMode, readSession, removeSession, sessionFilePath, writeSession, type CliSession } from './session-file.ts';

const session: CliSession = { issuer: 'http://127.0.0.1:1/realms/x', clientId: 'dauntless-cli', accessToken: 'a.b.c', accessTokenExpiresAt: 1_000, refreshToken: 'r', idToken: null };
const dir = () => mkdtempSync(join(tmpdir(), 'dauntless-session-'));

describe('the CLI session file', () => {
  it('is DAUNTLESS_CLI_SESSION, else under XDG_STATE_HOME, else under ~/.local/state', () => {
    expect(sessionFilePath({ DAUNTLESS_CLI_SESSION: '/x/s.json', XDG_STATE_HOME: '/state' })).toBe('/x/s.json');
    expect(sessionFilePath({ XDG_STATE_HOME: '/state' })).toBe('/state/dauntless/session.json');
    expect(sessionFilePath({})).toMatch(/\.local\/state\/dauntless\/session\.json$/);
  });

  it('is written readable by its owner only, in a folder only its owner can enter, and read back', () => {
    const file = join(dir(), 'nested', 'session.json');
    writeSession(file, session);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    expect(readSession(file)).toEqual(session);
  });

  it('is refused when group or others may read it, and when it is not a session', () => {
    const file = join(dir(), 'session.json');
    writeSession(file, session);
    chmodSync(file, 0o644);
    expect(() => readSession(file)).toThrow(/can be read by others/);
    const junk = join(dir(), 'junk.json');
    writeFileSync(junk, '{"accessToken": 1}', { mode: 0o600 });
    expect(() => readSession(junk)).toThrow(/not one `dauntless login` wrote/);
  });

  it('is no session when absent, and removing it says whether there was one', () => {
    const file = join(dir(), 'session.json');
    expect(readSession(file)).toBeUndefined();
    expect(removeSession(file)).toBe(false);
    writeSession(file, session);
    expect(removeSession(file)).toBe(true);
    expect(readSession(file)).toBeUndefined();
  });

  it('counts any group or other bit as not private', () => {
    expect(isPrivateMode(0o100600)).toBe(true);
    expect(isPrivateMode(0o100400)).toBe(true);
    expect(isPrivateMode(0o100640)).toBe(false);
    expect(isPrivateMode(0o100602)).toBe(false);
  });
});
