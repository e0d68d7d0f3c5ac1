// The one declared table of Kafka principals and what each may do, beside
// the topics (deploy/topics.ts). `npm run stack:up` (deploy/provision.ts)
// makes the broker's ACLs exactly these; the broker allows nothing no ACL
// allows (allow.everyone.if.no.acl.found=false). deploy/local/stack.sh makes
// each principal's SCRAM user and password ($STACK_DIR/secrets/<name>.password);
// its list of names is checked against this one (principals.test.ts).
//
// Kafka's implications keep the table short: READ, WRITE, DELETE and ALTER on
// a topic each imply DESCRIBE of it, and WRITE on any topic lets a producer be
// idempotent (no IDEMPOTENT_WRITE needed, Kafka 3.0 and later).
import kafkajs, { type AclEntry, type Admin } from 'kafkajs';
import { TOPIC, DEAD_LETTER_TOPICS } from '../shared/contracts/topics.ts';

// kafkajs is CommonJS: its enums are reachable only through the default export under ESM.
const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } = kafkajs;

const AUDIT_TOPIC = TOPIC.audit;

export type AclOperation = 'READ' | 'WRITE' | 'DESCRIBE' | 'DELETE' | 'CREATE' | 'ALTER' | 'DESCRIBE_CONFIGS' | 'ALTER_CONFIGS';

export type Grant = Readonly<{
  resource: 'topic' | 'group' | 'transactional-id';
  /** A name, or with `prefixed` the start of every name it covers. */
  name: string;
  prefixed?: boolean;
  operations: readonly AclOperation[];
}>;

export type PrincipalDeclaration = Readonly<{
  /** The SCRAM user name; the broker's principal is `User:<name>`. */
  name: string;
  /** Who uses it, in the users' words. */
  purpose: string;
  /** A super user needs no ACL (super.users in server.properties). */
  superUser?: true;
  grants: readonly Grant[];
}>;

const topics = (names: readonly string[], operations: readonly AclOperation[]): Grant[] => names.map((name) => ({ resource: 'topic', name, operations }));
const read = (...names: string[]) => topics(names, ['READ']);
// WRITE only: a producer appends; it can neither read back, delete records nor change the topic.
const write = (...names: string[]) => topics(names, ['WRITE']);
// Committing offsets needs READ on the group, reading them (the stage consumer's start) DESCRIBE.
const group = (name: string, { prefixed = false, remove = false } = {}): Grant => ({
  resource: 'group',
  name,
  prefixed,
  operations: remove ? ['READ', 'DESCRIBE', 'DELETE'] : ['READ', 'DESCRIBE'],
});

export const ADMIN_PRINCIPAL = 'dauntless-admin';

export const PRINCIPALS: readonly PrincipalDeclaration[] = Object.freeze<PrincipalDeclaration[]>([
  {
    name: ADMIN_PRINCIPAL,
    purpose: 'Provisioning (topics, ACLs), the tests\' setup and test kit; no service runs as it',
    superUser: true,
    grants: [],
  },
  {
    name: 'dauntless-resolver',
    purpose: 'The resolver: calls and justice events in; intelligence, graph events, dead letters and audit lines out',
    grants: [
      ...read(TOPIC.incidents, TOPIC.justiceEvents),
      ...write(TOPIC.intelligence, TOPIC.graphEvents, TOPIC.incidentsDeadLetters, TOPIC.justiceEventsDeadLetters, AUDIT_TOPIC),
      group('dauntless-resolver'),
    ],
  },
  {
    name: 'dauntless-scorer',
    purpose: 'The scorer: graph events in; top fives, alerts, its dead letters and audit lines out',
    grants: [
      ...read(TOPIC.graphEvents),
      ...write(TOPIC.topFive, TOPIC.alerts, TOPIC.graphEventsDeadLetters, AUDIT_TOPIC),
      group('dauntless-scorer'),
    ],
  },
  {
    name: 'dauntless-web',
    purpose: 'The web service: shows intelligence, top fives and alerts, takes calls from a CAD without Kafka, serves the auditor\'s page',
    grants: [
      ...read(TOPIC.intelligence, TOPIC.topFive, TOPIC.alerts, AUDIT_TOPIC),
      ...write(TOPIC.incidents, AUDIT_TOPIC),
      group('dauntless-web', { prefixed: true }),
    ],
  },
  {
    name: 'dauntless-operator',
    purpose: 'The operator CLI and the live job: tail (reads), dlq replay (dead letters back to their inputs), simulate (calls), audit lines of the people who run it',
    grants: [
      ...read(TOPIC.intelligence, TOPIC.topFive, TOPIC.alerts, TOPIC.graphEvents, TOPIC.incidents, TOPIC.justiceEvents, ...DEAD_LETTER_TOPICS),
      // The audit topic: append only, never read back (the auditor's page is the web service's).
      ...write(TOPIC.incidents, TOPIC.justiceEvents, TOPIC.graphEvents, AUDIT_TOPIC),
      // Each run's own group (services/cli/kafka-cli.ts ownGroupId, services/live/intel-feed.ts), deleted when it ends.
      group('dauntless-tail.', { prefixed: true, remove: true }),
      group('dauntless-dlq.', { prefixed: true, remove: true }),
      group('dauntless-live.', { prefixed: true, remove: true }),
    ],
  },
  {
    name: 'cad-writer',
    purpose: 'A force\'s CAD (outside): writes calls, nothing else',
    grants: [{ resource: 'topic', name: TOPIC.incidents, operations: ['WRITE', 'DESCRIBE'] }],
  },
  {
    name: 'dispatch-reader',
    purpose: 'A control room\'s dispatch system (outside): reads pre-arrival intelligence, nothing else',
    grants: [{ resource: 'topic', name: TOPIC.intelligence, operations: ['READ', 'DESCRIBE'] }, group('dispatch-reader', { prefixed: true })],
  },
]);

