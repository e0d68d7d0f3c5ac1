import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

// Services log pino JSON. Bind `service` (and child loggers `stage`); per-record
// lines carry topic/partition/offset and entity ids, never names or phone numbers.
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  return pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...options,
  });
}
