// Signing in against the local stack's Keycloak, for tests: the issuer and the
// password-grant test client from the endpoints file (or the environment), the
// seeded users from users.json, and a token for one of them. The test client
// exists only on the local stack (deploy/realm.ts).
import { stackSetting } from '../../shared/config/credentials.ts';
import { loadStackUsers, type StackUser } from '../../shared/config/sign-in.ts';

export type TestOidc = Readonly<{ issuer: string; clientId: string; clientSecret: string; tokenEndpoint: string }>;

/** The issuer and the test client; throws, saying how to start the stack, where they are not set. */
export function testOidc(env: NodeJS.ProcessEnv = process.env): TestOidc {
  const issuer = stackSetting('OIDC_ISSUER', env);
  const clientId = stackSetting('DAUNTLESS_TEST_CLIENT_ID', env);
  const clientSecret = stackSetting('DAUNTLESS_TEST_CLIENT_SECRET', env);
  if (!issuer || !clientId || !clientSecret) {
    throw new Error('No OIDC_ISSUER, DAUNTLESS_TEST_CLIENT_ID and DAUNTLESS_TEST_CLIENT_SECRET in the environment or the endpoints file: `npm run stack:up` starts Keycloak and writes them.');
  }
  return Object.freeze({ issuer, clientId, clientSecret, tokenEndpoint: `${issuer}/protocol/openid-connect/token` });
}

/** A seeded user of the local stack by username (users.json). */
export function stackUser(username: string, env: NodeJS.ProcessEnv = process.env): StackUser {
  const user = loadStackUsers(env).find((u) => u.username === username);
  if (!user) throw new Error(`No user ${username} in the stack's users.json: \`npm run stack:up\` writes it (deploy/realm.ts declares the users).`);
  return user;
}

/** The token endpoint's answer to a password grant through the test client (the caller checks the status). */
export function passwordGrant(oidc: TestOidc, username: string, password: string): Promise<Response> {
  return fetch(oidc.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: oidc.clientId, client_secret: oidc.clientSecret, username, password, scope: 'openid' }),
    signal: AbortSignal.timeout(10_000),
  });
}

export type Tokens = { access_token: string; id_token: string; refresh_token: string; expires_in: number; token_type: string };

/** Tokens for a seeded user, signed in with its password from users.json. */
export async function signInAs(username: string, oidc: TestOidc = testOidc()): Promise<Tokens> {
  const user = stackUser(username);
  const response = await passwordGrant(oidc, user.username, user.password);
  if (response.status !== 200) throw new Error(`Signing in as ${username} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Tokens;
}

/** The claims of a JWT, unverified: for asserting what a test was given, never for trusting it. */
export function jwtClaims(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}
