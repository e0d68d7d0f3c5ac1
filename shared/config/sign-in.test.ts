import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSignIn, loadStackUsers } from './sign-in.ts';

function stackWith(files: Record<string, string>): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'dauntless-sign-in-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { DAUNTLESS_STACK_DIR: dir };
}

const users = JSON.stringify([
  { username: 'lpt.lambeth', password: 'secret-one', roles: ['lpt-officer'], boroughs: ['E09000022'] },
  { username: 'dispatcher', password: 'secret-two', roles: ['dispatcher', 'call-handler'], boroughs: [] },
]);

describe('describeSignIn', () => {
  it('names the issuer and each user with roles and boroughs, never a password', () => {
    const env = stackWith({ 'endpoints.env': 'OIDC_ISSUER=http://127.0.0.1:8180/realms/dauntless\n', 'users.json': users });
    const text = describeSignIn(env).join('\n');
    expect(text).toContain('http://127.0.0.1:8180/realms/dauntless');
    expect(text).toMatch(/lpt\.lambeth\s+lpt-officer\s+\(boroughs E09000022\)/);
    expect(text).toMatch(/dispatcher\s+dispatcher, call-handler/);
    expect(text).not.toContain('secret-one');
    expect(text).not.toContain('secret-two');
  });

  it('says nothing where the stack has no sign-in provider', () => {
    expect(describeSignIn(stackWith({ 'endpoints.env': 'KAFKA_BROKERS=127.0.0.1:9092\n' }))).toEqual([]);
  });
});

describe('loadStackUsers', () => {
  it('reads users.json, and is empty without it', () => {
    expect(loadStackUsers(stackWith({ 'users.json': users })).map((u) => u.username)).toEqual(['lpt.lambeth', 'dispatcher']);
    expect(loadStackUsers(stackWith({}))).toEqual([]);
  });
});
