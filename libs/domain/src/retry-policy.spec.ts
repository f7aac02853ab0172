import { describe, expect, it } from '@jest/globals';
import type { RetryMessage } from '@hookstream/contracts';
import {
  type BackoffPolicy,
  backoffSeconds,
  DEFAULT_RETRY_DELAYS_SECONDS,
  deliveryExpiresAt,
  parseDelayList,
  parseRetryAfter,
  planRetry,
  postponementExpires,
  type RetryPlan,
  supersedesRetry,
  toBackoffPolicy,
} from './retry-policy.js';

const now = new Date('2026-11-22T10:00:00Z');
const HOUR_MS = 3_600_000;
const defaultPolicy: BackoffPolicy = { kind: 'schedule', delaysSeconds: DEFAULT_RETRY_DELAYS_SECONDS };

/** Milliseconds from `now` to the planned attempt; fails the test when the plan gave up. */
const delayOf = (plan: RetryPlan): number => {
  if (plan.kind !== 'retry') throw new Error(`expected a retry, got ${JSON.stringify(plan)}`);
  return plan.dueAt.getTime() - now.getTime();
};

describe('the default schedule', () => {
  const plan = (attempt: number, retryAfterMs: number | null = null, maxRetryAfterMs = HOUR_MS) =>
    planRetry({ attempt, policy: defaultPolicy, now, retryAfterMs, maxRetryAfterMs });

  it('is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the immediate first attempt', () => {
    expect(DEFAULT_RETRY_DELAYS_SECONDS).toEqual([5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]);
  });

  it('plans attempts 2 to 8 at those delays', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => {
      const p = plan(attempt);
      expect(p).toMatchObject({ kind: 'retry', nextAttempt: attempt + 1 });
      return delayOf(p) / 1000;
    });
    expect(delays).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
  });

  it('spans about 27.5 hours from the first attempt to the last', () => {
    const totalSeconds = [1, 2, 3, 4, 5, 6, 7].reduce((sum, attempt) => sum + delayOf(plan(attempt)) / 1000, 0);
    expect(totalSeconds).toBe(99_305);
    expect(totalSeconds / 3600).toBeGreaterThan(27.5);
    expect(totalSeconds / 3600).toBeLessThan(27.6);
  });

  it('gives up after the eighth attempt', () => {
    expect(plan(8)).toEqual({ kind: 'exhausted', attempts: 8 });
    expect(plan(9)).toEqual({ kind: 'exhausted', attempts: 9 });
  });

  it('is exhausted even when the receiver sent a Retry-After', () => {
    expect(plan(8, 60_000)).toEqual({ kind: 'exhausted', attempts: 8 });
  });
});

describe('planRetry with Retry-After', () => {
  const plan = (attempt: number, retryAfterMs: number | null | undefined, maxRetryAfterMs = HOUR_MS) =>
    planRetry({ attempt, policy: defaultPolicy, now, retryAfterMs, maxRetryAfterMs });

  it('honours a Retry-After longer than the scheduled delay', () => {
    expect(delayOf(plan(1, 60_000))).toBe(60_000);
    expect(delayOf(plan(2, 20 * 60_000))).toBe(20 * 60_000);
  });

  it('never shortens the schedule for a shorter Retry-After', () => {
    expect(delayOf(plan(1, 1000))).toBe(5000);
    expect(delayOf(plan(2, 0))).toBe(300_000);
    expect(delayOf(plan(2, 299_999))).toBe(300_000);
  });

  it('bounds a long Retry-After by maxRetryAfterMs', () => {
    expect(delayOf(plan(1, 10 * 86_400_000, HOUR_MS))).toBe(HOUR_MS);
    expect(delayOf(plan(1, HOUR_MS + 1, HOUR_MS))).toBe(HOUR_MS);
    expect(delayOf(plan(1, HOUR_MS, HOUR_MS))).toBe(HOUR_MS);
  });

  it('keeps the scheduled delay when it already exceeds maxRetryAfterMs', () => {
    // Attempt 6 waits 10 h; a 20 h Retry-After bounded to 1 h must not bring it forward.
    expect(delayOf(plan(6, 20 * HOUR_MS, HOUR_MS))).toBe(10 * HOUR_MS);
  });

  it('ignores an absent Retry-After', () => {
    expect(delayOf(plan(3, null))).toBe(1_800_000);
    expect(delayOf(plan(3, undefined))).toBe(1_800_000);
  });
});

