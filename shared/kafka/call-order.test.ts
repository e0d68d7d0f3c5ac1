import { describe, expect, it } from 'vitest';
import { BEHIND_TIMEOUT_MS, createCallOrder, type Admission } from './call-order.ts';

const live = { heartbeat: async () => undefined, running: () => true, heartbeatMs: 5 };
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
const ticketOf = (a: Admission) => {
  if (a.kind !== 'go') throw new Error(`expected go, got ${a.kind}`);
  return a.ticket;
};

describe('calls in the order they were made, across partitions', () => {
  it('starts the earliest next message of the batches in hand first, whichever partition asks first', async () => {
    const order = createCallOrder();
    order.enter('t/0', [30, 40], true);
    order.enter('t/1', [10, 20], true);
    const started: string[] = [];
    const run = async (p: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const ticket = ticketOf(await order.admit(p, live));
        started.push(`${p}#${i}`);
        await ticket.lock([]);
        ticket.done();
      }
      order.leave(p);
    };
    await Promise.all([run('t/0', 2), run('t/1', 2)]);
    expect(started).toEqual(['t/1#0', 't/1#1', 't/0#0', 't/0#1']);
  });

  it('lets a later message on another partition run beside an earlier one when they share no key', async () => {
    const order = createCallOrder();
    order.enter('t/0', [10], true);
    order.enter('t/1', [20], true);
    const first = ticketOf(await order.admit('t/0', live));
    await first.lock(['phone:1']);
    const second = ticketOf(await order.admit('t/1', live));
    let secondLocked = false;
    await second.lock(['phone:2']).then(() => (secondLocked = true));
    expect(secondLocked).toBe(true);
    first.done();
    second.done();
  });

  it('holds a later message that shares a key until the earlier one is done, though the later decodes first', async () => {
    const order = createCallOrder();
    order.enter('t/0', [10], true);
    order.enter('t/1', [20], true);
    const first = ticketOf(await order.admit('t/0', live));
    const second = ticketOf(await order.admit('t/1', live));
    const events: string[] = [];
    const secondLocked = second.lock(['phone:1']).then(() => events.push('second has the key'));
    await tick();
    await first.lock(['phone:1']);
    events.push('first has the key');
    await tick();
    expect(events).toEqual(['first has the key']);
    first.done();
    await secondLocked;
    expect(events).toEqual(['first has the key', 'second has the key']);
    second.done();
  });

  it('gives a message the entities touched by the earlier ones still in flight as it read, once they are done', async () => {
    const order = createCallOrder();
    order.enter('t/0', [10], true);
    order.enter('t/1', [20], true);
    const first = ticketOf(await order.admit('t/0', live));
    const second = ticketOf(await order.admit('t/1', live));
    const earlier = second.earlierInFlight();
    let theirs: ReadonlySet<string> | undefined;
    const waited = earlier().then((t) => (theirs = t));
    await tick();
    expect(theirs).toBeUndefined();
    first.touch(['E-victim', 'E-merged-away']);
    first.done();
    await waited;
    expect([...theirs!].sort()).toEqual(['E-merged-away', 'E-victim']);
    // Noted after the earlier one was done: nothing to wait for, nothing touched since.
    expect((await second.earlierInFlight()()).size).toBe(0);
    second.done();
  });

  it('makes a later message give way to a partition whose batch ended short of its end, until that one is fetched again', async () => {
    const order = createCallOrder();
    order.enter('t/0', [10], false);
    order.enter('t/1', [50], true);
    const first = ticketOf(await order.admit('t/0', live));
    first.done();
    order.leave('t/0');
    expect((await order.admit('t/1', live)).kind).toBe('yield');
    order.leave('t/1', { nextTimestamp: 50 });
    // The next fetch brings the rest of t/0: its calls before 50 go first.
    order.enter('t/0', [20, 60], true);
    order.enter('t/1', [50], true);
    expect(ticketOf(await order.admit('t/0', live)).seq).toBe(2);
    const blocked = order.admit('t/1', live);
    await tick();
    // t/0's next is 60: t/1's 50 may go now.
    expect((await blocked).kind).toBe('go');
  });

  it('stops waiting when the consumer stops, and forgets partitions it no longer holds', async () => {
    let running = true;
    const order = createCallOrder();
    order.enter('t/0', [10], true);
    order.enter('t/1', [20], true);
    const waiting = order.admit('t/1', { ...live, running: () => running });
    await tick();
    running = false;
    expect((await waiting).kind).toBe('stopped');

    const other = createCallOrder();
    other.enter('t/0', [10], false);
    other.leave('t/0');
    other.enter('t/1', [20], true);
    other.assigned(new Set(['t/1']));
    expect((await other.admit('t/1', live)).kind).toBe('go');
  });

  it('makes messages give way to a partition just assigned, until its batch is in hand or it is found caught up', async () => {
    const order = createCallOrder();
    order.assigned(new Set(['t/0', 't/1', 't/2']));
    order.enter('t/1', [20], true);
    expect((await order.admit('t/1', live)).kind).toBe('yield');
    order.leave('t/1', { nextTimestamp: 20 });
    order.caughtUp(['t/2']);
    order.enter('t/0', [10], true);
    order.enter('t/1', [20], true);
    const first = order.admit('t/1', live);
    const zero = ticketOf(await order.admit('t/0', live));
    zero.done();
    order.leave('t/0');
    expect((await first).kind).toBe('go');
  });

  it('stops waiting for a partition behind that never shows (only transaction markers left, say) after BEHIND_TIMEOUT_MS', async () => {
    let clock = 1_000_000;
    // Time passes as the waiting message heartbeats.
    const ticking = { ...live, heartbeat: async () => void (clock += 60) };
    const order = createCallOrder({ now: () => clock });
    order.enter('t/0', [10], false);
    order.leave('t/0');
    order.enter('t/1', [50], true);
    expect((await order.admit('t/1', ticking)).kind).toBe('yield');
    order.leave('t/1', { nextTimestamp: 50 });
    clock += BEHIND_TIMEOUT_MS + 1;
    order.enter('t/1', [50], true);
    expect((await order.admit('t/1', ticking)).kind).toBe('go');
  });

  it('holds a call back for a justice partition in hand for at most its bound, then lets it go and names the partition it went ahead of', async () => {
    let clock = 1_000_000;
    const ticking = { ...live, heartbeat: async () => void (clock += 100) };
    const order = createCallOrder({ now: () => clock, holdsBackAtMost: (key) => (key.startsWith('justice/') ? 1_000 : Infinity) });
    order.enter('justice/0', [10, 11, 12], true);
    order.enter('calls/0', [50], true);
    const call = await order.admit('calls/0', ticking);
    expect(call.kind === 'go' && call.aheadOf).toEqual(['justice/0']);
    expect(clock - 1_000_000).toBeGreaterThanOrEqual(1_000);
  });

  it('keeps the wait of a message given way across the fetches of its batch, so the bound is the message\'s, not the fetch\'s', async () => {
    let clock = 1_000_000;
    const ticking = { ...live, heartbeat: async () => void (clock += 20) };
    const order = createCallOrder({ now: () => clock, holdsBackAtMost: (key) => (key.startsWith('justice/') ? 500 : Infinity) });
    order.assigned(new Set(['justice/0', 'calls/0']));
    order.enter('calls/0', [50], true);
    expect((await order.admit('calls/0', ticking)).kind).toBe('yield');
    order.leave('calls/0', { nextTimestamp: 50 });
    clock += 600;
    order.enter('calls/0', [50], true);
    const call = await order.admit('calls/0', ticking);
    expect(call.kind === 'go' && call.aheadOf).toEqual(['justice/0']);
  });

  it('holds a call back without end for an earlier call, and goes ahead of nothing when nothing is behind', async () => {
    let clock = 1_000_000;
    const ticking = { ...live, heartbeat: async () => void (clock += 1_000) };
    const order = createCallOrder({ now: () => clock, holdsBackAtMost: (key) => (key.startsWith('justice/') ? 1_000 : Infinity) });
    order.enter('calls/0', [10], true);
    order.enter('calls/1', [50], true);
    let later: Admission | undefined;
    const waiting = order.admit('calls/1', ticking).then((a) => (later = a));
    await tick();
    clock += 60_000;
    await tick();
    expect(later).toBeUndefined();
    ticketOf(await order.admit('calls/0', ticking)).done();
    order.leave('calls/0');
    await waiting;
    expect(later!.kind === 'go' && later!.aheadOf).toEqual([]);
  });
});
