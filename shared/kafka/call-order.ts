// Calls resolved in the order they were made, across the partitions one
// process holds, so a backlog drained after a pause (a restart, a deploy, a
// broker failover, a long GC) gives every call the intelligence it would
// have had live. Without it each partition goes at its own pace: a call on
// a busy partition is resolved after a later call about the same person on
// a quiet one, which then misses it (no earlier incident named, or a new
// person founded where the earlier record would have matched).
//
// Three rules, by the call's Kafka timestamp (ties by partition):
//   admission  a message starts only when it is the earliest next message of
//              every batch in hand; one whose partition's batch ended short of
//              the partition's end is behind the unfetched rest of it, so a
//              later message gives way ('yield': its batch stops there and is
//              fetched again, in the same fetch as the rest);
//   keys       a started message waits for every earlier one still in flight
//              that shares one of its keys (the parties' blocking keys: two
//              records that share none cannot find each other as candidates);
//   history    a message notes the earlier ones still in flight as it reads
//              its history (`earlierInFlight`), waits for them, and reads its
//              history again if one touched an entity it reads: an earlier
//              call may link a person through an entity without sharing a key.
// Messages that share no key still run side by side, so live calls keep the
// latency of partitions in flight; only what could change another's answer waits.
//
// A partition may hold others back for at most a bound of its own
// (`holdsBackAtMost`, default without end): justice events order calls, but a
// justice backlog must not keep dispatch waiting for minutes. Past the bound
// a message goes ahead of it, and its admission names the partitions it went
// ahead of (`aheadOf`), so what it builds can say it was built without them.

/** A partition as the order knows it: `${topic}/${partition}`. */
export type PartitionKey = string;

export type Ticket = {
  /** Admission order: earlier tickets are earlier calls. */
  readonly seq: number;
  /**
   * Takes this message's conflict keys (known once it is decoded) and waits for every earlier message still in
   * flight that holds one of them. Keys are taken in admission order, whatever order the decodes finish in.
   */
  lock(keys: readonly string[]): Promise<void>;
  /**
   * Notes the earlier tickets still in flight now (call it just before reading what they could change); the function
   * returned waits for them and gives the entities they touched.
   */
  earlierInFlight(): () => Promise<ReadonlySet<string>>;
  /** The entities this message wrote to (its parties' entities and those it merged away): what later ones check. */
  touch(entityIds: readonly string[]): void;
  /** This message is handled (or dead-lettered): its keys and history are free for later ones. */
  done(): void;
};

/** `aheadOf`: partitions that may hold earlier messages this one went ahead of (their bound passed, or they never showed). */
export type Admission = { kind: 'go'; ticket: Ticket; aheadOf: PartitionKey[] } | { kind: 'yield' } | { kind: 'stopped' };

type Held = { timestamps: number[]; next: number; caughtUp: boolean };
type Left = { nextAtLeast: number; since: number };

/**
 * How long a partition may hold later calls back without showing up, in ms. A partition behind is fetched again
 * within a fetch or two (tens of ms); one that never shows (its remaining offsets are only transaction markers, or
 * the read of committed offsets failed) must not stop every other partition for good.
 */
export const BEHIND_TIMEOUT_MS = 5_000;
/** How long a message waits for a partition behind to show before giving way (its batch is fetched again), in ms. */
const YIELD_AFTER_MS = 50;

const before = (a: { ts: number; key: string }, b: { ts: number; key: string }) => a.ts < b.ts || (a.ts === b.ts && a.key < b.key);

export type CallOrder = ReturnType<typeof createCallOrder>;

export type CallOrderOptions = {
  now?: () => number;
  /** Longest a message of another partition waits for partition `key`, in ms; default without end (BEHIND_TIMEOUT_MS for one that never shows). */
  holdsBackAtMost?: (key: PartitionKey) => number;
};

