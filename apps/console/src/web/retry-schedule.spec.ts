import { describe, expect, it } from '@jest/globals';
import { retryScheduleText, showSeconds } from './retry-schedule.ts';

describe('retry schedules in words', () => {
  it('writes durations in their largest whole unit', () => {
    expect([5, 90, 300, 7200, 86_400, 172_800, 150, 0.5, -1].map(showSeconds)).toEqual(['5 s', '90 s', '5 min', '2 h', '1 d', '2 d', '3 min', '0.5 s', '–']);
  });

  it('says each kind of policy, and the default', () => {
    expect(retryScheduleText(null)).toBe("the service's default schedule");
    expect(retryScheduleText({ kind: 'schedule', delays_seconds: [5, 300, 1800], max_age_seconds: 86_400 })).toBe('retries after 5 s, 5 min, 30 min; at most 4 attempts; given up after 1 d');
    expect(retryScheduleText({ kind: 'schedule', delays_seconds: [] })).toBe('no retries');
    expect(retryScheduleText({ kind: 'exponential', base_seconds: 2, cap_seconds: 3600, max_attempts: 20 })).toBe('exponential from 2 s, at most 1 h apart, with jitter; at most 20 attempts');
    expect(retryScheduleText({ kind: 'schedule', delays_seconds: Array.from({ length: 30 }, () => 60) })).toMatch(/…\s\(30 retries\); at most 31 attempts$/);
  });
});
