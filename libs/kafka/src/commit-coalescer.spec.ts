import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CommitCoalescer, type PartitionOffset } from './commit-coalescer.js';

describe('CommitCoalescer', () => {
  let commits: PartitionOffset[][];
  let fail: boolean;
  let errors: unknown[];
  const commit = (offsets: PartitionOffset[]) => {
    if (fail) return Promise.reject(new Error('rebalancing'));
    commits.push(offsets);
    return Promise.resolve();
  };

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    commits = [];
    fail = false;
    errors = [];
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const make = (intervalMs: number) => new CommitCoalescer(intervalMs, commit, (err) => errors.push(err));

  it('commits the first batch at once, and the batches within the next interval together when it ends', async () => {
    const c = make(1000);
    await c.settled(0, '5');
    expect(commits).toEqual([[{ partition: 0, offset: '5' }]]);
    await c.settled(0, '6');
    await c.settled(1, '3');
    await c.settled(0, '9');
    expect(commits).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(commits).toEqual([[{ partition: 0, offset: '5' }], [{ partition: 0, offset: '9' }, { partition: 1, offset: '3' }]]);
  });

  it('never moves an offset back', async () => {
    const c = make(1000);
    await c.settled(0, '5');
    await c.settled(0, '9');
    await c.settled(0, '7');
    expect(c.pendingOffsets()).toEqual([{ partition: 0, offset: '9' }]);
  });

  it('commits every batch with an interval of 0, and once told the consumer is stopping', async () => {
    const every = make(0);
    await every.settled(0, '1');
    await every.settled(0, '2');
    expect(commits).toHaveLength(2);
    const stopping = make(1000);
    await stopping.settled(3, '1');
    stopping.commitEveryBatch();
    await stopping.settled(3, '2');
    expect(commits.slice(2)).toEqual([[{ partition: 3, offset: '1' }], [{ partition: 3, offset: '2' }]]);
  });

  it('keeps the offsets of a failed commit for the next one, and reports a failure on the timer', async () => {
    const c = make(1000);
    await c.settled(0, '1');
    fail = true;
    await c.settled(0, '4');
    await jest.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    expect(c.pendingOffsets()).toEqual([{ partition: 0, offset: '4' }]);
    fail = false;
    await c.flush();
    expect(commits).toEqual([[{ partition: 0, offset: '1' }], [{ partition: 0, offset: '4' }]]);
  });

  it('forgets the pending offsets of partitions it no longer owns', async () => {
    const c = make(1000);
    await c.settled(0, '1');
    await c.settled(0, '2');
    await c.settled(1, '7');
    c.retain(new Set([1]));
    await c.flush();
    expect(commits[1]).toEqual([{ partition: 1, offset: '7' }]);
  });
});
