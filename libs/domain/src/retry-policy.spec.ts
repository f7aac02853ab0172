import { describe, expect, it } from '@jest/globals';
import { backoffSeconds, DEFAULT_RETRY_DELAYS_SECONDS, parseDelayList, parseRetryAfter, planRetry, toBackoffPolicy } from './retry-policy.js';

describe('planRetry', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  const plan = (attempt: number, retryAfterMs: number | null = null, maxRetryAfterMs = 3_600_000) =>
    planRetry({ attempt, policy: { kind: 'schedule', delaysSeconds: DEFAULT_RETRY_DELAYS_SECONDS }, now, retryAfterMs, maxRetryAfterMs });

  it('follows the default schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up after 8 attempts', () => {
    const dues = [1, 2, 3, 4, 5, 6, 7].map((a) => {
      const p = plan(a);
      if (p.kind !== 'retry') throw new Error(`attempt ${a} should retry`);
      expect(p.nextAttempt).toBe(a + 1);
      return (p.dueAt.getTime() - now.getTime()) / 1000;
    });
    expect(dues).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(dues.reduce((a, b) => a + b, 0) / 3600).toBeCloseTo(27.5, 0);
    expect(plan(8)).toEqual({ kind: 'exhausted', attempts: 8 });
  });

  it('honours a longer Retry-After, bounded; a shorter one never shortens the schedule', () => {
    const longer = plan(1, 60_000);
    expect(longer.kind === 'retry' && longer.dueAt.getTime() - now.getTime()).toBe(60_000);
    const huge = plan(1, 10 * 86_400_000, 3_600_000);
    expect(huge.kind === 'retry' && huge.dueAt.getTime() - now.getTime()).toBe(3_600_000);
    const shorter = plan(2, 1000);
    expect(shorter.kind === 'retry' && shorter.dueAt.getTime() - now.getTime()).toBe(300_000);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  it.each([
    ['120', 120_000],
    [' 7 ', 7000],
    ['Sun, 22 Nov 2026 10:01:00 GMT', 60_000],
    ['Sun, 22 Nov 2026 09:00:00 GMT', 0],
    ['soon', null],
    [undefined, null],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('parseDelayList', () => {
  it('reads units and plain seconds', () => {
    expect(parseDelayList('0, 5s, 5m,2h,1d, 250ms, 3')).toEqual([0, 5, 300, 7200, 86400, 0.25, 3]);
  });
  it('names the part it cannot read', () => {
    expect(() => parseDelayList('5s,soon')).toThrow('"soon" is not a delay');
  });
});

describe('backoffSeconds', () => {
  it('caps a schedule at max_attempts', () => {
    const policy = { kind: 'schedule' as const, delaysSeconds: [1, 2, 3, 4], maxAttempts: 3 };
    expect([1, 2, 3].map((a) => backoffSeconds(policy, a))).toEqual([1, 2, null]);
  });

  it('grows exponentially to the cap without jitter', () => {
    const policy = { kind: 'exponential' as const, baseSeconds: 2, capSeconds: 30, jitter: 'none' as const, maxAttempts: 7 };
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffSeconds(policy, a))).toEqual([2, 4, 8, 16, 30, 30, null]);
  });

  it('draws full jitter uniformly below the exponential ceiling', () => {
    const policy = { kind: 'exponential' as const, baseSeconds: 10, capSeconds: 1000, jitter: 'full' as const, maxAttempts: 10 };
    expect(backoffSeconds(policy, 3, () => 0)).toBe(0);
    expect(backoffSeconds(policy, 3, () => 0.5)).toBe(20);
    expect(backoffSeconds(policy, 3, () => 0.999)).toBeCloseTo(39.96);
    expect(backoffSeconds(policy, 10, () => 0.5)).toBeNull();
  });

  it('falls back to the service default when a subscription has no policy', () => {
    expect(toBackoffPolicy(null, [5, 10])).toEqual({ kind: 'schedule', delaysSeconds: [5, 10] });
  });
});
