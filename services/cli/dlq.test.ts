import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_TOPICS } from '../../shared/contracts/topics.ts';
import type { DeadLetter } from '../../shared/kafka/dead-letter.ts';
import { helpText, optionsOf, UsageError } from './command.ts';
import { cannotReplay, command, headersOf, isChosen } from './dlq.ts';

const letter = (overrides: Partial<DeadLetter> = {}): DeadLetter => ({
  sourceTopic: 'cad.incidents.v1', sourcePartition: 2, sourceOffset: '41',
  originalKey: Buffer.from('CAD-U-1'), originalValue: Buffer.from([0, 0, 0, 0, 7, 1]), originalHeaders: [],
  errorCode: 'PROGRAMMER_ERROR', reason: 'unexpected TypeError while processing', failedAt: 0, service: 'resolver', stage: 'resolve-incident',
  originalValueSha256: null, originalValueBytes: null,
  ...overrides,
});

describe('dauntless dlq replay: its arguments', () => {
  it('reads every dead-letter topic unless --from names one, and takes codes and offsets repeated', () => {
    expect(optionsOf(command, ['replay', '--code', 'PROGRAMMER_ERROR', '--code', 'REDIS_SCRIPT_FAILED'])).toEqual({
      topics: DEAD_LETTER_TOPICS, codes: ['PROGRAMMER_ERROR', 'REDIS_SCRIPT_FAILED'], offsets: [], all: false, dryRun: false,
    });
    expect(optionsOf(command, ['replay', '--from', 'justice.events.dlq.v1', '--offset', '3', '--offset', '1:12', '--dry-run'])).toEqual({
      topics: ['justice.events.dlq.v1'], codes: [], offsets: [{ offset: 3n }, { partition: 1, offset: 12n }], all: false, dryRun: true,
    });
    expect(optionsOf(command, ['replay', '--all']).all).toBe(true);
  });

  it.each([
    [['replay'], 'choose the letters: --code CODE, --offset N or --all'],
    [['replay', '--all', '--code', 'X'], '--all chooses every letter: give it without --code or --offset'],
    [['replay', '--offset', '3'], 'an offset names a letter on one dead-letter topic: say which with --from'],
    [['replay', '--from', 'cad.incidents.dlq.v1', '--offset', 'x7'], '--offset needs a dead-letter offset, N or PARTITION:N (got x7)'],
    [['replay', '--from', 'cad.incidents.v1', '--all'], '--from names a dead-letter topic (*.dlq.v1), not cad.incidents.v1'],
    [['replay', '--code', ' '], '--code needs an error code, e.g. VALIDATION_FAILED'],
    [['resend', '--all'], 'unknown action "resend": the one there is is replay'],
  ])('refuses %j', (argv, message) => {
    expect(() => optionsOf(command, argv)).toThrow(new UsageError(message));
  });

  it('says in its help what it sends, how it chooses, and that it never prints the bytes', () => {
    const help = helpText(command);
    expect(help).toMatch(/^Usage: dauntless dlq replay \(--code CODE\.\.\. \| --offset N\.\.\. \| --all\) \[--from TOPIC\] \[--dry-run\]/);
    expect(help).toContain('byte for byte');
    expect(help).toContain('never the original bytes');
    expect(help).toContain('--dry-run');
  });
});

describe('dauntless dlq replay: choosing and refusing letters', () => {
  const at = { partition: 0, offset: 5n };

  it('chooses by code, by offset, by both together, or every letter', () => {
    expect(isChosen({ codes: ['PROGRAMMER_ERROR'], offsets: [], all: false }, 1, at, 'PROGRAMMER_ERROR')).toBe(true);
    expect(isChosen({ codes: ['PROGRAMMER_ERROR'], offsets: [], all: false }, 1, at, 'VALIDATION_FAILED')).toBe(false);
    expect(isChosen({ codes: [], offsets: [{ offset: 5n }], all: false }, 1, at, 'VALIDATION_FAILED')).toBe(true);
    expect(isChosen({ codes: [], offsets: [{ offset: 6n }], all: false }, 1, at, 'VALIDATION_FAILED')).toBe(false);
    expect(isChosen({ codes: [], offsets: [{ partition: 1, offset: 5n }], all: false }, 2, at, 'VALIDATION_FAILED')).toBe(false);
    expect(isChosen({ codes: ['PROGRAMMER_ERROR'], offsets: [{ offset: 5n }], all: false }, 1, at, 'VALIDATION_FAILED')).toBe(false);
    expect(isChosen({ codes: [], offsets: [], all: true }, 1, at, 'ANY')).toBe(true);
    // A letter that did not decode has no code: it is reported, unless an offset leaves it out.
    expect(isChosen({ codes: ['PROGRAMMER_ERROR'], offsets: [], all: false }, 1, at, undefined)).toBe(true);
    expect(isChosen({ codes: [], offsets: [{ offset: 4n }], all: false }, 1, at, undefined)).toBe(false);
  });

  it('refuses a reduced letter, naming where the original is, and a letter whose source is not its topic\'s input', () => {
    const reduced = cannotReplay('cad.incidents.dlq.v1', letter({ originalValue: null, originalValueSha256: 'ab'.repeat(32), originalValueBytes: 3_000_000 }), 6);
    expect(reduced?.kind).toBe('reduced');
    expect(reduced?.why).toContain(`3000000 bytes, SHA-256 ${'ab'.repeat(32)}`);
    expect(reduced?.why).toContain('the original is at cad.incidents.v1 partition 2 offset 41 while that topic retains it');
    expect(cannotReplay('justice.events.dlq.v1', letter(), 6)?.kind).toBe('other-source');
    expect(cannotReplay('cad.incidents.dlq.v1', letter(), undefined)?.kind).toBe('no-source-topic');
    expect(cannotReplay('cad.incidents.dlq.v1', letter(), 2)?.kind).toBe('no-source-partition');
    expect(cannotReplay('cad.incidents.dlq.v1', letter({ originalHeaders: [{ key: 'trace', value: Buffer.from('t') }, { key: 'empty', value: null }] }), 6)).toEqual({
      kind: 'header-without-value', why: 'its header "empty" has no value, which this client cannot send as it was; not sent',
    });
    expect(cannotReplay('cad.incidents.dlq.v1', letter(), 6)).toBeUndefined();
    // A message that had no value is replayed as it was: no value.
    expect(cannotReplay('cad.incidents.dlq.v1', letter({ originalValue: null }), 6)).toBeUndefined();
  });

  it('gives the headers back as kafkajs sends them: a repeated key as a list, in order', () => {
    const headers = headersOf([
      { key: 'trace', value: Buffer.from('t1') },
      { key: 'hop', value: Buffer.from('a') },
      { key: 'hop', value: Buffer.from('b') },
      { key: '__proto__', value: Buffer.from('p') },
      { key: 'hop', value: Buffer.from('c') },
    ]);
    expect(Object.keys(headers)).toEqual(['trace', 'hop', '__proto__']);
    expect(headers.hop).toEqual([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
    expect(headers['__proto__']).toEqual(Buffer.from('p'));
  });
});
