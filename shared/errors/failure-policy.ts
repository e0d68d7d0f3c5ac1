// What a stage consumer does with an error thrown while processing a message,
// decided in one place (docs/ARCHITECTURE.md, "The pipeline, with each step's failure branch"):
//   retry         a broken dependency (a retriable DauntlessError, a Redis connection error): tried again
//                 with backoff, for as long as it takes, nothing after it committed;
//   retry-bounded a Redis error reply (a Lua script error, WRONGTYPE): most likely the same for the same
//                 record every time, so tried maxAttempts times (a reply caused by a passing state gets its
//                 chance), then dead-lettered as REDIS_SCRIPT_FAILED rather than holding the partition for ever;
//   dead-letter   bad input (a non-retriable DauntlessError), and programmer errors (TypeError, RangeError,
//                 ReferenceError, SyntaxError) as PROGRAMMER_ERROR, logged with their stack: one record that
//                 hits a bug must not stop every call behind it, and writes are idempotent by event id, so a
//                 replay of the letter after the fix completes whatever it left half done;
//   stop          a configuration error (CONFIG_INVALID, REGISTRY_SUBJECT_MISSING...): every message would
//                 fail the same way, so none is dead-lettered; the service stops and exits non-zero.
import { DauntlessError, type ErrorCode } from './dauntless-error.ts';

export type FailurePolicy =
  | { kind: 'retry'; code: string | undefined }
  | { kind: 'retry-bounded'; code: ErrorCode; maxAttempts: number }
  | { kind: 'dead-letter'; code: string; programmerError: boolean }
  | { kind: 'stop'; code: ErrorCode };

/** Attempts given a Redis error reply before its message is dead-lettered. */
export const DEFAULT_BOUNDED_ATTEMPTS = 5;

/** Codes that say the deployment, not a record, is wrong. */
export const CONFIGURATION_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['CONFIG_INVALID', 'STACK_NOT_RUNNING', 'REGISTRY_SUBJECT_MISSING', 'KAFKA_CONSUMER_CRASHED']);

// Replies that describe the server's passing state, not the command: worth waiting out.
// NOSCRIPT is the script cache emptied (ioredis loads the script again itself).
const TRANSIENT_REPLY = /^(NOSCRIPT|LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|MOVED|ASK|OOM|NOREPLICAS|MISCONF)\b/;

/** The causes of an error, itself first (a DauntlessError wraps the client's error as its cause). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** An ioredis error reply (the server answered with an error), as opposed to a connection failure. */
export function redisErrorReply(error: unknown): Error | undefined {
  return causes(error).find((e): e is Error => e instanceof Error && e.name === 'ReplyError');
}

/** Whether a Redis error reply would most likely come back the same for the same command (a script error, WRONGTYPE). */
export function isDeterministicReply(reply: Error): boolean {
  return !TRANSIENT_REPLY.test(reply.message);
}

export function isProgrammerError(error: unknown): error is Error {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
}

export function failurePolicy(error: unknown, { boundedAttempts = DEFAULT_BOUNDED_ATTEMPTS }: { boundedAttempts?: number } = {}): FailurePolicy {
  if (isProgrammerError(error)) return { kind: 'dead-letter', code: 'PROGRAMMER_ERROR', programmerError: true };
  const reply = redisErrorReply(error);
  if (reply && isDeterministicReply(reply)) return { kind: 'retry-bounded', code: 'REDIS_SCRIPT_FAILED', maxAttempts: boundedAttempts };
  if (reply) return { kind: 'retry', code: 'REDIS_UNAVAILABLE' };
  if (error instanceof DauntlessError) {
    if (CONFIGURATION_CODES.has(error.code)) return { kind: 'stop', code: error.code };
    if (error.code === 'REDIS_SCRIPT_FAILED') return { kind: 'retry-bounded', code: error.code, maxAttempts: boundedAttempts };
    return error.retriable ? { kind: 'retry', code: error.code } : { kind: 'dead-letter', code: error.code, programmerError: false };
  }
  return { kind: 'dead-letter', code: 'UNEXPECTED', programmerError: false };
}

/** The error a message is dead-lettered with once its bounded attempts are spent: the reply's first line names the script's fault, never a person. */
export function scriptFailedError(error: unknown, attempts: number): DauntlessError {
  const reply = redisErrorReply(error) ?? (error as Error);
  const line = String(reply?.message ?? error).split('\n')[0]!.slice(0, 300);
  return new DauntlessError('REDIS_SCRIPT_FAILED', `Redis refused the same command ${attempts} times: ${line}`, { cause: error });
}
