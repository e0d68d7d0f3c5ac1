import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs, { type AclEntry } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { TOPIC } from '../shared/contracts/topics.ts';
import { loadResolverConfig, RESOLVER_PRINCIPAL } from '../services/resolver/config.ts';
import { SCORER_PRINCIPAL } from '../services/scorer/config.ts';
import { OPERATOR_PRINCIPAL } from '../services/cli/kafka-cli.ts';
import { ADMIN_PRINCIPAL, aclEntriesOf, planAcls, PRINCIPALS, runGrants, SERVICE_PRINCIPALS, type PrincipalDeclaration } from './principals.ts';
import { TOPICS } from './topics.ts';

const { AclOperationTypes, ResourcePatternTypes } = kafkajs;
const HERE = dirname(fileURLToPath(import.meta.url));

const named = (name: string) => PRINCIPALS.find((p) => p.name === name)!;
/** The operations a principal has on a literal topic. */
const onTopic = (principal: PrincipalDeclaration, topic: string) =>
  principal.grants.filter((g) => g.resource === 'topic' && !g.prefixed && g.name === topic).flatMap((g) => g.operations);

/** Principals other than the super user that may do `operation` on the audit trail. */
function auditHolders(principals: readonly PrincipalDeclaration[], operation: string): string[] {
  return principals.filter((p) => !p.superUser && p.grants.some((g) => g.resource === 'topic' && (g.prefixed ? TOPIC.audit.startsWith(g.name) : g.name === TOPIC.audit) && g.operations.includes(operation as never))).map((p) => p.name);
}

describe('the declared principals', () => {
  it('are the very users stack.sh creates, the admin first and the only super user', () => {
    const script = readFileSync(join(HERE, 'local', 'stack.sh'), 'utf8');
    const list = /^KAFKA_PRINCIPALS=\(([^)]*)\)/m.exec(script)?.[1]?.trim().split(/\s+/);
    expect(list).toEqual(PRINCIPALS.map((p) => p.name));
    expect(/^KAFKA_ADMIN=(\S+)/m.exec(script)?.[1]).toBe(ADMIN_PRINCIPAL);
    expect(PRINCIPALS.filter((p) => p.superUser).map((p) => p.name)).toEqual([ADMIN_PRINCIPAL]);
    expect(readFileSync(join(HERE, 'local', 'kafka', 'server.properties.template'), 'utf8')).toMatch(/^super\.users=User:\$\{KAFKA_ADMIN_USER\};User:CN=localhost$/m);
  });

  it('are the principals the services default to, with the groups they use', () => {
    expect(SERVICE_PRINCIPALS).toEqual([RESOLVER_PRINCIPAL, SCORER_PRINCIPAL, 'dauntless-web', OPERATOR_PRINCIPAL]);
    const resolverGroup = loadResolverConfig({ KAFKA_BROKERS: 'b:9092', REDIS_URL: 'redis://r', SCHEMA_REGISTRY_URL: 'http://s', DAUNTLESS_STACK_DIR: '/nonexistent' }).groupId;
    expect(named(RESOLVER_PRINCIPAL).grants).toContainEqual({ resource: 'group', name: resolverGroup, prefixed: false, operations: ['READ', 'DESCRIBE'] });
    expect(named(SCORER_PRINCIPAL).grants.some((g) => g.resource === 'group' && g.name === 'dauntless-scorer')).toBe(true);
  });

  it('name only declared topics', () => {
    const declared = new Set(TOPICS.map((t) => t.name));
    for (const principal of PRINCIPALS) {
      for (const grant of principal.grants.filter((g) => g.resource === 'topic')) expect(declared.has(grant.name), `${principal.name}: ${grant.name}`).toBe(true);
    }
  });

  it('give the resolver its inputs to read and its outputs to write, and no more', () => {
    const resolver = named(RESOLVER_PRINCIPAL);
    expect(onTopic(resolver, TOPIC.incidents)).toEqual(['READ']);
    expect(onTopic(resolver, TOPIC.justiceEvents)).toEqual(['READ']);
    for (const out of [TOPIC.intelligence, TOPIC.graphEvents, TOPIC.incidentsDeadLetters, TOPIC.justiceEventsDeadLetters]) expect(onTopic(resolver, out), out).toEqual(['WRITE']);
    expect(onTopic(resolver, TOPIC.topFive)).toEqual([]);
  });

  it('let the outside principals do one thing each: the CAD write calls, dispatch read intelligence in groups of its prefix', () => {
    expect(named('cad-writer').grants).toEqual([{ resource: 'topic', name: TOPIC.incidents, operations: ['WRITE', 'DESCRIBE'] }]);
    expect(named('dispatch-reader').grants).toEqual([
      { resource: 'topic', name: TOPIC.intelligence, operations: ['READ', 'DESCRIBE'] },
      { resource: 'group', name: 'dispatch-reader', prefixed: true, operations: ['READ', 'DESCRIBE'] },
    ]);
  });

  it('let no one but the web service read the audit trail, and no one delete from it or change it', () => {
    expect(auditHolders(PRINCIPALS, 'READ')).toEqual(['dauntless-web']);
    for (const operation of ['DELETE', 'ALTER', 'ALTER_CONFIGS', 'DESCRIBE_CONFIGS']) expect(auditHolders(PRINCIPALS, operation), operation).toEqual([]);
    expect(onTopic(named(RESOLVER_PRINCIPAL), TOPIC.audit)).toEqual(['WRITE']);
    expect(onTopic(named(SCORER_PRINCIPAL), TOPIC.audit)).toEqual(['WRITE']);
  });

  it('let the operator CLI append the entries of the people who run it, and never read them back', () => {
    expect(onTopic(named(OPERATOR_PRINCIPAL), TOPIC.audit)).toEqual(['WRITE']);
    expect(auditHolders(PRINCIPALS, 'READ')).not.toContain(OPERATOR_PRINCIPAL);
  });

  it('the audit rule catches a table that lets the resolver read the trail, or any prefix cover it', () => {
    const leaky: PrincipalDeclaration[] = [
      { name: RESOLVER_PRINCIPAL, purpose: 'bad', grants: [{ resource: 'topic', name: TOPIC.audit, operations: ['READ'] }] },
      { name: 'someone', purpose: 'bad', grants: [{ resource: 'topic', name: 'audit.', prefixed: true, operations: ['READ', 'DELETE'] }] },
    ];
    expect(auditHolders(leaky, 'READ')).toEqual([RESOLVER_PRINCIPAL, 'someone']);
    expect(auditHolders(leaky, 'DELETE')).toEqual(['someone']);
  });
});

