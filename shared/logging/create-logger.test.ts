import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from './create-logger.ts';

describe('createLogger', () => {
  it('never writes a password, secret, token, authorization header or SASL settings, however deep an object carries them', () => {
    const lines: string[] = [];
    const logger = createLogger('test', { level: 'info' }, { write: (line: string) => void lines.push(line) });
    logger.info(
      { password: 'p1', config: { sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p2' } }, request: { headers: { authorization: 'Basic p3' } }, a: { b: { secret: 'p4', token: 'p5' } } },
      'connecting',
    );
    expect(lines).toHaveLength(1);
    for (const secret of ['p1', 'p2', 'p3', 'p4', 'p5']) expect(lines[0]).not.toContain(secret);
    expect(JSON.parse(lines[0]!)).toMatchObject({ password: '[redacted]', config: { sasl: '[redacted]' }, msg: 'connecting' });
  });

  it('finds them at any depth, in arrays, in errors and in a child\'s bindings, whatever their case', () => {
    const lines: string[] = [];
    const logger = createLogger('test', { level: 'info' }, { write: (line: string) => void lines.push(line) });
    const error = Object.assign(new Error('refused'), { config: { ssl: { key: 'p6', cert: 'public' } } });
    logger.child({ options: { brokers: ['b1'], SASL: { password: 'p7' } } }).warn(
      { a: { b: { c: { d: { Password: 'p8' } } } }, list: [{ headers: { Authorization: 'Bearer p9' } }], err: error },
      'deep',
    );
    for (const secret of ['p6', 'p7', 'p8', 'p9']) expect(lines[0]).not.toContain(secret);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ options: { brokers: ['b1'], SASL: '[redacted]' }, a: { b: { c: { d: { Password: '[redacted]' } } } } });
    expect(line.err).toMatchObject({ message: 'refused', config: { ssl: { key: '[redacted]', cert: 'public' } } });
    expect(line.err.stack).toContain('refused');
  });

  it('gives back the very object it was given when nothing in it is secret, and never changes the caller\'s object', () => {
    const clean = { incidentId: 'INC-1', entities: [{ entityId: 'e1', match: { outcome: 'link' } }], keyCount: 3 };
    expect(redactSecrets(clean)).toBe(clean);
    const withSecret = { nested: { token: 't' }, other: { x: 1 } };
    const redacted = redactSecrets(withSecret);
    expect(redacted).toEqual({ nested: { token: '[redacted]' }, other: { x: 1 } });
    expect(withSecret.nested.token).toBe('t');
    expect(redacted.other).toBe(withSecret.other);
  });

  it('stops at a cycle and at a depth no line of ours reaches', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(() => redactSecrets(cyclic)).not.toThrow();
    let deep: Record<string, unknown> = { password: 'p' };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('"p"');
  });
});
