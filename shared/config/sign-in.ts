import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackDir } from './endpoints.ts';
import { stackSetting } from './credentials.ts';

// How a person signs in on the local stack: the provider's issuer
// (OIDC_ISSUER, in the endpoints file stack:up writes) and the seeded,
// synthetic users in .stack/users.json (mode 600), which deploy/realm.ts
// writes with each one's password, realm roles and boroughs.

export type StackUser = Readonly<{ username: string; password: string; roles: readonly string[]; boroughs: readonly string[] }>;

export function usersFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(stackDir(env), 'users.json');
}

/** The seeded users of the local stack; empty where users.json is absent (a stack without Keycloak, or a force's own provider). */
export function loadStackUsers(env: NodeJS.ProcessEnv = process.env): StackUser[] {
  const file = usersFile(env);
  if (!existsSync(file)) return [];
  const users = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(users)) throw new Error(`${file} is not a list of users: stack:up writes it; remove it and run stack:up again.`);
  return users.map((u: StackUser) => Object.freeze({ username: String(u.username), password: String(u.password), roles: [...u.roles], boroughs: [...u.boroughs] }));
}

/**
 * Lines that tell a person how to sign in: where, and as whom (username, roles, boroughs).
 * Never the passwords: a screen is copied; they stay in users.json.
 */
export function describeSignIn(env: NodeJS.ProcessEnv = process.env): string[] {
  const issuer = stackSetting('OIDC_ISSUER', env);
  const users = loadStackUsers(env);
  if (!issuer) return [];
  const lines = [`Sign in through ${issuer}${users.length ? `, as one of these synthetic users (passwords in ${usersFile(env)}):` : '.'}`];
  const width = Math.max(0, ...users.map((u) => u.username.length));
  for (const u of users) {
    lines.push(`  ${u.username.padEnd(width)}  ${u.roles.join(', ')}${u.boroughs.length ? `  (boroughs ${u.boroughs.join(', ')})` : ''}`);
  }
  return lines;
}
