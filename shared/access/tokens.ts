// Bearer access tokens from the force's identity provider, for systems and
// scripts calling /api and for the people running `dauntless` commands: a JWT signed by a key from the provider's JWKS,
// issued by the configured issuer, for our audience, not expired. Whatever
// fails, the caller gets 401 and no reason beyond "invalid token" (RFC 6750).
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { rolesFrom, type WebUser } from './access.ts';

export type TokenVerifier = (token: string) => Promise<WebUser>;

/** The user a token or ID token's claims describe: roles from `roles` or Keycloak's `realm_access.roles`, boroughs from `boroughs`. */
export function userFromClaims(claims: JWTPayload & Record<string, unknown>): WebUser {
  const realmAccess = claims.realm_access as { roles?: unknown[] } | undefined;
  const roles = rolesFrom([...(Array.isArray(claims.roles) ? claims.roles : []), ...(Array.isArray(realmAccess?.roles) ? realmAccess.roles : [])]);
  const boroughs = Array.isArray(claims.boroughs) ? claims.boroughs.filter((b): b is string => typeof b === 'string' && /^E09\d{6}$/.test(b)) : [];
  const username = typeof claims.preferred_username === 'string' ? claims.preferred_username : String(claims.sub ?? '');
  return {
    subject: String(claims.sub ?? ''),
    username,
    displayName: typeof claims.name === 'string' && claims.name ? claims.name : username,
    roles,
    boroughs,
    // Keycloak names a client-credentials token's user service-account-<client>: a system, not a person.
    kind: username.startsWith('service-account-') ? 'SYSTEM' : 'PERSON',
  };
}

export function createTokenVerifier({ issuer, audience, jwksUri, keys }: { issuer: string; audience: string; jwksUri?: string; keys?: JWTVerifyGetKey }): TokenVerifier {
  const getKey = keys ?? createRemoteJWKSet(new URL(jwksUri!), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  return async (token) => {
    const { payload } = await jwtVerify(token, getKey, { issuer, audience, algorithms: ['RS256', 'PS256', 'ES256'], clockTolerance: 5 });
    if (!payload.sub) throw new Error('token without a subject');
    return userFromClaims(payload as JWTPayload & Record<string, unknown>);
  };
}
