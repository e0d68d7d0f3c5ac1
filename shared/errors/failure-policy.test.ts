import { describe, expect, it } from 'vitest';
import { DauntlessError } from './dauntless-error.ts';
import { failurePolicy, scriptFailedError } from './failure-policy.ts';

/** An error as ioredis gives a Redis error reply. */
function replyError(message: string): Error {
  const error = new Error(message);
  error.name = 'ReplyError';
  return error;
}
const wrapped = (cause: unknown) => new DauntlessError('REDIS_UNAVAILABLE', 'Redis failed to record the event', { retriable: true, cause });

describe('the failure policy', () => {
  it('retries a broken dependency without limit, Redis connection errors included', () => {
    expect(failurePolicy(new DauntlessError('KAFKA_UNAVAILABLE', 'broker gone', { retriable: true }))).toEqual({ kind: 'retry', code: 'KAFKA_UNAVAILABLE' });
    expect(failurePolicy(wrapped(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })))).toEqual({ kind: 'retry', code: 'REDIS_UNAVAILABLE' });
    expect(failurePolicy(wrapped(replyError('NOSCRIPT No matching script.')))).toEqual({ kind: 'retry', code: 'REDIS_UNAVAILABLE' });
    expect(failurePolicy(wrapped(replyError('LOADING Redis is loading the dataset in memory')))).toMatchObject({ kind: 'retry' });
  });

  it('retries a Redis error reply a bounded number of times, however it is wrapped', () => {
    const script = replyError("ERR user_script:12: Script attempted to access nonexistent global variable 'x' script: 3f2a, on @user_script:12.");
    expect(failurePolicy(wrapped(script))).toEqual({ kind: 'retry-bounded', code: 'REDIS_SCRIPT_FAILED', maxAttempts: 5 });
    expect(failurePolicy(script, { boundedAttempts: 2 })).toEqual({ kind: 'retry-bounded', code: 'REDIS_SCRIPT_FAILED', maxAttempts: 2 });
    expect(failurePolicy(wrapped(replyError('WRONGTYPE Operation against a key holding the wrong kind of value')))).toMatchObject({ kind: 'retry-bounded' });
    expect(failurePolicy(wrapped(replyError('ERR Error running script (call to f_1): @user_script:1: boom')))).toMatchObject({ kind: 'retry-bounded' });
  });

  it('dead-letters bad input under its code, and programmer errors as PROGRAMMER_ERROR', () => {
    expect(failurePolicy(new DauntlessError('VALIDATION_FAILED', 'no incident id'))).toEqual({ kind: 'dead-letter', code: 'VALIDATION_FAILED', programmerError: false });
    expect(failurePolicy(new DauntlessError('SCHEMA_UNKNOWN', 'id 9 is not ours'))).toMatchObject({ kind: 'dead-letter', code: 'SCHEMA_UNKNOWN' });
    for (const bug of [new TypeError('x is undefined'), new RangeError('bad length'), new ReferenceError('y'), new SyntaxError('bad JSON')]) {
      expect(failurePolicy(bug)).toEqual({ kind: 'dead-letter', code: 'PROGRAMMER_ERROR', programmerError: true });
    }
    expect(failurePolicy(new Error('something else'))).toEqual({ kind: 'dead-letter', code: 'UNEXPECTED', programmerError: false });
  });

  it('stops the service for a configuration error, retriable or not', () => {
    expect(failurePolicy(new DauntlessError('REGISTRY_SUBJECT_MISSING', 'no subject'))).toEqual({ kind: 'stop', code: 'REGISTRY_SUBJECT_MISSING' });
    expect(failurePolicy(new DauntlessError('CONFIG_INVALID', 'bad', { retriable: true }))).toEqual({ kind: 'stop', code: 'CONFIG_INVALID' });
  });

  it('names the spent attempts and the first line of the reply in the dead letter', () => {
    const error = scriptFailedError(wrapped(replyError('ERR user_script:1: boom\nstack traceback')), 5);
    expect(error).toMatchObject({ code: 'REDIS_SCRIPT_FAILED', retriable: false, message: 'Redis refused the same command 5 times: ERR user_script:1: boom' });
  });
});