/** The principals the services run as, each with the rights it needs on a test's or a benchmark run's own topics. */
export const SERVICE_PRINCIPALS: readonly string[] = Object.freeze(['dauntless-resolver', 'dauntless-scorer', 'dauntless-web', 'dauntless-operator']);

const RESOURCE = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP, 'transactional-id': AclResourceTypes.TRANSACTIONAL_ID } as const;

/** The ACL bindings that allow exactly the declared grants. Pure. */
export function aclEntriesOf(principals: readonly PrincipalDeclaration[]): AclEntry[] {
  return principals.flatMap((principal) =>
    principal.grants.flatMap((grant) =>
      grant.operations.map((operation) => ({
        resourceType: RESOURCE[grant.resource],
        resourceName: grant.name,
        resourcePatternType: grant.prefixed ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
        principal: `User:${principal.name}`,
        host: '*',
        operation: AclOperationTypes[operation],
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  );
}

const keyOf = (e: AclEntry) => [e.principal, e.resourceType, e.resourceName, e.resourcePatternType, e.host, e.operation, e.permissionType].join('\u0000');

/** What to create and what to remove so the broker holds exactly `declared` for the declared principals. Pure. */
export function planAcls(declared: readonly AclEntry[], existing: readonly AclEntry[], principals: readonly string[]): { create: AclEntry[]; remove: AclEntry[] } {
  const ours = new Set(principals.map((name) => `User:${name}`));
  const want = new Set(declared.map(keyOf));
  const have = new Set(existing.map(keyOf));
  return {
    create: declared.filter((entry) => !have.has(keyOf(entry))),
    remove: existing.filter((entry) => ours.has(entry.principal) && !want.has(keyOf(entry))),
  };
}

async function describeAll(admin: Admin): Promise<AclEntry[]> {
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  return resources.flatMap(({ acls, ...resource }) => acls.map((acl) => ({ ...resource, ...acl })));
}

const filterOf = (entry: AclEntry) => ({ ...entry });

/**
 * Makes the broker's ACLs of the declared principals exactly the declared grants, keeping those
 * under `keepPrefixes` (a test run's own grants). Idempotent.
 */
export async function provisionAcls({ admin, principals = PRINCIPALS, keepPrefixes = [] }: {
  admin: Admin;
  principals?: readonly PrincipalDeclaration[];
  /** Prefixed grants of these names stay (test and benchmark runs grant them for their own topics). */
  keepPrefixes?: readonly string[];
}): Promise<{ created: number; removed: number }> {
  const existing = (await describeAll(admin)).filter(
    (e) => !(e.resourcePatternType === ResourcePatternTypes.PREFIXED && keepPrefixes.includes(e.resourceName)),
  );
  const plan = planAcls(aclEntriesOf(principals), existing, principals.map((p) => p.name));
  if (plan.create.length > 0) await admin.createAcls({ acl: plan.create });
  if (plan.remove.length > 0) await admin.deleteAcls({ filters: plan.remove.map(filterOf) });
  return { created: plan.create.length, removed: plan.remove.length };
}

/**
 * The grants that let the service principals run on topics and groups of a run's own, all named with
 * `prefix` (a test's `test.`, a benchmark's run name): read, write and describe its topics, use and
 * delete its groups. Never on the real topics, so a run tests the same ACLs as production. Pure.
 */
export function runGrants(prefix: string, principals: readonly string[] = SERVICE_PRINCIPALS): PrincipalDeclaration[] {
  if (!prefix) throw new Error('a run\'s grants need a prefix: an empty one would cover every topic');
  return principals.map((name) => ({
    name,
    purpose: `runs on the topics of ${prefix}*`,
    grants: [
      { resource: 'topic', name: prefix, prefixed: true, operations: ['READ', 'WRITE', 'DESCRIBE'] },
      { resource: 'group', name: prefix, prefixed: true, operations: ['READ', 'DESCRIBE', 'DELETE'] },
    ],
  }));
}

/** Creates a run's grants (runGrants); returns what removes them again. */
export async function grantRun(admin: Admin, prefix: string, principals?: readonly string[]): Promise<() => Promise<void>> {
  await admin.createAcls({ acl: aclEntriesOf(runGrants(prefix, principals)) });
  return () => revokeRun(admin, prefix, principals);
}

/** Removes a run's grants (runGrants). */
export async function revokeRun(admin: Admin, prefix: string, principals?: readonly string[]): Promise<void> {
  await admin.deleteAcls({ filters: aclEntriesOf(runGrants(prefix, principals)).map(filterOf) });
}
