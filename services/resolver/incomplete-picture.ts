// What a call's intelligence was built without, from the partitions the stage
// consumer says are behind (StageMessage.partitionsBehind): the justice-event
// partitions among them. Orders, bail, MARAC referrals and DASH grades come
// from justice events, on a topic of their own, so a justice partition behind
// (just assigned and not yet found caught up, far behind its end, or gone
// ahead of in call order once its bound passed) means they may be missing.
// Call partitions behind are not part of this: call order decides what a call
// waits for among calls. Pure.
import type { IncompletePicture } from '../../shared/contracts/intelligence.ts';
import type { PartitionBehind } from '../../shared/kafka/stage-consumer.ts';

export function justiceBehind(behind: readonly PartitionBehind[], justiceTopics: ReadonlySet<string>): IncompletePicture[] {
  const justice = behind.filter((b) => justiceTopics.has(b.topic));
  if (justice.length === 0) return [];
  const known = justice.flatMap((b) => (b.messages === null ? [] : [b.messages]));
  return [
    {
      reason: 'JUSTICE_BEHIND',
      partitions: [...new Set(justice.map((b) => b.partition))].sort((a, b) => a - b),
      messagesBehind: known.length > 0 ? known.reduce((sum, n) => sum + n, 0) : null,
    },
  ];
}
