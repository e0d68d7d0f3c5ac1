import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

// Services log pino JSON. Bind `service` (and child loggers `stage`); per-record
// lines carry topic/partition/offset and entity ids, never names or phone numbers.
/**
 * Fields no line may show, whatever object reached a logger: credentials are never logged on purpose, and
 * this is the net for an options object or an error that carries one (kafkajs's sasl, an HTTP header).
 */
export const REDACTED_PATHS: readonly string[] = Object.freeze(
  ['password', 'secret', 'authorization', 'sasl', 'token', 'ssl.key'].flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]).concat(['headers.authorization', '*.headers.authorization', 'headers.Authorization', '*.headers.Authorization']),
);

export function createLogger(service: string, options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    ...options,
  };
  return destination ? pino(settings, destination) : pino(settings);
}

/** How long a line may wait in a service logger's buffer. */
const SERVICE_LOG_FLUSH_MS = 200;

/**
 * The logger of a long-running service (resolver, scorer): lines are buffered
 * and written to stdout in chunks of about 4 KB, and at least every 200 ms,
 * instead of one write per line. The resolver logs a line per call, and on a
 * loaded machine a write to a pipe costs as much CPU as a fair part of
 * resolving the call. The buffer is flushed when the process exits (pino's
 * own exit handlers); a kill -9 loses what it held, at most 200 ms of lines,
 * never anything on the graph or the topics.
 */
export function createServiceLogger(service: string, options: LoggerOptions = {}): Logger {
  const destination = pino.destination({ dest: 1, minLength: 4096, sync: false });
  setInterval(() => destination.flush(), SERVICE_LOG_FLUSH_MS).unref();
  return createLogger(service, options, destination);
}
