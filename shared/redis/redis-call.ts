// One mapping of a failed Redis call to the pipeline's error family: a
// retriable REDIS_UNAVAILABLE that says what was being done (never the
// values), so the stage consumer stops committing and retries. Every Redis
// adapter calls through here; a reply that is not the JSON a script promises
// is a programmer error and is thrown as it is (SyntaxError).
import { DauntlessError } from '../errors/dauntless-error.ts';

export async function redisCall<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    throw new DauntlessError('REDIS_UNAVAILABLE', `Redis failed to ${what}: ${(cause as Error).message}`, { retriable: true, cause });
  }
}

/** A script's JSON reply, parsed after the call: a parse failure is not Redis's. */
export async function redisJson<T>(what: string, run: () => Promise<string>): Promise<T> {
  return JSON.parse(await redisCall(what, run)) as T;
}
