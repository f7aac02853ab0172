import { describe, expect, it } from '@jest/globals';
import { interleaveRounds } from './interleave.js';

describe('interleaveRounds', () => {
  it('puts a short queue in the first round beside a huge one', () => {
    const big = Array.from({ length: 10_000 }, (_, i) => `a${i}`);
    const rounds = interleaveRounds([big, ['b0'], ['c0', 'c1']], 1000);
    expect(rounds).toHaveLength(11);
    expect(rounds[0]?.slice(0, 5)).toEqual(['a0', 'b0', 'c0', 'a1', 'c1']);
    expect(rounds[0]).toHaveLength(1000);
    expect(rounds.flat()).toHaveLength(10_003);
    expect(rounds.flat().filter((x) => x.startsWith('a'))).toEqual(big);
  });

  it('keeps every item exactly once, in queue order, rounds never over size', () => {
    const queues = [[1, 2, 3, 4, 5], [], [10, 11], [20]];
    const rounds = interleaveRounds(queues, 3);
    expect(rounds).toEqual([[1, 10, 20], [2, 11, 3], [4, 5]]);
  });

  it('gives nothing for nothing and refuses an empty round size', () => {
    expect(interleaveRounds([[], []], 5)).toEqual([]);
    expect(() => interleaveRounds([[1]], 0)).toThrow(RangeError);
  });
});
