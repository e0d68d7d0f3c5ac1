import { describe, expect, it } from 'vitest';
import { justiceBehind } from './incomplete-picture.ts';

const justice = new Set(['justice.events.v1']);

describe('justiceBehind', () => {
  it('says the justice partitions behind and how many messages they have not read, and nothing of call partitions', () => {
    expect(
      justiceBehind(
        [
          { topic: 'justice.events.v1', partition: 3, messages: 250 },
          { topic: 'cad.incidents.v1', partition: 0, messages: 900 },
          { topic: 'justice.events.v1', partition: 1, messages: 12 },
        ],
        justice,
      ),
    ).toEqual([{ reason: 'JUSTICE_BEHIND', partitions: [1, 3], messagesBehind: 262 }]);
  });

  it('says how far is not known while no justice partition behind has been read, and nothing when none is behind', () => {
    expect(justiceBehind([{ topic: 'justice.events.v1', partition: 0, messages: null }], justice)).toEqual([{ reason: 'JUSTICE_BEHIND', partitions: [0], messagesBehind: null }]);
    expect(justiceBehind([{ topic: 'cad.incidents.v1', partition: 0, messages: null }], justice)).toEqual([]);
    expect(justiceBehind([], justice)).toEqual([]);
  });
});
