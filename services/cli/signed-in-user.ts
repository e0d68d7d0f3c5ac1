// Who is running this command: the person whose access token the CLI holds
// (DAUNTLESS_ACCESS_TOKEN, else the session `dauntless login` kept, refreshed
// when it is about to expire), checked exactly as the API checks a bearer
// token (shared/access/tokens.ts: the provider's JWKS, issuer, audience,
// expiry). Anything short of that is NOT_SIGNED_IN, in one sentence.
import { decodeJwt } from 'jose';
import type { WebUser } from '../../shared/access/access.ts';
import { createTokenVerifier } from '../../shared/access/tokens.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { discoverProvider, type IdentityProvider, type ProviderTokens } from './identity-provider.ts';
import { readSession, writeSession, type CliSession } from './session-file.ts';
import type { SignInConfig } from './sign-in-config.ts';

/** Refresh this long before the access token's expiry, so it does not lapse between here and the servers. */
export const REFRESH_MARGIN_MS = 30_000;

export type SignedIn = { user: WebUser; source: 'DAUNTLESS_ACCESS_TOKEN' | 'session'; accessTokenExpiresAt: number | undefined };

export type TokenChoice =
  | { use: 'given'; token: string }
  | { use: 'session'; token: string }
  | { use: 'refresh'; refreshToken: string }
  | { use: 'none'; why: string };

/** Which token a command goes with. Pure. */
export function chooseToken(config: Pick<SignInConfig, 'accessToken' | 'issuer' | 'clientId'>, session: CliSession | undefined, now: number): TokenChoice {
  if (config.accessToken) return { use: 'given', token: config.accessToken };
  if (!session) return { use: 'none', why: 'Nobody is signed in: run `dauntless login` (or set DAUNTLESS_ACCESS_TOKEN).' };
  if (session.issuer !== config.issuer || session.clientId !== config.clientId) {
    return { use: 'none', why: `The session is with ${session.issuer}, not OIDC_ISSUER ${config.issuer}: run \`dauntless login\` again.` };
  }
  if (session.accessTokenExpiresAt - REFRESH_MARGIN_MS > now) return { use: 'session', token: session.accessToken };
  if (session.refreshToken) return { use: 'refresh', refreshToken: session.refreshToken };
  return { use: 'none', why: 'Your sign-in has expired: run `dauntless login` again.' };
}

/** When the token lapses (epoch ms), from its own `exp`; the provider's expires_in otherwise. */
export function expiryOf(tokens: Pick<ProviderTokens, 'accessToken' | 'expiresIn'>, now: number): number {
  try {
    const { exp } = decodeJwt(tokens.accessToken);
    if (typeof exp === 'number') return exp * 1000;
  } catch {
    // Not a JWT: the verifier refuses it anyway.
  }
  return now + (tokens.expiresIn ?? 60) * 1000;
}

export function sessionOf(config: Pick<SignInConfig, 'issuer' | 'clientId'>, tokens: ProviderTokens, now: number, previous?: CliSession): CliSession {
  return {
    issuer: config.issuer,
    clientId: config.clientId,
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: expiryOf(tokens, now),
    // A provider that does not rotate refresh tokens sends none back: keep the one we had.
    refreshToken: tokens.refreshToken ?? previous?.refreshToken ?? null,
    idToken: tokens.idToken ?? previous?.idToken ?? null,
  };
}

const notSignedIn = (message: string, cause?: unknown) => new DauntlessError('NOT_SIGNED_IN', message, cause === undefined ? {} : { cause });

/** Checks a token as the API does; the user it names, or NOT_SIGNED_IN. */
export async function verifyAccessToken(config: Pick<SignInConfig, 'audience'>, provider: Pick<IdentityProvider, 'issuer' | 'jwksUri'>, token: string): Promise<WebUser> {
  const verify = createTokenVerifier({ issuer: provider.issuer, audience: config.audience, jwksUri: provider.jwksUri });
  try {
    return await verify(token);
  } catch (error) {
    throw notSignedIn('The access token was not accepted (its signature, issuer, audience or expiry): run `dauntless login` again.', error);
  }
}

export async function signedInUser(config: SignInConfig, { now = Date.now, provider }: { now?: () => number; provider?: IdentityProvider } = {}): Promise<SignedIn> {
  const session = config.accessToken ? undefined : readSession(config.sessionFile);
  const choice = chooseToken(config, session, now());
  if (choice.use === 'none') throw notSignedIn(choice.why);
  const idp = provider ?? (await discoverProvider(config));
  if (choice.use === 'given') return { user: await verifyAccessToken(config, idp, choice.token), source: 'DAUNTLESS_ACCESS_TOKEN', accessTokenExpiresAt: undefined };
  let current = session!;
  if (choice.use === 'refresh') {
    let tokens: ProviderTokens;
    try {
      tokens = await idp.refresh(choice.refreshToken);
    } catch (error) {
      throw notSignedIn('Your sign-in has ended (the provider would not renew it): run `dauntless login` again.', error);
    }
    current = sessionOf(config, tokens, now(), current);
    writeSession(config.sessionFile, current);
  }
  return { user: await verifyAccessToken(config, idp, current.accessToken), source: 'session', accessTokenExpiresAt: current.accessTokenExpiresAt };
}