export function createCallOrder({ now = Date.now, holdsBackAtMost = () => Infinity }: CallOrderOptions = {}) {
  /** Batches in hand: their messages' timestamps and the next not yet admitted. */
  const held = new Map<PartitionKey, Held>();
  /** Partitions whose batch ended short of the partition's end: their next message is no earlier than this. */
  const behind = new Map<PartitionKey, Left>();
  /** Each key's last admitted ticket, to queue behind. */
  const keyTails = new Map<string, Promise<unknown>>();
  /** Admitted and not done, by seq: each settles, when done, with the entities it touched. */
  const inFlight = new Map<number, Promise<readonly string[]>>();
  /** The last admitted ticket's keys taken (or its end): the next takes its keys after it. */
  let lastRegistered: Promise<void> = Promise.resolve();
  /** Since when each partition's next message has waited (kept across a yield, which fetches the same message again). */
  const waiting = new Map<PartitionKey, { ts: number; since: number }>();
  let seq = 0;
  let changed = signal();

  function signal() {
    let fire!: () => void;
    const promise = new Promise<void>((resolve) => (fire = resolve));
    return { promise, fire };
  }
  function notify() {
    const was = changed;
    changed = signal();
    was.fire();
  }

  /**
   * 'go', 'yield' or 'wait' for the next message of partition `key` (timestamp `ts`, waiting since `since`); a
   * partition gone ahead of is added to `aheadOf`.
   */
  function decide(key: PartitionKey, ts: number, since: number, aheadOf: Set<PartitionKey>): 'go' | 'yield' | 'wait' {
    const me = { ts, key };
    const waited = now() - since;
    for (const [other, left] of behind) {
      if (other === key || left.nextAtLeast >= ts) continue;
      if (now() - left.since > BEHIND_TIMEOUT_MS) {
        behind.delete(other);
        aheadOf.add(other);
      } else if (waited >= holdsBackAtMost(other)) aheadOf.add(other);
      else return 'yield';
    }
    for (const [other, h] of held) {
      if (other === key || h.next >= h.timestamps.length) continue;
      if (!before({ ts: h.timestamps[h.next]!, key: other }, me)) continue;
      if (waited >= holdsBackAtMost(other)) aheadOf.add(other);
      else return 'wait';
    }
    return 'go';
  }

  /** Time until the next bound passes of the partitions that could hold back `key`'s message (waiting since `since`), in ms. */
  function untilNextBound(key: PartitionKey, since: number): number {
    let nearest = Infinity;
    for (const other of [...held.keys(), ...behind.keys()]) {
      const left = since + holdsBackAtMost(other) - now();
      if (other !== key && left > 0) nearest = Math.min(nearest, left);
    }
    return nearest;
  }

  return {
    /** A batch of partition `key` is in hand: its messages' timestamps in offset order; `caughtUp` when it ends where the partition ends. */
    enter(key: PartitionKey, timestamps: readonly number[], caughtUp: boolean): void {
      behind.delete(key);
      held.set(key, { timestamps: [...timestamps], next: 0, caughtUp });
      notify();
    },

    /** Waits until the next message of partition `key` may start (admission, above), heartbeating meanwhile. */
    async admit(
      key: PartitionKey,
      { heartbeat, running, heartbeatMs = 1_000 }: { heartbeat: () => Promise<void>; running: () => boolean; heartbeatMs?: number },
    ): Promise<Admission> {
      const h = held.get(key);
      if (!h || h.next >= h.timestamps.length) throw new RangeError(`call order: partition ${key} has no message waiting`);
      const ts = h.timestamps[h.next]!;
      const was = waiting.get(key);
      const since = was && was.ts === ts ? was.since : now();
      waiting.set(key, { ts, since });
      let yieldingSince: number | undefined;
      const aheadOf = new Set<PartitionKey>();
      for (;;) {
        if (!running()) return { kind: 'stopped' };
        const verdict = decide(key, ts, since, aheadOf);
        if (verdict === 'go') break;
        // A partition behind usually shows within a fetch: wait a moment for it rather than fetch this batch again at once.
        if (verdict === 'yield' && now() - (yieldingSince ??= now()) >= YIELD_AFTER_MS) return { kind: 'yield' };
        if (verdict === 'wait') yieldingSince = undefined;
        const wake = changed.promise;
        let timer: NodeJS.Timeout | undefined;
        // Wake when the nearest bound passes, too: nothing else may change then.
        const sleepMs = Math.min(verdict === 'yield' ? YIELD_AFTER_MS : heartbeatMs, untilNextBound(key, since));
        await Promise.race([wake, new Promise<void>((resolve) => (timer = setTimeout(resolve, sleepMs)))]);
        clearTimeout(timer);
        await heartbeat().catch(() => undefined);
      }
      h.next += 1;
      waiting.delete(key);
      const mine = ++seq;
      const touched: string[] = [];
      let finish!: (touched: readonly string[]) => void;
      const finished = new Promise<readonly string[]>((resolve) => (finish = resolve));
      let markRegistered!: () => void;
      const registered = new Promise<void>((resolve) => (markRegistered = resolve));
      const previousRegistered = lastRegistered;
      lastRegistered = registered;
      inFlight.set(mine, finished);
      let held_: readonly string[] = [];
      notify();
      const ticket: Ticket = {
        seq: mine,
        async lock(keys) {
          await previousRegistered;
          held_ = [...new Set(keys)];
          const waits = held_.map((k) => {
            const tail = keyTails.get(k);
            keyTails.set(k, finished);
            return tail;
          });
          markRegistered();
          await Promise.all(waits);
        },
        earlierInFlight() {
          const earlier = [...inFlight].filter(([other]) => other < mine).map(([, settled]) => settled);
          return async () => new Set((await Promise.all(earlier)).flat());
        },
        touch(entityIds) {
          touched.push(...entityIds);
        },
        done() {
          if (!inFlight.delete(mine)) return;
          markRegistered();
          for (const k of held_) if (keyTails.get(k) === finished) keyTails.delete(k);
          finish(touched);
          notify();
        },
      };
      return { kind: 'go', ticket, aheadOf: [...aheadOf] };
    },

    /**
     * The batch of partition `key` is left: at its end, or broken off before `nextTimestamp` (a yield, a stop). A
     * partition not caught up is behind its next fetch: no later message of another partition starts before it.
     */
    leave(key: PartitionKey, { nextTimestamp }: { nextTimestamp?: number } = {}): void {
      const h = held.get(key);
      held.delete(key);
      const brokenOff = nextTimestamp !== undefined;
      if (h && (brokenOff || !h.caughtUp)) behind.set(key, { nextAtLeast: nextTimestamp ?? h.timestamps.at(-1) ?? -Infinity, since: now() });
      else behind.delete(key);
      notify();
    },

    /**
     * After a rebalance: the partitions this process now holds. Until a partition's batch is in hand, or it is found
     * caught up (`caughtUp`), anything of it may be earlier than what is in hand: later messages give way. Those no
     * longer held constrain nothing.
     */
    assigned(keys: ReadonlySet<PartitionKey>): void {
      for (const key of [...behind.keys()]) if (!keys.has(key)) behind.delete(key);
      for (const key of keys) if (!held.has(key) && !behind.has(key)) behind.set(key, { nextAtLeast: -Infinity, since: now() });
      notify();
    },

    /** These partitions have nothing this process has not handled (committed offset at the end): they constrain nothing. */
    caughtUp(keys: Iterable<PartitionKey>): void {
      for (const key of keys) if (behind.get(key)?.nextAtLeast === -Infinity) behind.delete(key);
      notify();
    },
  };
}
