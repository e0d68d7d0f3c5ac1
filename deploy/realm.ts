// The local stack's sign-in provider: the Keycloak realm `dauntless`, made
// from the tables below. Run by `deploy/local/stack.sh up` before Keycloak
// starts, which imports the file once (a realm that exists is kept, with its
// users and sessions):
//
//   node --import tsx deploy/realm.ts <realm.json> <users.json>
//
// Client secrets are the stack's principal secrets (.stack/secrets/<name>.password,
// written by stack.sh's stack_secret), so one principal has one password for
// Kafka and the registry. Users' passwords are random per stack, kept in
// users.json (mode 600) and reused while it exists, because Keycloak does not
// import the realm again once it has it.
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BOROUGHS } from '../shared/geography/boroughs.ts';
import { stackSecretFile } from '../shared/config/credentials.ts';

export const REALM = 'dauntless';
/** The audience every access token from the web and test clients carries: the API checks it. */
export const API_AUDIENCE = 'dauntless-api';

/** The people who use Dauntless, by what they do (docs/DOMAIN.md). */
export const DAUNTLESS_ROLES = ['call-handler', 'dispatcher', 'lpt-officer', 'dauntless-lead', 'supervisor', 'auditor', 'administrator'] as const;
/** Apicurio Registry's roles (apicurio.auth.roles.*): read, write schemas, everything. */
export const REGISTRY_ROLES = ['sr-admin', 'sr-developer', 'sr-readonly'] as const;
export type RealmRole = (typeof DAUNTLESS_ROLES)[number] | (typeof REGISTRY_ROLES)[number];

/** A seeded, synthetic person. `boroughs` are ONS codes (shared/geography/boroughs.ts). */
export type SeedUser = { username: string; firstName: string; lastName: string; roles: readonly RealmRole[]; boroughs: readonly string[] };

export const SEED_USERS: readonly SeedUser[] = [
  { username: 'dispatcher', firstName: 'Dana', lastName: 'Dispatch', roles: ['dispatcher', 'call-handler'], boroughs: [] },
  { username: 'call.handler', firstName: 'Cal', lastName: 'Handler', roles: ['call-handler'], boroughs: [] },
  { username: 'lpt.lambeth', firstName: 'Lee', lastName: 'Lambeth', roles: ['lpt-officer'], boroughs: ['E09000022'] },
  { username: 'lpt.hackney', firstName: 'Hana', lastName: 'Hackney', roles: ['lpt-officer'], boroughs: ['E09000012'] },
  { username: 'dauntless.lead', firstName: 'Dee', lastName: 'Lead', roles: ['dauntless-lead'], boroughs: [] },
  { username: 'supervisor', firstName: 'Sam', lastName: 'Supervisor', roles: ['supervisor'], boroughs: [] },
  { username: 'auditor', firstName: 'Aud', lastName: 'Itor', roles: ['auditor'], boroughs: [] },
  { username: 'admin', firstName: 'Ada', lastName: 'Admin', roles: ['administrator'], boroughs: [] },
];

/** A machine principal: a confidential client with the client-credentials grant, its service account holding `roles`. */
export type ServicePrincipal = { clientId: string; roles: readonly RealmRole[]; purpose: string };

/**
 * The registry's principals. The same names are Kafka's SCRAM users, with the same secret files, so an
 * outside system's one credential reads both the topics and their schemas.
 */
export const SERVICE_PRINCIPALS: readonly ServicePrincipal[] = [
  { clientId: 'dauntless-admin', roles: ['sr-admin'], purpose: 'provisioning: registers the schemas (deploy/provision.ts)' },
  { clientId: 'dauntless-resolver', roles: ['sr-readonly'], purpose: 'the resolver service' },
  { clientId: 'dauntless-scorer', roles: ['sr-readonly'], purpose: 'the scorer service' },
  { clientId: 'dauntless-operator', roles: ['sr-readonly'], purpose: 'the dauntless CLI and the live job' },
  { clientId: 'cad-writer', roles: ['sr-readonly'], purpose: 'an outside CAD system writing calls' },
  { clientId: 'dispatch-reader', roles: ['sr-readonly'], purpose: 'an outside dispatch system reading intelligence' },
];

export const WEB_CLIENT_ID = 'dauntless-web';
export const TEST_CLIENT_ID = 'dauntless-test';
/** The operator CLI (`dauntless login`): a public client, since a terminal can keep no secret. */
export const CLI_CLIENT_ID = 'dauntless-cli';
/** The web app's own service account reads schemas. */
export const WEB_SERVICE_ROLES: readonly RealmRole[] = ['sr-readonly'];

/** The web app on its usual port; any loopback port too, for tests (Keycloak matches a loopback IP redirect without a port on any port, RFC 8252 7.3). */
export const WEB_REDIRECT_URIS = ['http://127.0.0.1:8080/*', 'http://localhost:8080/*', 'http://127.0.0.1/*'] as const;

/** What users.json holds for each seeded user: how tests and `npm start` sign in. */
export type UserCredential = { username: string; password: string; roles: string[]; boroughs: string[] };

