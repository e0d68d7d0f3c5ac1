// Loading a folder's Lua scripts onto an ioredis client: each script is the
// folder's lib.lua (the helpers its scripts share: key building, the walk of
// mergedInto) followed by the script itself, defined once per client as a
// command taking one key (the namespace's hash-tagged anchor, so Redis
// Cluster routes it to the slot all of the namespace's keys share).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

/** The text of `name`.lua in `folder`, after the folder's lib.lua. */
export function luaScript(folder: string, name: string): string {
  return readFileSync(join(folder, 'lib.lua'), 'utf8') + '\n' + readFileSync(join(folder, `${name}.lua`), 'utf8');
}

/** Defines each command (name → script in `folder`) on the client, unless it has one of that name already. */
export function defineLuaCommands(redis: Redis, folder: string, commands: Readonly<Record<string, string>>): void {
  for (const [command, script] of Object.entries(commands)) {
    if (typeof (redis as unknown as Record<string, unknown>)[command] !== 'function') redis.defineCommand(command, { numberOfKeys: 1, lua: luaScript(folder, script) });
  }
}
