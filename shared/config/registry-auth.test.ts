import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuthorization, findRegistryAuth, loadRegistryAuth } from './credentials.ts';

function stackWithSecret(name: string, secret: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dauntless-registry-auth-'));
  mkdirSync(join(dir, 'secrets'));
  writeFileSync(join(dir, 'secrets', `${name}.password`), secret + '\n', { mode: 0o600 });
  return dir;
}

describe('registry credentials', () => {
  it("default to the program's principal and its secret file in the stack", () => {
    const env = { DAUNTLESS_STACK_DIR: stackWithSecret('dauntless-resolver', 'from-file') };
    expect(findRegistryAuth('dauntless-resolver', env)).toEqual({ username: 'dauntless-resolver', password: 'from-file' });
  });

  it('take DAUNTLESS_REGISTRY_USER and DAUNTLESS_REGISTRY_PASSWORD, or its _FILE, first', () => {
    const dir = stackWithSecret('dauntless-resolver', 'from-stack');
    const file = join(dir, 'mounted');
    writeFileSync(file, 'mounted-secret\n');
    expect(findRegistryAuth('dauntless-resolver', { DAUNTLESS_STACK_DIR: dir, DAUNTLESS_REGISTRY_USER: 'cad-writer', DAUNTLESS_REGISTRY_PASSWORD: 'direct' })).toEqual({ username: 'cad-writer', password: 'direct' });
    expect(findRegistryAuth('dauntless-resolver', { DAUNTLESS_STACK_DIR: dir, DAUNTLESS_REGISTRY_PASSWORD_FILE: file })).toEqual({ username: 'dauntless-resolver', password: 'mounted-secret' });
  });

  it('are undefined where no password is found, and loadRegistryAuth says where to put one', () => {
    const env = { DAUNTLESS_STACK_DIR: mkdtempSync(join(tmpdir(), 'dauntless-registry-auth-')) };
    expect(findRegistryAuth('dauntless-scorer', env)).toBeUndefined();
    expect(() => loadRegistryAuth('dauntless-scorer', env)).toThrow(/DAUNTLESS_REGISTRY_PASSWORD.*dauntless-scorer\.password/s);
  });

  it('make an HTTP Basic header', () => {
    expect(basicAuthorization({ username: 'a', password: 'b' })).toBe('Basic ' + Buffer.from('a:b').toString('base64'));
  });
});
