import { DauntlessError } from '../errors/dauntless-error.ts';

/** A whole-number setting from the environment: `fallback` when unset or empty, CONFIG_INVALID outside min..max. */
export function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DauntlessError('CONFIG_INVALID', `${name}=${raw} is not a whole number from ${min} to ${max}.`);
  }
  return value;
}
