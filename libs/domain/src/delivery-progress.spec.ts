import { describe, expect, it } from '@jest/globals';
import { compareAttempts, judgePlannedAttempt, type RecordedProgress } from './delivery-progress.js';

const row = (generation: number, attempts: number, status: RecordedProgress['status'] = 'failing'): RecordedProgress => ({ generation, attempts, status });

describe('judgePlannedAttempt', () => {
  it('sends what was never recorded', () => {
    expect(judgePlannedAttempt({ generation: 0, attempt: 1 }, undefined)).toBe('new');
    expect(judgePlannedAttempt({ generation: 0, attempt: 1 }, row(0, 0, 'pending'))).toBe('new');
  });

  it.each([
    ['the same attempt again', 0, 1, row(0, 1)],
    ['an earlier attempt', 0, 1, row(0, 3)],
    ['an attempt of an older generation', 0, 5, row(1, 0, 'pending')],
    ['a later attempt of a delivered generation', 0, 2, row(0, 1, 'delivered')],
    ['a later attempt of a dead generation', 2, 4, row(2, 3, 'dead')],
  ])('skips %s', (_what, generation, attempt, recorded) => {
    expect(judgePlannedAttempt({ generation, attempt }, recorded)).toBe('duplicate');
  });

  it.each([
    ['the next attempt', 0, 2, row(0, 1)],
    ['a replay of a dead delivery', 1, 1, row(0, 3, 'dead')],
    ['a replay of a delivered one', 3, 1, row(2, 1, 'delivered')],
  ])('sends %s', (_what, generation, attempt, recorded) => {
    expect(judgePlannedAttempt({ generation, attempt }, recorded)).toBe('new');
  });

  it('leaves an attempt another live dispatcher holds a lease on, and only that attempt', () => {
    const leased = [{ generation: 0, attempt: 2 }];
    expect(judgePlannedAttempt({ generation: 0, attempt: 2 }, row(0, 1), leased)).toBe('leased_elsewhere');
    expect(judgePlannedAttempt({ generation: 1, attempt: 2 }, row(0, 1), leased)).toBe('new');
    // A recorded attempt is a duplicate whatever the leases say.
    expect(judgePlannedAttempt({ generation: 0, attempt: 2 }, row(0, 2), leased)).toBe('duplicate');
  });
});

describe('compareAttempts', () => {
  it('orders by generation, then attempt', () => {
    const sorted = [
      { generation: 1, attempt: 1 },
      { generation: 0, attempt: 3 },
      { generation: 1, attempt: 2 },
      { generation: 0, attempt: 1 },
    ].sort(compareAttempts);
    expect(sorted).toEqual([
      { generation: 0, attempt: 1 },
      { generation: 0, attempt: 3 },
      { generation: 1, attempt: 1 },
      { generation: 1, attempt: 2 },
    ]);
  });
});
