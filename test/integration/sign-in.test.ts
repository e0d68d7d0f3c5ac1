// The local stack's sign-in provider and the registry behind it, against the
// real Keycloak and Apicurio that stack:up started: every seeded user signs in
// and carries its roles and boroughs; the registry admits nobody without
// credentials, lets an outside reader read and not write, and lets
// provisioning's principal register.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { basicAuthorization, stackSecretFile } from '../../shared/config/credentials.ts';
import { loadStackUsers } from '../../shared/config/sign-in.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { testEndpoints } from '../helpers/endpoints.ts';
import { jwtClaims as claims, passwordGrant as grant, signInAs, testOidc } from '../helpers/oidc.ts';
import { uniqueName } from '../helpers/unique.ts';

const oidc = testOidc();
const issuer = oidc.issuer;
const users = loadStackUsers();
const registryUrl = testEndpoints().schemaRegistryUrl;

const passwordGrant = (username: string, password: string) => grant(oidc, username, password);

/** A principal with its secret from the stack's secrets folder (each test names the principal it acts as). */
function principal(name: string): { username: string; password: string } {
  const file = stackSecretFile(`${name}.password`);
  if (!existsSync(file)) throw new Error(`No secret for ${name} in ${file}: run \`npm run stack:up\`.`);
  return { username: name, password: readFileSync(file, 'utf8').trim() };
}

const SCHEMA = { type: 'record', name: 'SignInProbe', namespace: 'dauntless.test', fields: [{ name: 'id', type: 'string' }] };

async function registryCall(method: 'GET' | 'POST', path: string, authorization?: string): Promise<number> {
  const response = await fetch(registryUrl + path, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...(authorization ? { authorization } : {}) },
    body: method === 'POST' ? JSON.stringify({ schemaType: 'AVRO', schema: JSON.stringify(SCHEMA) }) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('the sign-in provider', () => {
  it('publishes its discovery document under the issuer it names', async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(issuer);
    expect(discovery.token_endpoint).toBe(`${issuer}/protocol/openid-connect/token`);
    expect(discovery.code_challenge_methods_supported).toContain('S256');
  });

  it('has the seeded users in users.json', () => {
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['dispatcher', 'call.handler', 'lpt.lambeth', 'lpt.hackney', 'dauntless.lead', 'supervisor', 'auditor', 'admin']));
  });

  it('signs every seeded user in, with its roles and boroughs in the access and ID tokens, for the API audience', async () => {
    for (const user of users) {
      const response = await passwordGrant(user.username, user.password);
      expect(response.status, user.username).toBe(200);
      const tokens = (await response.json()) as { access_token: string; id_token: string; expires_in: number };
      // 5 minutes: the token's own lifetime (expires_in counts from the answer, so may read 299).
      expect(claims(tokens.access_token).exp - claims(tokens.access_token).iat).toBe(300);
      for (const token of [claims(tokens.access_token), claims(tokens.id_token)]) {
        expect(token.iss).toBe(issuer);
        expect(token.preferred_username).toBe(user.username);
        expect(typeof token.name).toBe('string');
        expect(token.roles).toEqual(expect.arrayContaining([...user.roles]));
        expect(token.boroughs ?? []).toEqual([...user.boroughs]);
      }
      const access = claims(tokens.access_token);
      expect(access.realm_access.roles).toEqual(expect.arrayContaining([...user.roles]));
      expect([access.aud].flat()).toContain('dauntless-api');
    }
  });

  it('carries boroughs as a JSON array even with one', async () => {
    expect(claims((await signInAs('lpt.lambeth')).access_token).boroughs).toEqual(['E09000022']);
    expect(claims((await signInAs('lpt.hackney')).id_token).boroughs).toEqual(['E09000012']);
  });

  // A wrong password counts towards the brute-force lock-out (10 in a row); the next good sign-in resets it.
  it('refuses a wrong password (400 invalid_grant, as OAuth 2.0 says)', async () => {
    const response = await passwordGrant('call.handler', 'not-the-password');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
  });
});

describe('the schema registry behind it', () => {
  const subject = uniqueName('sign-in-probe') + '-value';
  const admin = principal('dauntless-admin');
  const reader = principal('cad-writer');

  it('refuses a read and a write with no credentials (401)', async () => {
    expect(await registryCall('GET', '/subjects')).toBe(401);
    expect(await registryCall('POST', `/subjects/${subject}/versions`)).toBe(401);
  });

  it('refuses a read and a write with a wrong secret or an unknown principal (401)', async () => {
    for (const wrong of [{ username: 'cad-writer', password: 'wrong' }, { username: 'nobody-at-all', password: reader.password }]) {
      expect(await registryCall('GET', '/subjects', basicAuthorization(wrong))).toBe(401);
      expect(await registryCall('POST', `/subjects/${subject}/versions`, basicAuthorization(wrong))).toBe(401);
    }
  });

  it('lets dauntless-admin register, cad-writer read the schema but not register one (403)', async () => {
    const id = await createRegistryAdmin({ url: registryUrl, auth: admin }).register(subject, SCHEMA);
    const asReader = createRegistryAdmin({ url: registryUrl, auth: reader });
    expect((await asReader.latest(subject))?.id).toBe(id);
    expect(await registryCall('POST', `/subjects/${subject}/versions`, basicAuthorization(reader))).toBe(403);
    await expect(asReader.register(subject, { ...SCHEMA, name: 'SignInProbe2' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' } satisfies Partial<DauntlessError>);
    await createRegistryAdmin({ url: registryUrl, auth: admin }).deleteSubject(subject);
  });

  it('accepts a bearer token from the provider, by the principal\'s client-credentials grant', async () => {
    const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: reader.username, client_secret: reader.password }),
    });
    expect(response.status).toBe(200);
    const { access_token } = (await response.json()) as { access_token: string };
    expect(claims(access_token).realm_access.roles).toContain('sr-readonly');
    expect(await registryCall('GET', '/subjects', `Bearer ${access_token}`)).toBe(200);
    expect(await registryCall('GET', '/subjects', `Bearer ${access_token.slice(0, -4)}AAAA`)).toBe(401);
  });
});
