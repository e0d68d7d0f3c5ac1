import { describe, expect, it } from 'vitest';
import { chooseToken, expiryOf, REFRESH_MARGIN_MS, sessionOf } from './signed-in-user.ts';
import type { CliSession } from './session-file.ts';

const config = { accessToken: undefined, issuer: 'http://127.0.0.1:1/realms/dauntless', clientId: 'dauntless-cli' };
const session: CliSession = { issuer: config.issuer, clientId: config.clientId, accessToken: 'a', accessTokenExpiresAt: 100_000, refreshToken: 'r', idToken: 'i' };
// An unsigned JWT with exp 2,000 s: only its expiry is read here; the verifier checks the rest.
const jwtWithExp = (exp: number) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.`;

describe('chooseToken', () => {
  it('takes DAUNTLESS_ACCESS_TOKEN over any session', () => {
    expect(chooseToken({ ...config, accessToken: 'given' }, session, 0)).toEqual({ use: 'given', token: 'given' });
  });

  it('takes the session token while it has more than the margin to run, and refreshes it after', () => {
    expect(chooseToken(config, session, 100_000 - REFRESH_MARGIN_MS - 1)).toEqual({ use: 'session', token: 'a' });
    expect(chooseToken(config, session, 100_000 - REFRESH_MARGIN_MS)).toEqual({ use: 'refresh', refreshToken: 'r' });
  });

  it('signs nobody in without a session, with an expired one that cannot be refreshed, or one of another provider', () => {
    expect(chooseToken(config, undefined, 0)).toMatchObject({ use: 'none', why: expect.stringMatching(/^Nobody is signed in/) });
    expect(chooseToken(config, { ...session, refreshToken: null }, 200_000)).toMatchObject({ use: 'none', why: expect.stringMatching(/expired/) });
    expect(chooseToken({ ...config, issuer: 'https://elsewhere/realms/x' }, session, 0)).toMatchObject({ use: 'none', why: expect.stringMatching(/not OIDC_ISSUER/) });
  });
});

describe('the session kept after sign-in or refresh', () => {
  it('expires when the token says, else after expires_in', () => {
    expect(expiryOf({ accessToken: jwtWithExp(2_000), expiresIn: 5 }, 0)).toBe(2_000_000);
    expect(expiryOf({ accessToken: 'opaque', expiresIn: 5 }, 1_000)).toBe(6_000);
  });

  it('keeps the refresh token and ID token it had when the provider sends none back', () => {
    const renewed = sessionOf(config, { accessToken: 'b', refreshToken: null, idToken: null, expiresIn: 300 }, 0, session);
    expect(renewed).toEqual({ ...session, accessToken: 'b', accessTokenExpiresAt: 300_000 });
  });
});