describe('planRetry with other policies', () => {
  it('uses a custom schedule and its attempt budget', () => {
    const policy: BackoffPolicy = { kind: 'schedule', delaysSeconds: [1, 2, 3, 4], maxAttempts: 3 };
    const p = (attempt: number) => planRetry({ attempt, policy, now, maxRetryAfterMs: HOUR_MS });
    expect(delayOf(p(1))).toBe(1000);
    expect(delayOf(p(2))).toBe(2000);
    expect(p(3)).toEqual({ kind: 'exhausted', attempts: 3 });
  });

  it('rounds fractional delays to whole milliseconds', () => {
    const policy: BackoffPolicy = { kind: 'schedule', delaysSeconds: [0.0015] };
    expect(delayOf(planRetry({ attempt: 1, policy, now, maxRetryAfterMs: HOUR_MS }))).toBe(2);
  });

  it('draws exponential jitter from the injected random source', () => {
    const policy: BackoffPolicy = { kind: 'exponential', baseSeconds: 10, capSeconds: 1000, jitter: 'full', maxAttempts: 5 };
    expect(delayOf(planRetry({ attempt: 3, policy, now, maxRetryAfterMs: HOUR_MS, random: () => 0.25 }))).toBe(10_000);
    expect(planRetry({ attempt: 5, policy, now, maxRetryAfterMs: HOUR_MS, random: () => 0.25 })).toEqual({ kind: 'exhausted', attempts: 5 });
  });

  it('a schedule with no delays allows only the first attempt', () => {
    expect(planRetry({ attempt: 1, policy: { kind: 'schedule', delaysSeconds: [] }, now, maxRetryAfterMs: HOUR_MS })).toEqual({ kind: 'exhausted', attempts: 1 });
  });
});

describe('backoffSeconds', () => {
  it('caps a schedule at maxAttempts', () => {
    const policy: BackoffPolicy = { kind: 'schedule', delaysSeconds: [1, 2, 3, 4], maxAttempts: 3 };
    expect([1, 2, 3].map((a) => backoffSeconds(policy, a))).toEqual([1, 2, null]);
  });

  it('never runs past the end of a schedule, whatever maxAttempts says', () => {
    const policy: BackoffPolicy = { kind: 'schedule', delaysSeconds: [1, 2], maxAttempts: 10 };
    expect([1, 2, 3].map((a) => backoffSeconds(policy, a))).toEqual([1, 2, null]);
  });

  it('grows exponentially to the cap without jitter', () => {
    const policy: BackoffPolicy = { kind: 'exponential', baseSeconds: 2, capSeconds: 30, jitter: 'none', maxAttempts: 7 };
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffSeconds(policy, a))).toEqual([2, 4, 8, 16, 30, 30, null]);
  });

  it('draws full jitter uniformly below the exponential ceiling', () => {
    const policy: BackoffPolicy = { kind: 'exponential', baseSeconds: 10, capSeconds: 1000, jitter: 'full', maxAttempts: 10 };
    expect(backoffSeconds(policy, 3, () => 0)).toBe(0);
    expect(backoffSeconds(policy, 3, () => 0.5)).toBe(20);
    expect(backoffSeconds(policy, 3, () => 0.999)).toBeCloseTo(39.96);
    expect(backoffSeconds(policy, 9, () => 0.5)).toBe(500);
    expect(backoffSeconds(policy, 10, () => 0.5)).toBeNull();
  });
});

describe('toBackoffPolicy', () => {
  it('falls back to the service default when a subscription has no policy', () => {
    expect(toBackoffPolicy(null, [5, 10])).toEqual({ kind: 'schedule', delaysSeconds: [5, 10] });
    expect(toBackoffPolicy(undefined, DEFAULT_RETRY_DELAYS_SECONDS)).toEqual(defaultPolicy);
  });

  it('maps stored snake_case policies', () => {
    expect(toBackoffPolicy({ kind: 'schedule', delays_seconds: [1, 2], max_attempts: 2 }, [5])).toEqual({ kind: 'schedule', delaysSeconds: [1, 2], maxAttempts: 2 });
    expect(toBackoffPolicy({ kind: 'exponential', base_seconds: 3, cap_seconds: 60, jitter: 'none', max_attempts: 4 }, [5])).toEqual({
      kind: 'exponential',
      baseSeconds: 3,
      capSeconds: 60,
      jitter: 'none',
      maxAttempts: 4,
    });
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['120', 120_000],
    [' 7 ', 7000],
    ['86400', 86_400_000],
  ])('reads delta-seconds %j as %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    ['Sun, 22 Nov 2026 10:01:00 GMT', 60_000],
    ['Sun, 22 Nov 2026 12:00:00 GMT', 2 * HOUR_MS],
    ['Sunday, 22-Nov-26 10:00:30 GMT', 30_000],
    ['Sun Nov 22 10:00:10 2026', 10_000],
  ])('reads the HTTP-date %j as %s ms from now', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it('reads an HTTP-date in the past as zero', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
  });

  it.each([undefined, '', '   ', 'soon', '120s', '1e3', '0x10', 'NaN', 'later, maybe'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });
});

