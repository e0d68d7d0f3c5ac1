// The harm configuration a process runs with: docs/HARM-SCORE.md's defaults,
// with the overrides of the JSON file DAUNTLESS_HARM_CONFIG names, validated.
import { readFileSync } from 'node:fs';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { resolveHarmConfig, type HarmConfig, type HarmConfigOverrides } from './harm-config.ts';

/** The harm configuration: defaults, with the overrides of the JSON file DAUNTLESS_HARM_CONFIG names, validated. */
export function loadHarmConfig(env: NodeJS.ProcessEnv = process.env): HarmConfig {
  const file = env.DAUNTLESS_HARM_CONFIG;
  if (!file) return resolveHarmConfig();
  let overrides: HarmConfigOverrides;
  try {
    overrides = JSON.parse(readFileSync(file, 'utf8')) as HarmConfigOverrides;
  } catch (error) {
    throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_HARM_CONFIG=${file} could not be read as JSON (${(error as Error).message}): give a file of overrides of docs/HARM-SCORE.md's defaults, or unset it.`);
  }
  return resolveHarmConfig(overrides);
}
