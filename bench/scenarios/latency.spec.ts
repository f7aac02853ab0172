import { describe, expect, it } from '@jest/globals';
import { fellBehind } from './latency.ts';

describe('fellBehind', () => {
  it('is a step whose publisher fell a tenth behind, or whose p99 grew past half the step', () => {
    expect(fellBehind({ rate_per_s: 1000, achieved_rate_per_s: 995, p99_ms: 700 }, 15)).toBe(false);
    expect(fellBehind({ rate_per_s: 1000, achieved_rate_per_s: 850, p99_ms: 700 }, 15)).toBe(true);
    expect(fellBehind({ rate_per_s: 2000, achieved_rate_per_s: 2000, p99_ms: 7600 }, 15)).toBe(true);
  });
});
