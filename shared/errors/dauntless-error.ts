// One error family for the whole project (docs/CONTRIBUTING.md "One error family"). A stable `code` says
// what went wrong for machines (dead-letter records, metrics, alerts); the
// message says it for people. `retriable` decides the policy where the error
// is caught: a retriable error (a broken dependency) is retried with backoff
// and never dead-lettered; a non-retriable one about a record (bad input) is
// dead-lettered and the pipeline goes on.

export type ErrorCode =
  // Bad input: the record itself is wrong. Dead-lettered.
  | 'DECODE_FAILED'
  | 'SCHEMA_UNKNOWN'
  | 'VALIDATION_FAILED'
  // A dependency is unavailable or misbehaving. Retried.
  | 'KAFKA_UNAVAILABLE'
  | 'REDIS_UNAVAILABLE'
  | 'REGISTRY_UNAVAILABLE'
  // Redis refused a script or command with an error reply (a Lua error, WRONGTYPE):
  // most likely the same again for the same record, so retried a bounded
  // number of times (failure-policy.ts), then dead-lettered under this code.
  | 'REDIS_SCRIPT_FAILED'
  // A bug (TypeError, RangeError...) while processing a record: dead-lettered
  // under this code and logged with its stack; a replay after the fix completes it.
  | 'PROGRAMMER_ERROR'
  // Entity resolution: the identity store kept refusing a record's change
  // because other resolvers were writing under the same keys. Retried.
  | 'RESOLVE_CONFLICT'
  // The registry refused a schema (e.g. an incompatible change).
  | 'SCHEMA_INCOMPATIBLE'
  // Set-up and programmer errors: fix and restart.
  | 'CONFIG_INVALID'
  | 'STACK_NOT_RUNNING'
  // The registry has no subject for a topic the service writes or reads: a
  // deployment that skipped provisioning. Stops the service (never dead-lettered).
  | 'REGISTRY_SUBJECT_MISSING'
  // The Kafka consumer stopped for good (kafkajs gave up restarting it). Stops the service.
  | 'KAFKA_CONSUMER_CRASHED'
  // A person running a `dauntless` command: nobody signed in (no token, or one the provider's keys,
  // issuer, audience or clock refuse), or signed in without the need to know (role, borough, purpose).
  | 'NOT_SIGNED_IN'
  | 'ACCESS_REFUSED'
  // The s62 audit log could not be written: the command shows and changes nothing.
  | 'AUDIT_UNAVAILABLE';

export class DauntlessError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DauntlessError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

export function isRetriable(error: unknown): boolean {
  // Programmer errors are never retried (kafkajs errors.js does the same).
  if (error instanceof TypeError || error instanceof RangeError) return false;
  if (error instanceof DauntlessError) return error.retriable;
  return false;
}
