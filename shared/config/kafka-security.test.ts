import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaPrincipalOf, loadKafkaSecurity, PLAINTEXT, withoutKafkaLogin } from './kafka-security.ts';

/** A stack dir of its own: an endpoints file and a secrets folder as stack:up writes them. */
function stack({ endpoints = '', secrets = {} }: { endpoints?: string; secrets?: Record<string, string> } = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
  writeFileSync(join(dir, 'endpoints.env'), endpoints);
  mkdirSync(join(dir, 'secrets'));
  for (const [name, value] of Object.entries(secrets)) writeFileSync(join(dir, 'secrets', `${name}.password`), `${value}\n`);
  return { DAUNTLESS_STACK_DIR: dir };
}

describe('loadKafkaSecurity', () => {
  it('is plaintext where neither a mechanism nor a CA is set (a broker of one\'s own)', () => {
    expect(loadKafkaSecurity(stack(), 'dauntless-resolver')).toBe(PLAINTEXT);
  });

  it('logs in as the program\'s own principal with the stack\'s secret, trusting the stack\'s CA', () => {
    const env = stack({ endpoints: 'KAFKA_SASL_MECHANISM=SCRAM-SHA-512\n', secrets: { 'dauntless-resolver': 'resolver-secret' } });
    const ca = join(env.DAUNTLESS_STACK_DIR!, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nsynthetic\n-----END CERTIFICATE-----\n');
    writeFileSync(join(env.DAUNTLESS_STACK_DIR!, 'endpoints.env'), `KAFKA_SASL_MECHANISM=SCRAM-SHA-512\nDAUNTLESS_CA_FILE=${ca}\n`);
    const security = loadKafkaSecurity(env, 'dauntless-resolver');
    expect(security).toEqual({ tls: { ca: expect.stringContaining('synthetic') }, sasl: { mechanism: 'scram-sha-512', username: 'dauntless-resolver', password: 'resolver-secret' } });
    expect(Object.isFrozen(security)).toBe(true);
    expect(kafkaPrincipalOf(security)).toBe('dauntless-resolver');
  });

  it('takes another principal and its password from the environment, or from a file it names', () => {
    const env = stack({ endpoints: 'KAFKA_SASL_MECHANISM=SCRAM-SHA-512\n' });
    const file = join(env.DAUNTLESS_STACK_DIR!, 'mounted-secret');
    writeFileSync(file, 'from-a-file\n');
    expect(loadKafkaSecurity({ ...env, DAUNTLESS_KAFKA_USER: 'force-resolver', DAUNTLESS_KAFKA_PASSWORD: 'from-env' }, 'dauntless-resolver').sasl).toMatchObject({ username: 'force-resolver', password: 'from-env' });
    expect(loadKafkaSecurity({ ...env, DAUNTLESS_KAFKA_PASSWORD_FILE: file }, 'dauntless-resolver').sasl).toMatchObject({ username: 'dauntless-resolver', password: 'from-a-file' });
  });

  it('uses TLS with the system\'s CAs when SASL is on and no CA is named: a login never goes in the clear', () => {
    const env = { ...stack(), KAFKA_SASL_MECHANISM: 'PLAIN', DAUNTLESS_KAFKA_PASSWORD: 'p' };
    expect(loadKafkaSecurity(env, 'dauntless-scorer')).toEqual({ tls: {}, sasl: { mechanism: 'plain', username: 'dauntless-scorer', password: 'p' } });
  });

  it('stops the start with a sentence for a missing password, an unknown mechanism, or a user without a mechanism', () => {
    const env = stack({ endpoints: 'KAFKA_SASL_MECHANISM=SCRAM-SHA-512\n' });
    expect(() => loadKafkaSecurity(env, 'dauntless-scorer')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('secrets/dauntless-scorer.password') }));
    expect(() => loadKafkaSecurity({ ...stack(), KAFKA_SASL_MECHANISM: 'GSSAPI' }, 'x')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('SCRAM-SHA-512') }));
    expect(() => loadKafkaSecurity({ ...stack(), DAUNTLESS_KAFKA_USER: 'someone' }, 'x')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('KAFKA_SASL_MECHANISM') }));
  });
});

describe('withoutKafkaLogin', () => {
  it('leaves a child service nothing of its parent\'s login, and everything else', () => {
    const env = { DAUNTLESS_KAFKA_USER: 'dauntless-admin', DAUNTLESS_KAFKA_PASSWORD: 'p', DAUNTLESS_KAFKA_PASSWORD_FILE: '/f', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', DAUNTLESS_CA_FILE: '/ca.pem' };
    expect(withoutKafkaLogin(env)).toEqual({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', DAUNTLESS_CA_FILE: '/ca.pem' });
    expect(env.DAUNTLESS_KAFKA_USER).toBe('dauntless-admin');
  });
});
