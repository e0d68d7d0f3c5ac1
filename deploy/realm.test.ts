import { describe, expect, it } from 'vitest';
import {
  API_AUDIENCE,
  buildRealm,
  checkTables,
  describeUsers,
  passwordsFrom,
  randomSecret,
  SEED_USERS,
  SERVICE_PRINCIPALS,
  TEST_CLIENT_ID,
  CLI_CLIENT_ID,
  WEB_CLIENT_ID,
  type RealmSecrets,
} from './realm.ts';

const secrets: RealmSecrets = { clientSecret: (id) => `secret-of-${id}`, userPassword: (name) => `password-of-${name}` };
const realm = buildRealm({ secrets }) as any;
const client = (id: string) => realm.clients.find((c: any) => c.clientId === id);
const user = (name: string) => realm.users.find((u: any) => u.username === name);

describe('buildRealm', () => {
  it('keeps access tokens 5 minutes and idle sessions 30, with brute-force protection', () => {
    expect(realm).toMatchObject({ realm: 'dauntless', enabled: true, accessTokenLifespan: 300, ssoSessionIdleTimeout: 1800, bruteForceProtected: true, sslRequired: 'external' });
  });

  it('declares the Dauntless roles and the registry roles', () => {
    expect(realm.roles.realm.map((r: any) => r.name).sort()).toEqual(
      ['administrator', 'auditor', 'call-handler', 'dauntless-lead', 'dispatcher', 'lpt-officer', 'sr-admin', 'sr-developer', 'sr-readonly', 'supervisor'].sort(),
    );
  });

  it('makes the web client confidential, PKCE S256, loopback redirects only, its service account a schema reader', () => {
    const web = client(WEB_CLIENT_ID);
    expect(web).toMatchObject({ publicClient: false, secret: 'secret-of-dauntless-web', standardFlowEnabled: true, directAccessGrantsEnabled: false, implicitFlowEnabled: false, serviceAccountsEnabled: true });
    expect(web.attributes['pkce.code.challenge.method']).toBe('S256');
    expect(web.redirectUris).toEqual(['http://127.0.0.1:8080/*', 'http://localhost:8080/*', 'http://127.0.0.1/*']);
    expect(web.attributes['post.logout.redirect.uris'].split('##')).toEqual(web.redirectUris);
    expect(user('service-account-dauntless-web').realmRoles).toContain('sr-readonly');
  });

  it('gives only the test client the password grant', () => {
    const withPasswordGrant = realm.clients.filter((c: any) => c.directAccessGrantsEnabled).map((c: any) => c.clientId);
    expect(withPasswordGrant).toEqual([TEST_CLIENT_ID]);
    expect(client(TEST_CLIENT_ID)).toMatchObject({ publicClient: false, secret: 'secret-of-dauntless-test', standardFlowEnabled: false });
  });

  it('makes the CLI client public, with the device grant and no other way in', () => {
    const cli = client(CLI_CLIENT_ID);
    expect(cli).toMatchObject({ publicClient: true, standardFlowEnabled: false, implicitFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: false });
    expect(cli.secret).toBeUndefined();
    expect(cli.attributes['oauth2.device.authorization.grant.enabled']).toBe('true');
    expect(realm.clients.filter((c: any) => c.attributes?.['oauth2.device.authorization.grant.enabled'] === 'true').map((c: any) => c.clientId)).toEqual([CLI_CLIENT_ID]);
  });

  it('maps boroughs and roles into access and ID tokens as arrays, and dauntless-api into the audience, for every user-facing client', () => {
    for (const id of [WEB_CLIENT_ID, TEST_CLIENT_ID, CLI_CLIENT_ID]) {
      const mappers = Object.fromEntries(client(id).protocolMappers.map((m: any) => [m.name, m]));
      expect(mappers.boroughs).toMatchObject({ protocolMapper: 'oidc-usermodel-attribute-mapper', config: { 'user.attribute': 'boroughs', 'claim.name': 'boroughs', multivalued: 'true', 'access.token.claim': 'true', 'id.token.claim': 'true' } });
      expect(mappers.roles).toMatchObject({ protocolMapper: 'oidc-usermodel-realm-role-mapper', config: { 'claim.name': 'roles', multivalued: 'true', 'access.token.claim': 'true', 'id.token.claim': 'true' } });
      expect(mappers['audience dauntless-api']).toMatchObject({ protocolMapper: 'oidc-audience-mapper', config: { 'included.custom.audience': API_AUDIENCE, 'access.token.claim': 'true' } });
    }
  });

  it('gives each registry principal a client-credentials client with its stack secret and its role', () => {
    for (const principal of SERVICE_PRINCIPALS) {
      expect(client(principal.clientId)).toMatchObject({ secret: `secret-of-${principal.clientId}`, serviceAccountsEnabled: true, standardFlowEnabled: false, directAccessGrantsEnabled: false, publicClient: false });
      expect(user(`service-account-${principal.clientId}`)).toMatchObject({ serviceAccountClientId: principal.clientId });
      expect(user(`service-account-${principal.clientId}`).realmRoles).toEqual(expect.arrayContaining([...principal.roles]));
    }
    expect(SERVICE_PRINCIPALS.find((p) => p.clientId === 'dauntless-admin')!.roles).toEqual(['sr-admin']);
    for (const name of ['dauntless-resolver', 'dauntless-scorer', 'dauntless-operator', 'cad-writer', 'dispatch-reader']) {
      expect(SERVICE_PRINCIPALS.find((p) => p.clientId === name)!.roles).toEqual(['sr-readonly']);
    }
  });

  it('seeds each user with a password, roles and boroughs as an attribute', () => {
    expect(user('lpt.lambeth')).toMatchObject({ enabled: true, attributes: { boroughs: ['E09000022'] }, credentials: [{ type: 'password', value: 'password-of-lpt.lambeth', temporary: false }] });
    expect(user('lpt.lambeth').realmRoles).toContain('lpt-officer');
    expect(user('dispatcher').realmRoles).toEqual(expect.arrayContaining(['dispatcher', 'call-handler']));
    expect(SEED_USERS.map((u) => u.username)).toEqual(expect.arrayContaining(['dispatcher', 'call.handler', 'lpt.lambeth', 'lpt.hackney', 'dauntless.lead', 'supervisor', 'auditor', 'admin']));
  });

  it('declares boroughs in the user profile as a multivalued attribute only administrators edit', () => {
    const profile = JSON.parse(realm.components['org.keycloak.userprofile.UserProfileProvider'][0].config['kc.user.profile.config'][0]);
    const boroughs = profile.attributes.find((a: any) => a.name === 'boroughs');
    expect(boroughs).toMatchObject({ multivalued: true, permissions: { edit: ['admin'] } });
    expect(profile.attributes.map((a: any) => a.name)).toEqual(['username', 'email', 'firstName', 'lastName', 'boroughs']);
  });

  it('puts no secret in the realm but those it was given', () => {
    const text = JSON.stringify(realm);
    const given = [...text.matchAll(/"(?:secret|value)":"([^"]*)"/g)].map((m) => m[1]);
    expect(given.every((v) => v!.startsWith('secret-of-') || v!.startsWith('password-of-'))).toBe(true);
  });
});

