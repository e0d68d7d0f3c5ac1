// Where `dauntless login` keeps a person's tokens between commands: one JSON
// file only its owner can read or write (mode 600, in a folder of mode 700),
// at DAUNTLESS_CLI_SESSION, else $XDG_STATE_HOME/dauntless/session.json, else
// ~/.local/state/dauntless/session.json. A file that others could read is
// refused rather than used: its tokens may already be copied.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';

export type CliSession = {
  /** The provider the tokens are from: a session of another issuer is not used. */
  issuer: string;
  clientId: string;
  accessToken: string;
  /** Epoch ms after which the access token is refused (its `exp`). */
  accessTokenExpiresAt: number;
  refreshToken: string | null;
  idToken: string | null;
};

export function sessionFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DAUNTLESS_CLI_SESSION) return env.DAUNTLESS_CLI_SESSION;
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'dauntless', 'session.json');
}

/** Owner read and write only: any bit for group or others makes a session file unsafe. */
export const isPrivateMode = (mode: number): boolean => (mode & 0o077) === 0;

function isSession(value: unknown): value is CliSession {
  const s = value as Partial<CliSession> | null;
  return !!s && typeof s.issuer === 'string' && typeof s.clientId === 'string' && typeof s.accessToken === 'string' && typeof s.accessTokenExpiresAt === 'number';
}

/** The session kept in the file, or undefined when there is none. */
export function readSession(file: string): CliSession | undefined {
  if (!existsSync(file)) return undefined;
  if (!isPrivateMode(statSync(file).mode)) {
    throw new DauntlessError('NOT_SIGNED_IN', `The session file ${file} can be read by others, so its tokens are not used: run \`dauntless logout\`, then \`dauntless login\`.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  if (!isSession(parsed)) throw new DauntlessError('NOT_SIGNED_IN', `The session file ${file} is not one \`dauntless login\` wrote: run \`dauntless login\` again.`);
  return parsed;
}

/** Writes the session through a private temporary file renamed over the old one, so no reader sees half a file or a readable one. */
export function writeSession(file: string, session: CliSession): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(session) + '\n', { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

export function removeSession(file: string): boolean {
  if (!existsSync(file)) return false;
  rmSync(file, { force: true });
  return true;
}
