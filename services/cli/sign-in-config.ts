// How the CLI finds the identity provider and the person's tokens: read once
// when a command starts, checked, frozen.
//   OIDC_ISSUER               the provider (the local stack writes it to .stack/endpoints.env)
//   DAUNTLESS_CLI_CLIENT_ID   the provider's public client for the CLI (default dauntless-cli)
//   DAUNTLESS_API_AUDIENCE    the audience a token must carry (default dauntless-api, as the API)
//   DAUNTLESS_ACCESS_TOKEN    a bearer access token to use instead of the session (automation, tests)
//   DAUNTLESS_CLI_SESSION     the session file (default $XDG_STATE_HOME/dauntless/session.json)
//   DAUNTLESS_AUDIT_TOPIC     where entries go (default audit.v1)
import { stackSetting } from '../../shared/config/credentials.ts';
import { TOPIC } from '../../shared/contracts/topics.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { sessionFilePath } from './session-file.ts';

export const CLI_CLIENT_ID = 'dauntless-cli';
export const API_AUDIENCE = 'dauntless-api';

export type SignInConfig = Readonly<{
  issuer: string;
  clientId: string;
  audience: string;
  /** Given: used instead of the session file, never written to it. */
  accessToken: string | undefined;
  sessionFile: string;
  auditTopic: string;
}>;

export function loadSignInConfig(env: NodeJS.ProcessEnv = process.env): SignInConfig {
  const issuer = stackSetting('OIDC_ISSUER', env);
  if (!issuer) throw new DauntlessError('CONFIG_INVALID', 'No OIDC_ISSUER: name the identity provider people sign in with (the local stack writes it to .stack/endpoints.env: run `npm run stack:up`).');
  try {
    new URL(issuer);
  } catch {
    throw new DauntlessError('CONFIG_INVALID', `OIDC_ISSUER is not a URL: give the provider's issuer, like https://login.force.example/realms/dauntless.`);
  }
  return Object.freeze({
    issuer: issuer.replace(/\/+$/, ''),
    clientId: env.DAUNTLESS_CLI_CLIENT_ID || CLI_CLIENT_ID,
    audience: env.DAUNTLESS_API_AUDIENCE || API_AUDIENCE,
    accessToken: env.DAUNTLESS_ACCESS_TOKEN?.trim() || undefined,
    sessionFile: sessionFilePath(env),
    auditTopic: env.DAUNTLESS_AUDIT_TOPIC || TOPIC.audit,
  });
}
