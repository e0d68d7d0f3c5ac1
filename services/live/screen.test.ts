import { describe, expect, it } from 'vitest';
import { createScreen } from './screen.ts';

const terminal = (isTTY: boolean) => {
  const written: string[] = [];
  return { out: { isTTY, write: (text: string) => written.push(text) }, written };
};

describe('the main job’s screen', () => {
  it('rewrites the status line in place on a terminal and keeps it below printed blocks', () => {
    const { out, written } = terminal(true);
    const screen = createScreen({ out });
    screen.status('seeding 1/3');
    screen.status('seeding 2/3');
    screen.print('a live call');
    screen.endStatus('seeded');
    expect(written.join('')).toBe('\r\u001b[Kseeding 1/3\r\u001b[Kseeding 2/3\r\u001b[Ka live call\nseeding 2/3\r\u001b[Kseeded\n');
  });

  it('prints the status as plain lines elsewhere, no more than one every interval and never the same twice', () => {
    const { out, written } = terminal(false);
    let now = 0;
    const screen = createScreen({ out, statusEveryMs: 2000, now: () => now });
    screen.status('seeding 1/3');
    now = 500;
    screen.status('seeding 2/3');
    now = 2500;
    screen.status('seeding 2/3');
    now = 5000;
    screen.status('seeding 2/3');
    screen.print('a live call');
    screen.endStatus('seeded');
    expect(written).toEqual(['seeding 1/3\n', 'seeding 2/3\n', 'a live call\n', 'seeded\n']);
  });
});