export type RealmSecrets = {
  /** Client secret by client id (the principals, dauntless-web, dauntless-test). */
  clientSecret(clientId: string): string;
  /** Password by seeded username. */
  userPassword(username: string): string;
};

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 characters of [A-Za-z0-9], as stack.sh's stack_secret makes them. */
export function randomSecret(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

const KNOWN_BOROUGHS = new Set(BOROUGHS.map((b) => b.code));

/** Throws on a table that would make a realm Keycloak accepts but the API misreads (an unknown borough, a duplicate name). */
export function checkTables(users: readonly SeedUser[] = SEED_USERS, principals: readonly ServicePrincipal[] = SERVICE_PRINCIPALS): void {
  const names = new Set<string>();
  for (const user of users) {
    if (names.has(user.username)) throw new Error(`Seed user ${user.username} is declared twice.`);
    names.add(user.username);
    for (const code of user.boroughs) {
      if (!KNOWN_BOROUGHS.has(code)) throw new Error(`Seed user ${user.username} has borough ${code}, not a Met borough's ONS code (shared/geography/boroughs.ts).`);
    }
  }
  const clients = new Set<string>([WEB_CLIENT_ID, TEST_CLIENT_ID, CLI_CLIENT_ID]);
  for (const principal of principals) {
    if (clients.has(principal.clientId)) throw new Error(`Client ${principal.clientId} is declared twice.`);
    clients.add(principal.clientId);
  }
}

// Claims the web app and API read, in the access and ID tokens (and userinfo):
// `roles` flat beside Keycloak's own realm_access.roles, and `boroughs` as a
// JSON array even with one code. The audience mapper puts dauntless-api in `aud`.
function userClaimMappers(): object[] {
  const inTokens = { 'access.token.claim': 'true', 'id.token.claim': 'true', 'userinfo.token.claim': 'true', 'introspection.token.claim': 'true' };
  return [
    {
      name: 'boroughs',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-usermodel-attribute-mapper',
      config: { 'user.attribute': 'boroughs', 'claim.name': 'boroughs', 'jsonType.label': 'String', multivalued: 'true', 'aggregate.attrs': 'false', ...inTokens },
    },
    {
      name: 'roles',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-usermodel-realm-role-mapper',
      config: { 'claim.name': 'roles', 'jsonType.label': 'String', multivalued: 'true', ...inTokens },
    },
    {
      name: 'audience dauntless-api',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-audience-mapper',
      config: { 'included.custom.audience': API_AUDIENCE, 'access.token.claim': 'true', 'id.token.claim': 'false', 'introspection.token.claim': 'true' },
    },
  ];
}

// Keycloak 26's declarative user profile: the default attributes, plus
// `boroughs` (multivalued, ONS codes), which only administrators set.
// Email is optional: seeded users have one, but a force's directory may not.
function userProfile(): string {
  const adminOnly = { view: ['admin', 'user'], edit: ['admin'] };
  const everyone = { view: ['admin', 'user'], edit: ['admin', 'user'] };
  return JSON.stringify({
    attributes: [
      { name: 'username', displayName: '${username}', validations: { length: { min: 3, max: 255 }, 'username-prohibited-characters': {}, 'up-username-not-idn-homograph': {} }, permissions: everyone, multivalued: false },
      { name: 'email', displayName: '${email}', validations: { email: {}, length: { max: 255 } }, permissions: everyone, multivalued: false },
      { name: 'firstName', displayName: '${firstName}', validations: { length: { max: 255 }, 'person-name-prohibited-characters': {} }, required: { roles: ['user'] }, permissions: everyone, multivalued: false },
      { name: 'lastName', displayName: '${lastName}', validations: { length: { max: 255 }, 'person-name-prohibited-characters': {} }, required: { roles: ['user'] }, permissions: everyone, multivalued: false },
      { name: 'boroughs', displayName: 'Boroughs (ONS codes)', validations: { pattern: { pattern: '^E09000\\d{3}$', 'error-message': 'an ONS borough code, like E09000022' } }, permissions: adminOnly, multivalued: true },
    ],
    groups: [{ name: 'user-metadata', displayHeader: 'User metadata', displayDescription: 'Attributes, which refer to user metadata' }],
  });
}

function serviceAccountUser(clientId: string, roles: readonly RealmRole[]): object {
  return { username: `service-account-${clientId}`, enabled: true, serviceAccountClientId: clientId, realmRoles: [`default-roles-${REALM}`, ...roles] };
}

/** The realm representation Keycloak imports (`--import-realm`). Pure: every secret comes in through `secrets`. */
export function buildRealm({ secrets, users = SEED_USERS, principals = SERVICE_PRINCIPALS }: { secrets: RealmSecrets; users?: readonly SeedUser[]; principals?: readonly ServicePrincipal[] }): Record<string, unknown> {
  checkTables(users, principals);
  const webClient = {
    clientId: WEB_CLIENT_ID,
    name: 'Dauntless web app and API',
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    clientAuthenticatorType: 'client-secret',
    secret: secrets.clientSecret(WEB_CLIENT_ID),
    standardFlowEnabled: true,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: true,
    frontchannelLogout: true,
    redirectUris: [...WEB_REDIRECT_URIS],
    webOrigins: ['+'],
    attributes: { 'pkce.code.challenge.method': 'S256', 'post.logout.redirect.uris': WEB_REDIRECT_URIS.join('##') },
    protocolMappers: userClaimMappers(),
  };
  // Password grant for automated tests only; never declared outside the local stack.
  const testClient = {
    clientId: TEST_CLIENT_ID,
    name: 'Automated tests (local stack only)',
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    clientAuthenticatorType: 'client-secret',
    secret: secrets.clientSecret(TEST_CLIENT_ID),
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: true,
    serviceAccountsEnabled: false,
    protocolMappers: userClaimMappers(),
  };
  // A person at a terminal signs in by the device authorization grant (RFC 8628): the CLI prints a URL
  // and a code, the person approves in any browser. Public, so no secret sits on the operations host;
  // its tokens carry the same claims and audience as the web client's, so the CLI applies the API's rules.
  const cliClient = {
    clientId: CLI_CLIENT_ID,
    name: 'Dauntless operator CLI',
    enabled: true,
    protocol: 'openid-connect',
    publicClient: true,
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
    attributes: { 'oauth2.device.authorization.grant.enabled': 'true', 'oauth2.device.code.lifespan': '600', 'oauth2.device.polling.interval': '5' },
    protocolMappers: userClaimMappers(),
  };
  const principalClients = principals.map((p) => ({
    clientId: p.clientId,
    name: p.purpose,
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    clientAuthenticatorType: 'client-secret',
    secret: secrets.clientSecret(p.clientId),
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: true,
  }));
  const people = users.map((u) => ({
    username: u.username,
    enabled: true,
    emailVerified: true,
    email: `${u.username}@dauntless.invalid`,
    firstName: u.firstName,
    lastName: u.lastName,
    attributes: u.boroughs.length > 0 ? { boroughs: [...u.boroughs] } : {},
    credentials: [{ type: 'password', value: secrets.userPassword(u.username), temporary: false }],
    realmRoles: [`default-roles-${REALM}`, ...u.roles],
    requiredActions: [],
  }));
  return {
    realm: REALM,
    displayName: 'Dauntless',
    enabled: true,
    // Loopback is "local", so plain HTTP works on the stack; anything else needs TLS.
    sslRequired: 'external',
    accessTokenLifespan: 300,
    ssoSessionIdleTimeout: 1800,
    bruteForceProtected: true,
    permanentLockout: false,
    failureFactor: 10,
    registrationAllowed: false,
    resetPasswordAllowed: false,
    rememberMe: false,
    roles: {
      realm: [...DAUNTLESS_ROLES, ...REGISTRY_ROLES].map((name) => ({ name, description: REGISTRY_ROLES.includes(name as never) ? `Apicurio Registry role ${name}` : `Dauntless role ${name}` })),
    },
    clients: [webClient, testClient, cliClient, ...principalClients],
    users: [
      ...people,
      serviceAccountUser(WEB_CLIENT_ID, WEB_SERVICE_ROLES),
      ...principals.map((p) => serviceAccountUser(p.clientId, p.roles)),
    ],
    components: {
      'org.keycloak.userprofile.UserProfileProvider': [{ providerId: 'declarative-user-profile', subComponents: {}, config: { 'kc.user.profile.config': [userProfile()] } }],
    },
  };
}

/** users.json: each seeded user with its password, roles and boroughs. */
export function describeUsers(users: readonly SeedUser[], password: (username: string) => string): UserCredential[] {
  return users.map((u) => ({ username: u.username, password: password(u.username), roles: [...u.roles], boroughs: [...u.boroughs] }));
}

/** Reads the passwords of an earlier users.json, so a stack's users keep theirs; a user it lacks gets a new one. */
export function passwordsFrom(usersJson: string | undefined): (username: string) => string {
  const known = new Map<string, string>();
  if (usersJson) for (const u of JSON.parse(usersJson) as UserCredential[]) known.set(u.username, u.password);
  return (username) => {
    let password = known.get(username);
    if (!password) known.set(username, (password = randomSecret()));
    return password;
  };
}

function readClientSecret(clientId: string): string {
  const file = stackSecretFile(`${clientId}.password`);
  if (!existsSync(file)) throw new Error(`No secret for ${clientId} in ${file}: stack.sh writes it (stack_secret ${clientId}) before making the realm.`);
  return readFileSync(file, 'utf8').trim();
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

function main(): void {
  const [realmFile, usersFile] = process.argv.slice(2);
  if (!realmFile || !usersFile) throw new Error('usage: realm.ts <realm.json> <users.json>');
  const password = passwordsFrom(existsSync(usersFile) ? readFileSync(usersFile, 'utf8') : undefined);
  const realm = buildRealm({ secrets: { clientSecret: readClientSecret, userPassword: password } });
  writePrivate(realmFile, JSON.stringify(realm, null, 2) + '\n');
  writePrivate(usersFile, JSON.stringify(describeUsers(SEED_USERS, password), null, 2) + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`realm: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
