// What the CLI's Kafka readers share (tail, dlq replay): a consumer group of
// the run's own, so reading can never move a real group's position, removed
// when the run ends; and a broker that does not answer said in one sentence
// with the brokers asked.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kafka } from 'kafkajs';
import { loadKafkaSecurity, type KafkaSecurity } from '../../shared/config/kafka-security.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';

/** The CLI's own Kafka principal (deploy/principals.ts). */
export const OPERATOR_PRINCIPAL = 'dauntless-operator';

/** Who a CLI command is to Kafka: the operator, unless DAUNTLESS_KAFKA_USER says otherwise. Read once, when the command starts. */
export function operatorKafkaSecurity(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  return loadKafkaSecurity(env, OPERATOR_PRINCIPAL);
}

/** A group id no other run shares: `dauntless-tail.<host>.<pid>.<random>`. */
export function ownGroupId(command: string): string {
  return `dauntless-${command}.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}`;
}

// With no offsets and no members the broker drops the group on its own, but
// only at its next clean-up (up to 10 minutes); deleting it now leaves no trace.
export async function forgetGroup(kafka: Kafka, groupId: string, logger: Logger): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch (error) {
    logger.debug({ groupId, err: (error as Error).message }, 'own group not deleted; the broker will drop it');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** A broker that does not answer, said with the brokers asked; anything else as it was. */
export function kafkaUnavailable(error: unknown, brokers: readonly string[]): unknown {
  const name = (error as Error | undefined)?.name ?? '';
  if (!/^KafkaJS(Connection|NumberOfRetriesExceeded|BrokerNotFound|RequestTimeout|NonRetriable)/.test(name)) return error;
  return new DauntlessError(
    'KAFKA_UNAVAILABLE',
    `Kafka at ${brokers.join(',')} is not answering (${(error as Error).message}): start the local servers with \`npm run stack:up\`, or set KAFKA_BROKERS to brokers that run.`,
    { retriable: true, cause: error },
  );
}
