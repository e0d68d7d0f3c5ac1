import { DauntlessError } from '../errors/dauntless-error.ts';
import { loadCaCertificate, readSecret, stackSetting } from './credentials.ts';

// How a client proves who it is to Kafka, and how it knows the broker is the
// broker. Read once at start (docs/CONTRIBUTING.md "Config validated once"):
//   KAFKA_SASL_MECHANISM       SCRAM-SHA-512 (the local stack), SCRAM-SHA-256 or PLAIN; unset: no SASL
//   DAUNTLESS_CA_FILE          PEM of the CA that signed the broker's certificate; unset with SASL:
//                              TLS with the system's CAs
//   DAUNTLESS_KAFKA_USER       the principal; default the program's own (resolver: dauntless-resolver)
//   DAUNTLESS_KAFKA_PASSWORD   its password (or _FILE); default the local stack's
//                              .stack/secrets/<principal>.password
// Neither a mechanism nor a CA: plaintext, for a broker of one's own (docker-compose.yml).

export type KafkaSaslMechanism = 'scram-sha-512' | 'scram-sha-256' | 'plain';

export type KafkaSecurity = Readonly<{
  /** TLS to the broker, trusting `ca` (PEM) or, without one, the system's CAs; false: plaintext. */
  tls: false | Readonly<{ ca?: string }>;
  /** SASL login; undefined: none. */
  sasl?: Readonly<{ mechanism: KafkaSaslMechanism; username: string; password: string }>;
}>;

/** No TLS, no login: a broker of one's own that asks for neither. */
export const PLAINTEXT: KafkaSecurity = Object.freeze({ tls: false });

const MECHANISMS: Readonly<Record<string, KafkaSaslMechanism>> = { 'SCRAM-SHA-512': 'scram-sha-512', 'SCRAM-SHA-256': 'scram-sha-256', PLAIN: 'plain' };

/** The file of a principal's password under the local stack's secrets folder. */
export function principalPasswordFile(principal: string): string {
  return `${principal}.password`;
}

/**
 * The Kafka security of a program whose own principal is `principal` (the resolver's is dauntless-resolver):
 * DAUNTLESS_KAFKA_USER / DAUNTLESS_KAFKA_PASSWORD override it. A wrong combination stops the start with CONFIG_INVALID.
 */
export function loadKafkaSecurity(env: NodeJS.ProcessEnv, principal: string): KafkaSecurity {
  const mechanismName = stackSetting('KAFKA_SASL_MECHANISM', env);
  const ca = loadCaCertificate(env);
  const user = stackSetting('DAUNTLESS_KAFKA_USER', env);
  if (!mechanismName) {
    if (user) {
      throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_KAFKA_USER=${user} is set but KAFKA_SASL_MECHANISM is not: set it to SCRAM-SHA-512 (or the mechanism your broker takes), or unset DAUNTLESS_KAFKA_USER.`);
    }
    return ca ? Object.freeze({ tls: Object.freeze({ ca }) }) : PLAINTEXT;
  }
  const mechanism = MECHANISMS[mechanismName.toUpperCase()];
  if (!mechanism) {
    throw new DauntlessError('CONFIG_INVALID', `KAFKA_SASL_MECHANISM=${mechanismName} is not one of ${Object.keys(MECHANISMS).join(', ')}.`);
  }
  const username = user || principal;
  const password = readSecret('DAUNTLESS_KAFKA_PASSWORD', principalPasswordFile(username), env);
  if (!password) {
    throw new DauntlessError(
      'CONFIG_INVALID',
      `No Kafka password for principal ${username}: set DAUNTLESS_KAFKA_PASSWORD or DAUNTLESS_KAFKA_PASSWORD_FILE, or start the local stack (\`npm run stack:up\` writes .stack/secrets/${principalPasswordFile(username)}).`,
    );
  }
  // SASL without TLS would send the login (PLAIN: the password itself) in the clear: always TLS.
  return Object.freeze({ tls: Object.freeze(ca ? { ca } : {}), sasl: Object.freeze({ mechanism, username, password }) });
}

/** The principal a security logs in as, for log lines and errors (never the password). */
export function kafkaPrincipalOf(security: KafkaSecurity): string {
  return security.sasl ? security.sasl.username : security.tls ? 'anonymous (TLS)' : 'anonymous (plaintext)';
}

const LOGIN_VARIABLES = ['DAUNTLESS_KAFKA_USER', 'DAUNTLESS_KAFKA_USER_FILE', 'DAUNTLESS_KAFKA_PASSWORD', 'DAUNTLESS_KAFKA_PASSWORD_FILE'] as const;

/**
 * `env` without a Kafka login of its own: for a child service (the resolver started by the live job or a
 * test), which then logs in as its own principal, not as the program that started it.
 */
export function withoutKafkaLogin(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  for (const name of LOGIN_VARIABLES) delete rest[name];
  return rest;
}
