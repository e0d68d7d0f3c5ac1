// The force's identity provider as the CLI uses it: the device authorization
// grant (RFC 8628) for a person at a terminal, refreshing and revoking their
// tokens, and where its signing keys are published. openid-client does the
// protocol; a public client, so nothing secret sits on the operations host.
import * as client from 'openid-client';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import type { SignInConfig } from './sign-in-config.ts';

export type DeviceSignIn = {
  /** Where the person goes, in any browser. */
  verificationUri: string;
  /** The same with the code filled in, when the provider offers it. */
  verificationUriComplete: string | undefined;
  userCode: string;
  /** Seconds the code is good for. */
  expiresIn: number;
};

export type ProviderTokens = { accessToken: string; refreshToken: string | null; idToken: string | null; expiresIn: number | undefined };

export type IdentityProvider = {
  issuer: string;
  jwksUri: string;
  /** Asks for a device code; `finish` polls the token endpoint until the person approves, refuses, or the code expires. */
  startDeviceSignIn(): Promise<{ prompt: DeviceSignIn; finish(signal?: AbortSignal): Promise<ProviderTokens> }>;
  refresh(refreshToken: string): Promise<ProviderTokens>;
  /** Revokes the refresh token at the provider (ending the session there), where the provider offers revocation. */
  revoke(refreshToken: string): Promise<boolean>;
};

const tokensOf = (response: client.TokenEndpointResponse): ProviderTokens => ({
  accessToken: response.access_token,
  refreshToken: response.refresh_token ?? null,
  idToken: response.id_token ?? null,
  expiresIn: response.expires_in,
});

export async function discoverProvider(config: Pick<SignInConfig, 'issuer' | 'clientId'>): Promise<IdentityProvider> {
  const url = new URL(config.issuer);
  // Plain http only for a provider on this machine (the local stack); a force's provider is https.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  let discovered: client.Configuration;
  try {
    discovered = await client.discovery(url, config.clientId, undefined, client.None(), url.protocol === 'http:' && loopback ? { execute: [client.allowInsecureRequests] } : undefined);
  } catch (error) {
    throw new DauntlessError('NOT_SIGNED_IN', `The identity provider at ${config.issuer} did not answer (${(error as Error).message}): check OIDC_ISSUER, or start the local servers with \`npm run stack:up\`.`, { retriable: true, cause: error });
  }
  const metadata = discovered.serverMetadata();
  if (!metadata.jwks_uri) throw new DauntlessError('CONFIG_INVALID', `The provider at ${config.issuer} publishes no jwks_uri.`);
  return {
    issuer: metadata.issuer,
    jwksUri: metadata.jwks_uri,
    async startDeviceSignIn() {
      const response = await client.initiateDeviceAuthorization(discovered, { scope: 'openid profile' });
      return {
        prompt: { verificationUri: response.verification_uri, verificationUriComplete: response.verification_uri_complete, userCode: response.user_code, expiresIn: response.expires_in },
        finish: async (signal) => tokensOf(await client.pollDeviceAuthorizationGrant(discovered, response, undefined, signal ? { signal } : undefined)),
      };
    },
    async refresh(refreshToken) {
      return tokensOf(await client.refreshTokenGrant(discovered, refreshToken));
    },
    async revoke(refreshToken) {
      if (!metadata.revocation_endpoint) return false;
      await client.tokenRevocation(discovered, refreshToken, { token_type_hint: 'refresh_token' });
      return true;
    },
  };
}
