import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';

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
});
