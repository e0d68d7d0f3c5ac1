import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findEndpoints, loadEndpoints, parseEnvFile } from './endpoints.ts';

function stackWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dauntless-stack-'));
  writeFileSync(join(dir, 'endpoints.env'), text);
  return dir;
}

describe('endpoints', () => {
  it('takes servers named by the environment before the stack file', () => {
    const dir = stackWith('KAFKA_BROKERS=127.0.0.1:9092\nREDIS_URL=redis://127.0.0.1:6379\nSCHEMA_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7/\n');
    const endpoints = loadEndpoints({ DAUNTLESS_STACK_DIR: dir, KAFKA_BROKERS: 'a:1, b:2' });
    expect(endpoints).toEqual({
      kafkaBrokers: ['a:1', 'b:2'],
      redisUrl: 'redis://127.0.0.1:6379',
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
    });
  });

  it('says which are missing and how to start the stack when nothing names them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dauntless-empty-'));
    expect(findEndpoints({ DAUNTLESS_STACK_DIR: dir })).toEqual({});
    expect(() => loadEndpoints({ DAUNTLESS_STACK_DIR: dir, REDIS_URL: 'redis://x' })).toThrow(
      /No KAFKA_BROKERS, SCHEMA_REGISTRY_URL .*npm run stack:up/,
    );
  });

  it('asks only for the servers named by need, and returns only their endpoints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dauntless-empty-'));
    expect(loadEndpoints({ DAUNTLESS_STACK_DIR: dir, REDIS_URL: 'redis://x' }, { need: ['redis'] })).toEqual({ redisUrl: 'redis://x' });
    expect(loadEndpoints({ DAUNTLESS_STACK_DIR: dir, KAFKA_BROKERS: 'a:1', SCHEMA_REGISTRY_URL: 'http://r/' }, { need: ['registry', 'kafka'] })).toEqual({
      kafkaBrokers: ['a:1'],
      schemaRegistryUrl: 'http://r',
    });
    expect(() => loadEndpoints({ DAUNTLESS_STACK_DIR: dir, KAFKA_BROKERS: 'a:1' }, { need: ['redis'] })).toThrow(
      /^No REDIS_URL in the environment or in .*endpoints\.env\. Start the local servers with `npm run stack:up`, or set this variable to a server you run\.$/,
    );
  });

  it('reads env files with comments, export prefixes and quotes', () => {
    expect(parseEnvFile('# c\nexport A=1\nB="two words"\n\nnot a line\nC=\'x=y\'\n')).toEqual({ A: '1', B: 'two words', C: 'x=y' });
  });
});
