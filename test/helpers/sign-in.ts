// The seeded user of a role (and borough), and an access token for them, on
// top of oidc.ts: what the web tests sign in as.
import { loadStackUsers, type StackUser } from '../../shared/config/sign-in.ts';
import { signInAs } from './oidc.ts';

export type SeededUser = StackUser;

/** The first seeded user with this role (and this borough, when given). */
export function seededUser(role: string, borough?: string): SeededUser {
  const user = loadStackUsers().find((u) => u.roles.includes(role) && (!borough || u.boroughs.includes(borough)));
  if (!user) throw new Error(`No seeded user with role ${role}${borough ? ` in ${borough}` : ''} in .stack/users.json: \`npm run stack:up\` writes it.`);
  return user;
}

/** An access token for a seeded user, by the test client's password grant (local stack only). */
export async function accessTokenFor(user: Pick<SeededUser, 'username'>): Promise<string> {
  return (await signInAs(user.username)).access_token;
}
