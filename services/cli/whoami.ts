// `dauntless whoami`: who the CLI runs commands as, checked as every command
// checks it (the token verified, the session refreshed if due).
import { defineCommand } from './command.ts';
import { loadSignInConfig } from './sign-in-config.ts';
import { signedInUser, type SignedIn } from './signed-in-user.ts';

/** Username, roles, boroughs and where the token came from: no display name (it is a person's name). Pure. */
export function describeSignedIn({ user, source, accessTokenExpiresAt }: SignedIn): string {
  return [
    `${user.username} (subject ${user.subject})`,
    `roles: ${[...user.roles].join(', ') || 'none of Dauntless'}`,
    `boroughs: ${user.boroughs.join(', ') || 'none'}`,
    source === 'session' ? `signed in with \`dauntless login\`; access token good until ${new Date(accessTokenExpiresAt!).toISOString()}` : 'from DAUNTLESS_ACCESS_TOKEN',
    '',
  ].join('\n');
}

export const command = defineCommand({
  name: 'whoami',
  summary: 'who the CLI runs commands as: username, roles, boroughs',
  usage: 'dauntless whoami [--json]',
  description: 'Prints the signed-in person (from DAUNTLESS_ACCESS_TOKEN or the session `dauntless login` kept), after checking the token with the identity provider as every command does. Exit 4 when nobody is signed in.',
  options: {
    json: { type: 'boolean', description: 'print the same as data' },
  },
  positionals: { min: 0, max: 0, what: 'argument' },
  check: ({ values }) => ({ json: values.json }),
  run: async ({ json }, io) => {
    const signedIn = await signedInUser(loadSignInConfig());
    const { user } = signedIn;
    io.stdout.write(json ? JSON.stringify({ subject: user.subject, username: user.username, roles: [...user.roles], boroughs: user.boroughs, kind: user.kind, source: signedIn.source }) + '\n' : describeSignedIn(signedIn));
    return 0;
  },
});
