import { describe, expect, it } from '@jest/globals';
import { extent, quantiles, round, steadyRate } from './stats.ts';

describe('quantiles', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantiles(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('gives the single value for one sample, NaN for none', () => {
    expect(quantiles([7])).toEqual({ count: 1, p50: 7, p95: 7, p99: 7, max: 7 });
    expect(quantiles([]).p99).toBeNaN();
  });
});

describe('steadyRate', () => {
  it('measures the middle of the run, not its ramp-up and tail', () => {
    // 10 slow completions, then 1,000 at one per millisecond, then 10 slow ones.
    const times = [
      ...Array.from({ length: 10 }, (_, i) => i * 100),
      ...Array.from({ length: 1000 }, (_, i) => 1000 + i),
      ...Array.from({ length: 10 }, (_, i) => 2000 + i * 100),
    ];
    const r = steadyRate(times);
    expect(r.perSecond).toBeGreaterThan(990);
    expect(r.perSecond).toBeLessThan(1010);
  });

  it('has no rate for fewer than two completions', () => {
    expect(steadyRate([5]).perSecond).toBeNaN();
  });
});

describe('round', () => {
  it('keeps decimals for small figures only', () => {
    expect(round(1234.56)).toBe(1235);
    expect(round(1.23456)).toBe(1.23);
    expect(round(Number.NaN)).toBeNaN();
  });
});

describe('extent', () => {
  it('handles arrays too long to spread into Math.max', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_000);
    expect(extent(values)).toEqual({ min: 0, max: 299_999 });
    expect(extent([]).max).toBeNaN();
  });
});
