import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { DEAD_LETTER_MAX_BYTES, deadLetterBytes, deadLetterTopicOf, fitDeadLetter, INPUT_MAX_BYTES, isMessageTooLarge, toDeadLetter } from './dead-letter.ts';

describe('dead letters', () => {
  it('go to the input topic\'s .dlq topic of the same version', () => {
    expect(deadLetterTopicOf('cad.incidents.v1')).toBe('cad.incidents.dlq.v1');
    expect(deadLetterTopicOf('justice.events.v1')).toBe('justice.events.dlq.v1');
  });

  it('keep a header without a value as null, as kafkajs read it', () => {
    const letter = toDeadLetter({
      topic: 'cad.incidents.v1', partition: 0, message: { key: null, value: null, headers: { empty: null as never, multi: [Buffer.from('a'), null as never] }, offset: '0' },
      error: new DauntlessError('DECODE_FAILED', 'The message has no value (null or empty).'), service: 'resolver', stage: 'decode', now: 0,
    });
    expect(letter.originalHeaders).toEqual([{ key: 'empty', value: null }, { key: 'multi', value: Buffer.from('a') }, { key: 'multi', value: null }]);
  });

  it('keep the original bytes, headers and position, with the error code and reason', () => {
    const value = Buffer.from([0, 0, 0, 0, 9, 1, 2, 3]);
    const letter = toDeadLetter({
      topic: 'cad.incidents.v1',
      partition: 4,
      message: { key: Buffer.from('CAD-1'), value, headers: { trace: Buffer.from('t1'), multi: ['a', 'b'] }, offset: '9007199254740993' },
      error: new DauntlessError('SCHEMA_UNKNOWN', 'schema 9 is not in the registry'),
      service: 'resolver',
      stage: 'decode',
      now: 1_700_000_000_000,
    });
    expect(letter).toEqual({
      sourceTopic: 'cad.incidents.v1',
      sourcePartition: 4,
      sourceOffset: '9007199254740993',
      originalKey: Buffer.from('CAD-1'),
      originalValue: value,
      originalHeaders: [
        { key: 'trace', value: Buffer.from('t1') },
        { key: 'multi', value: Buffer.from('a') },
        { key: 'multi', value: Buffer.from('b') },
      ],
      errorCode: 'SCHEMA_UNKNOWN',
      reason: 'schema 9 is not in the registry',
      failedAt: 1_700_000_000_000,
      service: 'resolver',
      stage: 'decode',
    });
  });

  it('never copy the text of an unexpected error, which may quote the data', () => {
    const letter = toDeadLetter({
      topic: 't.v1', partition: 0, message: { key: null, value: null, headers: {}, offset: '0' },
      error: new SyntaxError('Unexpected token in "Jane Example 07700900123"'), service: 's', stage: 'x', now: 0,
    });
    expect(letter.errorCode).toBe('UNEXPECTED');
    expect(letter.reason).toBe('unexpected SyntaxError while processing');
  });
});

describe('dead letters that always fit', () => {
  const letterOf = (value: Buffer, key = Buffer.from('CAD-1')) =>
    toDeadLetter({
      topic: 'cad.incidents.v1',
      partition: 2,
      message: { key, value, headers: { trace: Buffer.from('t1') }, offset: '41' },
      error: new DauntlessError('VALIDATION_FAILED', 'parties[0].emails[0] is 20000 characters long (at most 320)'),
      service: 'resolver',
      stage: 'resolve',
      now: 1_700_000_000_000,
    });

  it('carry the largest input an input topic takes, byte for byte', () => {
    const letter = letterOf(Buffer.alloc(INPUT_MAX_BYTES - 200, 7));
    expect(deadLetterBytes(letter)).toBeLessThanOrEqual(DEAD_LETTER_MAX_BYTES);
    expect(fitDeadLetter(letter)).toBe(letter);
  });

  it('replace a value too large by its SHA-256, its length and where it is', () => {
    const value = Buffer.alloc(3 * INPUT_MAX_BYTES, 1);
    const reduced = fitDeadLetter(letterOf(value));
    expect(reduced).toMatchObject({
      originalKey: Buffer.from('CAD-1'),
      originalValue: null,
      originalHeaders: [{ key: 'trace', value: Buffer.from('t1') }],
      originalValueSha256: createHash('sha256').update(value).digest('hex'),
      originalValueBytes: value.length,
      sourceTopic: 'cad.incidents.v1',
      sourcePartition: 2,
      sourceOffset: '41',
      errorCode: 'VALIDATION_FAILED',
    });
    expect(reduced.reason).toMatch(/^parties\[0\]\.emails\[0\] is 20000 characters long \(at most 320\) \[too large for a dead letter: the original value \(3145764 bytes\) left out; .* at cad\.incidents\.v1 partition 2 offset 41\]$/);
    expect(deadLetterBytes(reduced)).toBeLessThan(20_000);
  });

  it('leave out a key too large to carry, and reduce to a smaller limit when told', () => {
    const letter = letterOf(Buffer.alloc(10_000), Buffer.alloc(5_000));
    expect(fitDeadLetter(letter, 1_000_000)).toBe(letter);
    expect(fitDeadLetter(letter, 20_000)).toMatchObject({ originalKey: null, originalValue: null, originalValueBytes: 10_000 });
  });

  it('know the broker refusing a message as too large, wrapped or not', () => {
    expect(isMessageTooLarge({ type: 'MESSAGE_TOO_LARGE' })).toBe(true);
    expect(isMessageTooLarge(Object.assign(new Error('x'), { cause: { type: 'RECORD_LIST_TOO_LARGE' } }))).toBe(true);
    expect(isMessageTooLarge(new Error('Connection error'))).toBe(false);
  });
});
