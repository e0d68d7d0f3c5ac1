// Loading a folder's Lua scripts onto an ioredis client: each script is the
// prelude every folder shares (lua-prelude.lua: text helpers), the folder's
// lib.lua (the helpers its scripts share: key building, the walk of
// mergedInto) and the script itself, defined once per client as a
// command taking one key (the namespace's hash-tagged anchor, so Redis
// Cluster routes it to the slot all of the namespace's keys share).
//
// A script that only reads is called with EVALSHA_RO: EVAL and EVALSHA
// declare their keys written, so Redis refuses them to an ACL user that may
// only read those keys (the scorer and the web service read the graph;
// deploy/redis-acl.ts), and a _RO call also makes Redis refuse any write the
// script might try.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

const PRELUDE = join(dirname(fileURLToPath(import.meta.url)), 'lua-prelude.lua');

/** The text of `name`.lua in `folder`, after the shared prelude and the folder's lib.lua. */
export function luaScript(folder: string, name: string): string {
  return [PRELUDE, join(folder, 'lib.lua'), join(folder, `${name}.lua`)].map((file) => readFileSync(file, 'utf8')).join('\n');
}

/** Defines each command (name → script in `folder`) on the client, unless it has one of that name already. */
export function defineLuaCommands(redis: Redis, folder: string, commands: Readonly<Record<string, string>>): void {
  for (const [command, script] of Object.entries(commands)) {
    if (typeof (redis as unknown as Record<string, unknown>)[command] !== 'function') redis.defineCommand(command, { numberOfKeys: 1, lua: luaScript(folder, script) });
  }
}

/**
 * Defines each command (name → a script in `folder` that only reads) on the client as an EVALSHA_RO call, sent as
 * EVAL_RO where the server does not hold the script yet. Not for pipelines: a pipelined read uses the command
 * defineLuaCommands made.
 */
export function defineReadOnlyLuaCommands(redis: Redis, folder: string, commands: Readonly<Record<string, string>>): void {
  const client = redis as unknown as Record<string, unknown>;
  for (const [command, script] of Object.entries(commands)) {
    if (typeof client[command] === 'function') continue;
    const lua = luaScript(folder, script);
    const sha = createHash('sha1').update(lua).digest('hex');
    client[command] = async (key: string, ...args: (string | number)[]): Promise<unknown> => {
      try {
        return await redis.call('EVALSHA_RO', sha, 1, key, ...args);
      } catch (error) {
        if (!(error as Error).message?.startsWith('NOSCRIPT')) throw error;
        return redis.call('EVAL_RO', lua, 1, key, ...args);
      }
    };
  }
}
