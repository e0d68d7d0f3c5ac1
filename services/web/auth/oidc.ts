// Sign-in with OpenID Connect: authorization code with PKCE (S256), state and
// nonce, against the force's identity provider (the local stack's Keycloak
// realm in development). openid-client does the protocol; this file only
// says what we ask for and what we keep.
import * as client from 'openid-client';

export type OidcClient = {
  jwksUri: string;
  issuer: string;
  /** Where to send the browser, and what to keep until it comes back. */
  start(redirectUri: string): Promise<{ url: string; codeVerifier: string; nonce: string; state: string }>;
  /** The callback's tokens, checked (state, nonce, PKCE, ID token signature). */
  finish(callbackUrl: URL, attempt: { codeVerifier: string; nonce: string; state: string }): Promise<{ accessToken: string; idToken: string }>;
  signOutUrl(idToken: string, postLogoutRedirectUri: string): string;
};

export async function discoverOidc({ issuer, clientId, clientSecret }: { issuer: string; clientId: string; clientSecret: string }): Promise<OidcClient> {
  const url = new URL(issuer);
  // Plain http only for a provider on this machine (the local stack); a force's provider is https.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  const config = await client.discovery(url, clientId, clientSecret, undefined, url.protocol === 'http:' && loopback ? { execute: [client.allowInsecureRequests] } : undefined);
  const metadata = config.serverMetadata();
  if (!metadata.jwks_uri) throw new Error(`The provider at ${issuer} publishes no jwks_uri.`);
  return {
    jwksUri: metadata.jwks_uri,
    issuer: metadata.issuer,
    async start(redirectUri) {
      const codeVerifier = client.randomPKCECodeVerifier();
      const nonce = client.randomNonce();
      const state = client.randomState();
      const target = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: target.href, codeVerifier, nonce, state };
    },
    async finish(callbackUrl, attempt) {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: attempt.codeVerifier, expectedNonce: attempt.nonce, expectedState: attempt.state, idTokenExpected: true });
      return { accessToken: tokens.access_token, idToken: tokens.id_token! };
    },
    signOutUrl(idToken, postLogoutRedirectUri) {
      return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri }).href;
    },
  };
}
