// Who a test is to Kafka. The test kit and the global setup are the admin
// (they create and delete topics and grants); a test of the ACLs logs in as
// the principal it tests. The same files a service reads: the stack's
// endpoints file and secrets (shared/config/kafka-security.ts). A variable
// DAUNTLESS_KAFKA_USER in the shell never makes a test someone else.
import { ADMIN_PRINCIPAL } from '../../deploy/principals.ts';
import { join } from 'node:path';
import { stackSetting } from '../../shared/config/credentials.ts';
import { stackDir } from '../../shared/config/endpoints.ts';
import { loadKafkaSecurity, withoutKafkaLogin, type KafkaSecurity } from '../../shared/config/kafka-security.ts';

export function testKafkaSecurity(principal: string = ADMIN_PRINCIPAL): KafkaSecurity {
  return loadKafkaSecurity(withoutKafkaLogin(process.env), principal);
}

/** The prefix of every test's own topics and groups (unique.ts): the service principals are granted these for the run. */
export const TEST_PREFIX = 'test.';

/**
 * How kcat, the independent client, reaches the broker: on a secured stack the mutual-TLS listener
 * (KAFKA_TLS_BROKERS) as the admin, with the client certificate stack.sh made, since Debian's kcat
 * (librdkafka 2.0) cannot log in with SCRAM to Kafka 4; otherwise the brokers as they are.
 */
export function kcatConnection(brokers: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const tlsBrokers = stackSetting('KAFKA_TLS_BROKERS', env);
  if (!tlsBrokers) return ['-b', brokers.join(',')];
  const clients = join(stackDir(env), 'tls', 'clients');
  return [
    '-b', tlsBrokers,
    '-X', 'security.protocol=SSL',
    '-X', `ssl.ca.location=${stackSetting('DAUNTLESS_CA_FILE', env)}`,
    '-X', `ssl.certificate.location=${join(clients, `${ADMIN_PRINCIPAL}.pem`)}`,
    '-X', `ssl.key.location=${join(clients, `${ADMIN_PRINCIPAL}.key`)}`,
  ];
}
