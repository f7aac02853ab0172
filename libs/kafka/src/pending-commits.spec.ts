import { describe, expect, it } from '@jest/globals';
import { PendingCommits } from './pending-commits.js';

/** A promise and its settle functions, for work that ends when the test says. */
function gate(): { promise: Promise<void>; open: () => void; fail: (err: Error) => void } {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  promise.catch(() => undefined);
  return { promise, open, fail };
}

const tick = () => new Promise((r) => setImmediate(r));

function setup(max = 8) {
  const commits: string[] = [];
  const rereads: string[] = [];
  const pending = new PendingCommits(
    max,
    (partition, next) => {
      commits.push(`${partition}@${next}`);
      return Promise.resolve();
    },
    (partition, first) => rereads.push(`${partition}@${first}`),
    () => undefined,
  );
  return { pending, commits, rereads };
}

describe('PendingCommits', () => {
  it("commits a partition's batches in offset order, whichever's work ends first", async () => {
    const { pending, commits } = setup();
    const first = gate();
    const second = gate();
    pending.add(0, '0', '10', [first.promise]);
    pending.add(0, '10', '20', [second.promise]);
    second.open();
    await tick();
    expect(commits).toEqual([]);
    first.open();
    await pending.idle();
    expect(commits).toEqual(['0@10', '0@20']);
  });

  it('says a partition is waiting while a batch of it waits, so a later batch without work commits after it', async () => {
    const { pending, commits } = setup();
    const work = gate();
    expect(pending.waiting(0)).toBe(false);
    pending.add(0, '0', '10', [work.promise]);
    expect(pending.waiting(0)).toBe(true);
    expect(pending.waiting(1)).toBe(false);
    // A batch that left no work (say, all of it poison) still goes through the chain.
    pending.add(0, '10', '20', []);
    await tick();
    expect(commits).toEqual([]);
    work.open();
    await pending.idle();
    expect(commits).toEqual(['0@10', '0@20']);
    expect(pending.waiting(0)).toBe(false);
  });

  it('does not hold one partition behind another', async () => {
    const { pending, commits } = setup();
    const slow = gate();
    pending.add(0, '0', '10', [slow.promise]);
    pending.add(1, '0', '5', [Promise.resolve()]);
    await tick();
    expect(commits).toEqual(['1@5']);
    slow.open();
    await pending.idle();
    expect(commits).toEqual(['1@5', '0@10']);
  });

  it('reads the partition again from a batch whose work failed, and commits none of the batches after it', async () => {
    const { pending, commits, rereads } = setup();
    const failing = gate();
    pending.add(0, '0', '10', [Promise.resolve()]);
    pending.add(0, '10', '20', [failing.promise]);
    pending.add(0, '20', '30', [Promise.resolve()]);
    failing.fail(new Error('postgres is down'));
    await pending.idle();
    expect(commits).toEqual(['0@10']);
    expect(rereads).toEqual(['0@10']);
    // Read again from offset 10, the partition's batches commit again.
    pending.add(0, '10', '30', [Promise.resolve()]);
    await pending.idle();
    expect(commits).toEqual(['0@10', '0@30']);
  });

  it('leaves what was pending across a rebalance to be read again', async () => {
    const { pending, commits } = setup();
    const work = gate();
    pending.add(0, '0', '10', [work.promise]);
    pending.newGeneration();
    work.open();
    await pending.idle();
    expect(commits).toEqual([]);
    pending.add(0, '0', '10', [Promise.resolve()]);
    await pending.idle();
    expect(commits).toEqual(['0@10']);
  });

  it('makes the next batch wait for room once a partition has its most batches waiting', async () => {
    const { pending } = setup(2);
    const a = gate();
    const b = gate();
    pending.add(0, '0', '1', [a.promise]);
    pending.add(0, '1', '2', [b.promise]);
    let roomy = false;
    const room = pending.room(0).then(() => (roomy = true));
    await tick();
    expect(roomy).toBe(false);
    // Another partition has room meanwhile.
    await pending.room(1);
    a.open();
    b.open();
    await room;
    expect(roomy).toBe(true);
  });
});
