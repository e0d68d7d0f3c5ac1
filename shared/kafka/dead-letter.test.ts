import { describe, expect, it } from 'vitest';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { deadLetterTopicOf, toDeadLetter } from './dead-letter.ts';

describe('dead letters', () => {
  it('go to the input topic\'s .dlq topic of the same version', () => {
    expect(deadLetterTopicOf('cad.incidents.v1')).toBe('cad.incidents.dlq.v1');
    expect(deadLetterTopicOf('justice.events.v1')).toBe('justice.events.dlq.v1');
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
