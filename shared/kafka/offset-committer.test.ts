import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging/create-logger.ts';
import { createOffsetCommitter, type TopicPartitionOffset } from './offset-committer.ts';

const logger = createLogger('test', { level: 'silent' });
/** Lets every promise callback queued so far run. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function harness({ fail = () => false }: { fail?: (n: number) => boolean } = {}) {
  let clock = 0;
  const commits: TopicPartitionOffset[][] = [];
  const releases: (() => void)[] = [];
  let held = false;
  const committer = createOffsetCommitter({
    intervalMs: 1_000,
    logger,
    now: () => clock,
    async commit(offsets) {
      commits.push(offsets);
      if (held) await new Promise<void>((release) => releases.push(release));
      if (fail(commits.length)) throw new Error('coordinator gone');
    },
  });
  return { committer, commits, releases, advance: (ms: number) => (clock += ms), hold: (on: boolean) => (held = on) };
}

describe('the offset committer', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('commits at most once per interval while offsets are marked done, with the newest offset of each partition', async () => {
    const { committer, commits, advance } = harness();
    for (let i = 1; i <= 5; i++) {
      advance(100);
      await committer.markDone('t', 0, String(i));
    }
    expect(commits).toEqual([]);
    advance(600);
    await committer.markDone('t', 1, '9');
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '5' }, { topic: 't', partition: 1, offset: '9' }]]);
    await committer.markDone('t', 0, '6');
    expect(commits).toHaveLength(1);
  });

  it('commits what is pending on stop, and by its idle timer once a quiet interval has passed', async () => {
    const { committer, commits, advance } = harness();
    committer.start();
    await committer.markDone('t', 0, '3');
    advance(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '3' }]]);
    await committer.markDone('t', 0, '4');
    await committer.stop();
    expect(commits.at(-1)).toEqual([{ topic: 't', partition: 0, offset: '4' }]);
    await committer.stop();
    expect(commits).toHaveLength(2);
  });

  it('puts back the offsets of a failed commit unless a newer one was marked meanwhile', async () => {
    const { committer, commits, releases, hold } = harness({ fail: (n) => n === 1 });
    await committer.markDone('t', 0, '1');
    await committer.markDone('t', 1, '1');
    hold(true);
    const first = committer.commitPending();
    await settle();
    await committer.markDone('t', 0, '2');
    releases.shift()!();
    await first;
    hold(false);
    await committer.commitPending();
    expect(commits[1]).toEqual([{ topic: 't', partition: 0, offset: '2' }, { topic: 't', partition: 1, offset: '1' }]);
  });

  it('never forgets a commit started while another was awaited: the second waits for the first, then carries the newer offset', async () => {
    const { committer, commits, releases, hold } = harness();
    await committer.markDone('t', 0, '1');
    hold(true);
    const first = committer.commitPending();
    await settle();
    await committer.markDone('t', 0, '2');
    const second = committer.commitPending();
    await settle();
    expect(commits).toHaveLength(1);
    releases.shift()!();
    await settle();
    expect(commits).toHaveLength(2);
    releases.shift()!();
    await Promise.all([first, second]);
    expect(commits.map((c) => c[0]!.offset)).toEqual(['1', '2']);
  });

  it('forgets the pending offsets of partitions another member now holds', async () => {
    const { committer, commits } = harness();
    await committer.markDone('t', 0, '5');
    await committer.markDone('t', 1, '5');
    await committer.markDone('u', 0, '5');
    committer.keepOnly({ t: [1] });
    await committer.stop();
    expect(commits).toEqual([[{ topic: 't', partition: 1, offset: '5' }]]);
  });
});
