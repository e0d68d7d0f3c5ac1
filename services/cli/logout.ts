// `dauntless logout`: ends the sign-in: revokes the refresh token at the
// provider (so the session there ends too) and removes the session file. The
// file goes whatever the provider says: a person signing out must be signed out.
import { defineCommand } from './command.ts';
import { discoverProvider } from './identity-provider.ts';
import { readSession, removeSession } from './session-file.ts';
import { loadSignInConfig } from './sign-in-config.ts';
import { describeFailure } from './describe-failure.ts';

export const command = defineCommand({
  name: 'logout',
  summary: 'sign out: revoke the session at the identity provider and remove its file',
  usage: 'dauntless logout',
  description: 'Revokes your refresh token at the identity provider and removes the session file `dauntless login` kept. DAUNTLESS_ACCESS_TOKEN, if set, is not touched: unset it.',
  options: {},
  positionals: { min: 0, max: 0, what: 'argument' },
  check: () => ({}),
  run: async (_options, io) => {
    const config = loadSignInConfig();
    let session;
    try {
      session = readSession(config.sessionFile);
    } catch {
      // An unsafe or broken file is removed all the same.
    }
    let revoked = '';
    if (session?.refreshToken) {
      try {
        revoked = (await (await discoverProvider(session)).revoke(session.refreshToken)) ? ' and revoked at the provider' : '';
      } catch (error) {
        io.stderr.write(`dauntless logout: the provider did not revoke the session (${describeFailure(error)}); it ends when it expires.\n`);
      }
    }
    const removed = removeSession(config.sessionFile);
    io.stdout.write(removed ? `Signed out: session removed${revoked}.\n` : 'Nobody was signed in.\n');
    return 0;
  },
});