describe('checkTables', () => {
  it('refuses a borough that is not a Met ONS code, and a name declared twice', () => {
    expect(() => checkTables([{ username: 'x', firstName: 'X', lastName: 'Y', roles: [], boroughs: ['E09000001'] }])).toThrow(/E09000001/);
    const twice = { username: 'dup', firstName: 'A', lastName: 'B', roles: [], boroughs: [] };
    expect(() => checkTables([twice, twice])).toThrow(/twice/);
    expect(() => checkTables(SEED_USERS, [{ clientId: WEB_CLIENT_ID, roles: [], purpose: 'clash' }])).toThrow(/twice/);
  });
});

describe('users.json', () => {
  it('lists username, password, roles and boroughs exactly', () => {
    const listed = describeUsers(SEED_USERS.slice(2, 3), () => 'pw');
    expect(listed).toEqual([{ username: 'lpt.lambeth', password: 'pw', roles: ['lpt-officer'], boroughs: ['E09000022'] }]);
  });

  it('keeps the passwords an earlier file had, and makes a 32-character one for a new user', () => {
    const password = passwordsFrom(JSON.stringify([{ username: 'auditor', password: 'kept', roles: [], boroughs: [] }]));
    expect(password('auditor')).toBe('kept');
    const fresh = password('admin');
    expect(fresh).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(password('admin')).toBe(fresh);
    expect(randomSecret()).not.toBe(randomSecret());
  });
});
