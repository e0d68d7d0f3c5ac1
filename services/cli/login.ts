// `dauntless login`: signs a person in at a terminal by the device
// authorization grant (RFC 8628): prints where to go and the code to enter,
// then waits while the person signs in with the force's identity provider in
// any browser. The tokens are checked as the API checks them and kept in the
// session file (mode 600), which later commands read and refresh.
import type { DeviceSignIn } from './identity-provider.ts';
import { discoverProvider } from './identity-provider.ts';
import { defineCommand } from './command.ts';
import { writeSession } from './session-file.ts';
import { loadSignInConfig } from './sign-in-config.ts';
import { sessionOf, verifyAccessToken } from './signed-in-user.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';

/** What the person reads at the terminal. Pure. */
export function deviceSignInPrompt(prompt: DeviceSignIn): string {
  const minutes = Math.max(1, Math.round(prompt.expiresIn / 60));
  return [
    `To sign in, open ${prompt.verificationUri} in a browser and enter the code ${prompt.userCode}`,
    ...(prompt.verificationUriComplete ? [`(or open ${prompt.verificationUriComplete}, which has the code in it).`] : []),
    `The code is good for ${minutes} minute${minutes === 1 ? '' : 's'}. Waiting for you to sign in...`,
    '',
  ].join('\n');
}

export const command = defineCommand({
  name: 'login',
  summary: 'sign in with the force\'s identity provider (a code to enter in a browser); needed by every command that shows people',
  usage: 'dauntless login',
  description: `Signs you in with the identity provider at OIDC_ISSUER by the device
authorization grant: it prints a web address and a code; open the address in
any browser, enter the code, sign in, and approve. The tokens are kept in
DAUNTLESS_CLI_SESSION (default $XDG_STATE_HOME/dauntless/session.json, else
~/.local/state/dauntless/session.json), readable by you only, and renewed
while the provider allows; \`dauntless logout\` removes them.

Commands that show or change personal data (explain, briefing, target, tail,
dlq, unmerge, refuge) run as you: your roles and boroughs decide what you may
do, and each use is written to the s62 audit log with your username. For
automation, DAUNTLESS_ACCESS_TOKEN (a bearer access token from the same
provider) is used instead of the session.`,
  options: {},
  positionals: { min: 0, max: 0, what: 'argument' },
  check: () => ({}),
  run: async (_options, io) => {
    const config = loadSignInConfig();
    const provider = await discoverProvider(config);
    const { prompt, finish } = await provider.startDeviceSignIn();
    io.stdout.write(deviceSignInPrompt(prompt));
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    let tokens;
    try {
      tokens = await finish(stop.signal);
    } catch (error) {
      const code = (error as { error?: string }).error;
      if (code === 'expired_token') throw new DauntlessError('NOT_SIGNED_IN', 'The code expired before it was approved: run `dauntless login` again.', { cause: error });
      if (code === 'access_denied') throw new DauntlessError('NOT_SIGNED_IN', 'The sign-in was refused in the browser.', { cause: error });
      if (stop.signal.aborted) throw new DauntlessError('NOT_SIGNED_IN', 'Sign-in stopped; nobody is signed in.', { cause: error });
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
    }
    const user = await verifyAccessToken(config, provider, tokens.accessToken);
    writeSession(config.sessionFile, sessionOf(config, tokens, Date.now()));
    io.stdout.write(`Signed in as ${user.username} (${[...user.roles].join(', ') || 'no Dauntless role'}). Session kept in ${config.sessionFile}.\n`);
    return 0;
  },
});
