import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

// Services log pino JSON. Bind `service` (and child loggers `stage`); per-record
// lines carry topic/partition/offset and entity ids, never names or phone numbers.
/**
 * Fields no line may show, whatever object reached a logger: credentials are never logged on purpose, and
 * this is the net for an options object or an error that carries one (kafkajs's sasl, an HTTP header).
 * Matched by name at any depth, whatever the case; `key` only under `ssl` or `tls`.
 */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'secret', 'authorization', 'sasl', 'token']);
const KEY_HOLDERS: ReadonlySet<string> = new Set(['ssl', 'tls']);
const CENSOR = '[redacted]';
/** Deeper than any line of ours; past it a value is shown as this instead of being walked. */
const MAX_DEPTH = 8;
const TOO_DEEP = '[too deep]';

const isSecret = (field: string, holder: string | undefined): boolean => {
  const name = field.toLowerCase();
  return SECRET_FIELDS.has(name) || (name === 'key' && holder !== undefined && KEY_HOLDERS.has(holder.toLowerCase()));
};

/**
 * `value` with every secret field (above) replaced by "[redacted]". Walks the object once and copies only the
 * objects on the way to a secret: a line with none (nearly every line) is logged as it came. pino's own
 * redaction compiles paths, and a path per depth ("*.*.*.password") cost the resolver's per-call line ten
 * times what writing it did; this walk covers every depth for a fraction of that.
 */
export function redactSecrets<T>(value: T): T {
  return walk(value, undefined, 0, new Set()) as T;
}

function walk(value: unknown, holder: string | undefined, depth: number, seen: Set<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return value; // a cycle: pino's own serializer says so
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (ArrayBuffer.isView(value) || value instanceof Date) return value;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = walk(value[i], holder, depth + 1, seen);
        if (item !== value[i]) (copy ??= [...value])[i] = item;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    const source = value as Record<string, unknown>;
    for (const field of Object.keys(source)) {
      const was = source[field];
      const now = isSecret(field, holder) ? CENSOR : walk(was, field, depth + 1, seen);
      if (now !== was) (copy ??= copyOf(value))[field] = now;
    }
    return copy ?? value;
  } finally {
    seen.delete(value);
  }
}

/** A copy that logs as the original did: an error keeps its type, message and stack (not enumerable, so not in a spread). */
function copyOf(value: object): Record<string, unknown> {
  if (value instanceof Error) return { ...value, type: value.name, message: value.message, stack: value.stack };
  return { ...(value as Record<string, unknown>) };
}

export function createLogger(service: string, options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: redactSecrets },
    ...options,
  };
  const logger = destination ? pino(settings, destination) : pino(settings);
  // A child's bindings could carry an options object too, and pino formats only the root's: every child (and
  // theirs, which inherit this) is made from redacted bindings.
  const makeChild = logger.child;
  (logger as { child: unknown }).child = function child(this: Logger, bindings: Record<string, unknown>, childOptions?: unknown) {
    return makeChild.call(this, redactSecrets(bindings), childOptions as never);
  };
  return logger;
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
