import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import type { KafkaSecurity } from '../config/kafka-security.ts';
import type { Logger } from '../logging/create-logger.ts';
import { registerCodecs } from './codecs.ts';

// kafkajs is in maintenance mode (2.2.4 is its last release). Everything that
// builds a client goes through here, so a maintained client could replace it
// in one place.

export type CreateKafkaOptions = {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /**
   * Who the client is and how it checks the broker (shared/config/kafka-security.ts): required, so every
   * client says which principal it is; PLAINTEXT only for a broker that asks for no login.
   */
  security: KafkaSecurity;
  /** Extra kafkajs settings (retry, timeouts). */
  config?: Partial<KafkaConfig>;
};

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/** Routes kafkajs's own log lines into the service's pino logger, as `stage: kafkajs`. */
export function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ stage: 'kafkajs' });
  return () => ({ level, log }) => {
    // kafkajs repeats its own timestamp and logger name; pino has both already.
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = log as typeof log & { timestamp?: string; logger?: string };
    child[LEVELS[level] ?? 'info']({ namespace: log.namespace, ...extra }, message);
  };
}

// kafkajs 2 warns on every producer that its default partitioner changed in
// 2.0. Dauntless has always used the new (Java-compatible murmur2) one.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export function createKafka({ brokers, clientId, logger, security, config = {} }: CreateKafkaOptions): Kafka {
  // Every client reads (and may write) every codec Kafka has, not only gzip.
  registerCodecs();
  return new Kafka({
    clientId,
    brokers: [...brokers],
    // rejectUnauthorized: a broker whose certificate the CA did not sign (or not for this host) is refused.
    ...(security.tls ? { ssl: { rejectUnauthorized: true, ...(security.tls.ca ? { ca: [security.tls.ca] } : {}) } } : {}),
    ...(security.sasl ? { sasl: { ...security.sasl } as KafkaConfig['sasl'] } : {}),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    // kafkajs INFO is chatty about every group join; WARN keeps what matters.
    logLevel: KafkaLogLevel.WARN,
    logCreator: pinoLogCreator(logger),
    ...config,
  });
}
