// Signing in as the local stack's seeded users, against the real identity
// provider: the users and the test client are those `npm run stack:up`
// wrote (.stack/users.json, DAUNTLESS_TEST_CLIENT_ID/SECRET, OIDC_ISSUER).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackDir } from '../../shared/config/endpoints.ts';
import { stackSetting } from '../../shared/config/credentials.ts';

export type SeededUser = { username: string; password: string; roles: string[]; boroughs: string[] };

export function seededUsers(): SeededUser[] {
  return JSON.parse(readFileSync(join(stackDir(), 'users.json'), 'utf8')) as SeededUser[];
}

/** The first seeded user with this role (and this borough, when given). */
export function seededUser(role: string, borough?: string): SeededUser {
  const user = seededUsers().find((u) => u.roles.includes(role) && (!borough || u.boroughs.includes(borough)));
  if (!user) throw new Error(`No seeded user with role ${role}${borough ? ` in ${borough}` : ''} in .stack/users.json`);
  return user;
}

/** An access token for a seeded user, by the test client's password grant (local stack only). */
export async function accessTokenFor(user: Pick<SeededUser, 'username' | 'password'>): Promise<string> {
  const issuer = stackSetting('OIDC_ISSUER');
  const clientId = stackSetting('DAUNTLESS_TEST_CLIENT_ID');
  const clientSecret = stackSetting('DAUNTLESS_TEST_CLIENT_SECRET');
  if (!issuer || !clientId || !clientSecret) throw new Error('No OIDC_ISSUER, DAUNTLESS_TEST_CLIENT_ID or DAUNTLESS_TEST_CLIENT_SECRET: run `npm run stack:up`.');
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: clientId, client_secret: clientSecret, username: user.username, password: user.password, scope: 'openid' }),
  });
  if (!response.ok) throw new Error(`The provider refused a token for ${user.username}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