describe('parseDelayList', () => {
  it('reads units and plain seconds', () => {
    expect(parseDelayList('0, 5s, 5m,2h,1d, 250ms, 3')).toEqual([0, 5, 300, 7200, 86400, 0.25, 3]);
  });

  it('reads the default schedule written with units', () => {
    expect(parseDelayList('5s,5m,30m,2h,5h,10h,10h')).toEqual([...DEFAULT_RETRY_DELAYS_SECONDS]);
  });

  it('reads decimals and skips empty parts', () => {
    expect(parseDelayList('1.5m, ,0.5h,')).toEqual([90, 1800]);
    expect(parseDelayList('')).toEqual([]);
  });

  it.each(['soon', '5 s', '5sec', '-5', '5S', '1w', '.5s', 'm'])('refuses %j and names it', (part) => {
    expect(() => parseDelayList(`5s,${part}`)).toThrow(RangeError);
    expect(() => parseDelayList(`5s,${part}`)).toThrow(`"${part.trim()}" is not a delay`);
  });
});

describe('supersedesRetry', () => {
  const retry = (generation: number, attempt: number, dueAt: string): RetryMessage => ({
    delivery: {
      delivery_id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      tenant_id: 'acme',
      subscription_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      event_id: 'evt_1',
      event_type: 'order.placed',
      attempt,
      generation,
      body: '{}',
      origin: 'retry',
      first_attempt_at: '2026-11-22T10:00:00Z',
    },
    due_at: dueAt,
    failure: { error_class: 'http_status', status_code: 500, message: 'endpoint answered 500' },
    expires_at: null,
  });
  const at = (s: number) => new Date(now.getTime() + s * 1000).toISOString();

  it('orders the next attempt after the one before it', () => {
    expect(supersedesRetry(retry(0, 3, at(5)), retry(0, 2, at(60)))).toBe(true);
    expect(supersedesRetry(retry(0, 2, at(60)), retry(0, 3, at(5)))).toBe(false);
  });

  it('orders a replay\'s retries after every retry of the generation before', () => {
    expect(supersedesRetry(retry(1, 2, at(5)), retry(0, 8, at(36_000)))).toBe(true);
    expect(supersedesRetry(retry(0, 8, at(36_000)), retry(1, 2, at(5)))).toBe(false);
  });

  it('orders a breaker postponement (same attempt, later due time) after the retry it postpones', () => {
    expect(supersedesRetry(retry(0, 3, at(35)), retry(0, 3, at(5)))).toBe(true);
    expect(supersedesRetry(retry(0, 3, at(5)), retry(0, 3, at(35)))).toBe(false);
  });

  it('never lets a redelivered copy supersede the original', () => {
    expect(supersedesRetry(retry(0, 3, at(5)), retry(0, 3, at(5)))).toBe(false);
  });

  it('compares due times as instants, whatever their notation', () => {
    expect(supersedesRetry(retry(0, 3, '2026-11-22T12:00:00+02:00'), retry(0, 3, '2026-11-22T10:00:00Z'))).toBe(false);
    expect(supersedesRetry(retry(0, 3, '2026-11-22T12:00:01+02:00'), retry(0, 3, '2026-11-22T10:00:00Z'))).toBe(true);
  });
});

describe('postponements and the age limit', () => {
  const first = '2026-01-01T00:00:00.000Z';

  it('expires a delivery its age limit after its first planned attempt', () => {
    expect(deliveryExpiresAt(first, 90_000).toISOString()).toBe('2026-01-01T00:01:30.000Z');
  });

  it('ends a postponement that would come back at or after the expiry, and keeps one that comes back before it', () => {
    const expiresAt = deliveryExpiresAt(first, 60_000);
    expect(postponementExpires(new Date('2026-01-01T00:00:59.999Z'), expiresAt)).toBe(false);
    expect(postponementExpires(new Date('2026-01-01T00:01:00.000Z'), expiresAt)).toBe(true);
    expect(postponementExpires(new Date('2026-01-01T00:05:00.000Z'), expiresAt)).toBe(true);
  });
});