describe('ACL bindings', () => {
  const entry = (principal: string, resourceName: string, operation: number, prefixed = false): AclEntry => ({
    resourceType: 2, resourceName, resourcePatternType: prefixed ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL, principal: `User:${principal}`, host: '*', operation, permissionType: 3,
  });

  it('are one ALLOW per operation, literal or prefixed as declared', () => {
    const entries = aclEntriesOf([named('dispatch-reader')]);
    expect(entries).toHaveLength(4);
    expect(entries[0]).toEqual(entry('dispatch-reader', TOPIC.intelligence, AclOperationTypes.READ));
    expect(entries.filter((e) => e.resourcePatternType === ResourcePatternTypes.PREFIXED).map((e) => e.resourceName)).toEqual(['dispatch-reader', 'dispatch-reader']);
  });

  it('are planned: what is missing is created, what our principals hold undeclared is removed, others are left alone', () => {
    const declared = [entry('a', 't1', AclOperationTypes.READ), entry('a', 't2', AclOperationTypes.WRITE)];
    const existing = [entry('a', 't1', AclOperationTypes.READ), entry('a', 't3', AclOperationTypes.READ), entry('stranger', 't3', AclOperationTypes.READ)];
    expect(planAcls(declared, existing, ['a'])).toEqual({ create: [declared[1]], remove: [existing[1]] });
    expect(planAcls(declared, [...existing, declared[1]!], ['a']).create).toEqual([]);
  });

  it('of a run cover only its prefix, and never everything', () => {
    const grants = runGrants('test.', ['dauntless-resolver']);
    expect(grants[0]!.grants.every((g) => g.prefixed && g.name === 'test.')).toBe(true);
    expect(() => runGrants('')).toThrow(/prefix/);
  });
});
