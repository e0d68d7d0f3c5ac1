import { describe, expect, it } from 'vitest';
import { parseSimulateArgs } from './simulate.ts';

describe('dauntless simulate arguments', () => {
  it('reads the rate and duration, with defaults for the rest', () => {
    const options = parseSimulateArgs(['--rate', '50', '--duration=3'], 1_234_567);
    expect(options).toMatchObject({ rate: 50, durationSeconds: 3, seed: '234567', persons: 20_000, clock: 'live', spanDays: 548, topic: 'cad.incidents.v1', noise: 1 });
    expect(options.truthFile).toMatch(/\.stack\/simulate-truth\.jsonl$/);
  });

  it('reads every option', () => {
    const options = parseSimulateArgs(['--rate', '2.5', '--duration', '60', '--seed', 'demo', '--persons', '5000', '--truth', 'out/t.jsonl', '--clock', 'simulated', '--span-days', '365', '--topic', 'scratch.calls.v1', '--noise', '2']);
    expect(options).toMatchObject({ rate: 2.5, durationSeconds: 60, seed: 'demo', persons: 5000, clock: 'simulated', spanDays: 365, topic: 'scratch.calls.v1', noise: 2 });
    expect(options.truthFile).toMatch(/out\/t\.jsonl$/);
  });

  it.each([
    [['--duration', '3'], /--rate is required/],
    [['--rate', '50'], /--duration is required/],
    [['--rate', '0', '--duration', '3'], /--rate 0: give a number of calls per second > 0/],
    [['--rate', 'fast', '--duration', '3'], /--rate fast/],
    [['--rate', '0.1', '--duration', '1'], /less than one call/],
    [['--rate', '5', '--duration', '3', '--clock', 'wall'], /--clock wall: give live .* or simulated/],
    [['--rate', '5', '--duration', '3', '--span-days', '30'], /add --clock simulated/],
    [['--rate', '5', '--duration', '3', '--persons', '12.5'], /--persons 12.5: give a whole number/],
    [['--rate', '5', '--duration', '3', '--topic', 'no spaces please'], /not a Kafka topic name/],
    [['--rate', '5', '--duration', '3', '--speed', '9'], /unknown option --speed/],
    [['--rate', '5', '--duration'], /--duration needs a value/],
    [['--rate', '--duration', '3'], /--rate needs a value/],
    [['50'], /unexpected argument "50"/],
  ])('refuses %j, saying what to change', (args, message) => {
    expect(() => parseSimulateArgs(args as string[])).toThrow(message as RegExp);
  });
});
