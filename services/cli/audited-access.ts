// A command that reads or changes personal data runs as a signed-in person
// (signed-in-user.ts), asks shared/access/access.ts whether they may, and
// writes its s62 entry to audit.v1 before anything is shown or changed. A
// refusal is written too (outcome REFUSED) and ends the command with
// ACCESS_REFUSED. If an entry cannot be written the command fails with
// AUDIT_UNAVAILABLE and shows nothing: there is no way round the log.
//
// Entries go to Kafka as the operator principal, which may append to the
// audit topic and never read it (deploy/principals.ts); the actor in each is
// the person, with the provider's subject, username and roles.
import { pino } from 'pino';
import type { Permission, WebUser } from '../../shared/access/access.ts';
import type { AuditKind } from '../../shared/audit/audit-entry.ts';
import { createAuditLog, type AuditLog } from '../../shared/audit/audit-log.ts';
import { findRegistryAuth } from '../../shared/config/credentials.ts';
import { loadEndpoints } from '../../shared/config/endpoints.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { describeFailure } from './describe-failure.ts';
import { OPERATOR_PRINCIPAL, operatorKafkaSecurity } from './kafka-cli.ts';
import { signedInUser } from './signed-in-user.ts';
import { loadSignInConfig } from './sign-in-config.ts';

/** What an entry is about: ids only, never names, phones or addresses. */
export type AuditWhat = { kind: AuditKind; action: string; subjectIds: string[]; evidenceId?: string; resource?: string };

export type CommandAccess = {
  user: WebUser;
  /** The purpose to record when the permission allows; otherwise the refusal is recorded and ACCESS_REFUSED thrown. */
  require(permission: Permission, what: AuditWhat): Promise<string>;
  /** Writes a DONE entry; AUDIT_UNAVAILABLE when it cannot, before the caller shows or changes anything. */
  record(what: AuditWhat & { purpose: string | null }): Promise<void>;
};

/** The access of a user over a given log (also for tests). */
export function commandAccess(command: string, user: WebUser, audit: AuditLog): CommandAccess {
  const actor = { kind: user.kind, id: user.subject, username: user.username, roles: [...user.roles] };
  const write = async (what: AuditWhat, outcome: 'DONE' | 'REFUSED', purpose: string | null) => {
    try {
      await audit.record({ kind: what.kind, action: what.action, outcome, actor, subjectIds: what.subjectIds, purpose, resource: what.resource ?? `dauntless ${command}`, evidenceId: what.evidenceId ?? null });
    } catch (error) {
      throw new DauntlessError('AUDIT_UNAVAILABLE', `The audit log could not be written (${describeFailure(error)}), so nothing is shown or changed: every consultation is recorded first.`, { retriable: true, cause: error });
    }
  };
  return {
    user,
    async require(permission, what) {
      if (permission.allowed) return permission.purpose;
      try {
        await write(what, 'REFUSED', permission.reason);
      } catch (error) {
        throw new DauntlessError('ACCESS_REFUSED', `${permission.reason} (The refusal could not be recorded either: ${describeFailure(error)}.)`, { cause: error });
      }
      throw new DauntlessError('ACCESS_REFUSED', permission.reason);
    },
    record: (what) => write(what, 'DONE', what.purpose),
  };
}

/**
 * Runs `use` as the signed-in person, with an audit log open on Kafka. Who is signed in is settled first,
 * so a command nobody may run touches no server but the identity provider.
 */
export async function asSignedInPerson<T>(command: string, use: (access: CommandAccess) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const config = loadSignInConfig(env);
  const { user } = await signedInUser(config);
  const endpoints = loadEndpoints(env, { need: ['kafka', 'registry'] });
  const logger = pino({ level: env.LOG_LEVEL ?? 'error', base: { service: 'dauntless', stage: 'audit' } }, pino.destination(2));
  // A person is waiting: a Kafka that does not answer fails the command in seconds, not after kafkajs's long retries.
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: `dauntless-${command}`, logger, security: operatorKafkaSecurity(env), config: { connectionTimeout: 3_000, retry: { retries: 2, initialRetryTime: 200 } } });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  let connected: Promise<void> | undefined;
  const audit = createAuditLog({
    producer: { send: async (record) => ((await (connected ??= producer.connect())), producer.send(record)) },
    codec: createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: findRegistryAuth(OPERATOR_PRINCIPAL, env) }),
    topic: config.auditTopic,
  });
  try {
    return await use(commandAccess(command, user, audit));
  } finally {
    if (connected) await producer.disconnect().catch(() => undefined);
  }
}
