import { describe, expect, it } from 'vitest';
import { pastReview, reviewCutoff } from './retention-rule.ts';

const DAY = 86_400_000;
const now = Date.UTC(2036, 0, 1);

describe('the retention rule', () => {
  it('puts the cutoff the review period before now', () => {
    expect(reviewCutoff(now, 3650)).toBe(now - 3650 * DAY);
  });

  it('removes a person whose latest record is before the cutoff, and keeps one with any record at or after it', () => {
    const cutoff = reviewCutoff(now, 3650);
    const people = [
      { entityId: 'old', latestAt: cutoff - 1 },
      { entityId: 'on-the-day', latestAt: cutoff },
      { entityId: 'recent', latestAt: now - DAY },
    ];
    expect(pastReview(people, cutoff)).toEqual({ remove: ['old'], keep: ['on-the-day', 'recent'] });
  });

  it('keeps a person none of whose records came from an event: the graph does not know how old they are', () => {
    expect(pastReview([{ entityId: 'from-a-csv', latestAt: undefined }], reviewCutoff(now, 3650))).toEqual({ remove: [], keep: ['from-a-csv'] });
  });
});
