import { describe, expect, it } from '@jest/globals';
import { addHistograms, bucketStart, emptyHistogram, healthSeries, histogramQuantile, LATENCY_BOUNDS_MS, latencyBucket, windowStats } from './latency-histogram.js';

function histogramOf(durations: readonly number[]): number[] {
  const h = emptyHistogram();
  for (const d of durations) h[latencyBucket(d)] = (h[latencyBucket(d)] ?? 0) + 1;
  return h;
}

describe('latency histogram', () => {
  it('puts a duration in the first bucket whose bound holds it, and the slowest past the top', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(5)).toBe(0);
    expect(latencyBucket(6)).toBe(1);
    expect(latencyBucket(100)).toBe(5);
    expect(latencyBucket(30_000)).toBe(LATENCY_BOUNDS_MS.length - 1);
    expect(latencyBucket(45_000)).toBe(LATENCY_BOUNDS_MS.length);
  });

  it('has no quantile when empty', () => {
    expect(histogramQuantile(emptyHistogram(), 0.5)).toBeNull();
  });

  it('stays within the width of the bucket holding the true quantile', () => {
    // 1..1000 ms uniformly: the true p50 is 500, p95 950.
    const durations = Array.from({ length: 1000 }, (_, i) => i + 1);
    const h = histogramOf(durations);
    const p50 = histogramQuantile(h, 0.5) ?? -1;
    const p95 = histogramQuantile(h, 0.95) ?? -1;
    expect(p50).toBeGreaterThan(400);
    expect(p50).toBeLessThanOrEqual(600);
    expect(p95).toBeGreaterThan(600);
    expect(p95).toBeLessThanOrEqual(1000);
    expect(Math.abs(p50 - 500)).toBeLessThanOrEqual(200);
  });

  it('answers the lower bound of the open top bucket: at least that slow', () => {
    expect(histogramQuantile(histogramOf([40_000, 50_000]), 0.95)).toBe(30_000);
  });

  it('interpolates inside one bucket', () => {
    // Four attempts in (50, 75]: the median is halfway through the bucket.
    expect(histogramQuantile(histogramOf([60, 60, 70, 70]), 0.5)).toBe(63);
  });

  it('adds histograms bucket by bucket', () => {
    expect(addHistograms([1, 2, 3], [1, 0])).toEqual([2, 2, 3]);
  });
});

describe('windowStats', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  const buckets = [
    { start: minutesAgo(5), attempts: 4, successes: 3, failures: 1, latencyHistogram: histogramOf([20, 20, 20, 900]) },
    { start: minutesAgo(120), attempts: 6, successes: 0, failures: 6, latencyHistogram: histogramOf([5000, 5000, 5000, 5000, 5000, 5000]) },
  ];

  it('counts only the buckets inside the window', () => {
    expect(windowStats(buckets, minutesAgo(60))).toMatchObject({ attempts: 4, successes: 3, failures: 1, success_rate: 0.75 });
    expect(windowStats(buckets, minutesAgo(24 * 60))).toMatchObject({ attempts: 10, successes: 3, failures: 7, success_rate: 0.3 });
  });

  it('computes percentiles over the merged histogram of the window', () => {
    const hour = windowStats(buckets, minutesAgo(60));
    expect(hour.p50_ms).toBeGreaterThan(10);
    expect(hour.p50_ms).toBeLessThanOrEqual(25);
    expect(windowStats(buckets, minutesAgo(24 * 60)).p95_ms).toBeGreaterThan(4000);
  });

  it('has no rate and no percentiles without attempts', () => {
    expect(windowStats([], minutesAgo(60))).toEqual({ attempts: 0, successes: 0, failures: 0, success_rate: null, p50_ms: null, p95_ms: null });
  });

  it('truncates an instant to its minute or its hour', () => {
    expect(bucketStart(new Date('2026-11-23T12:34:56.789Z')).toISOString()).toBe('2026-11-23T12:34:00.000Z');
    expect(bucketStart(new Date('2026-11-23T12:34:56.789Z'), 'hour').toISOString()).toBe('2026-11-23T12:00:00.000Z');
  });
});

describe('healthSeries', () => {
  const now = new Date('2026-11-23T12:00:30Z');
  const at = (iso: string, attempts: number, successes: number, latencies: number[]) => ({ start: new Date(iso), attempts, successes, failures: attempts - successes, latencyHistogram: histogramOf(latencies) });

  it('draws every minute of the last hour, a quiet one as zero attempts', () => {
    const points = healthSeries([at('2026-11-23T11:58:00Z', 2, 1, [30, 4000]), at('2026-11-23T10:00:00Z', 9, 9, [10])], new Date(now.getTime() - 3600_000), now, 'minute');
    expect(points).toHaveLength(61);
    expect(points[0]?.start).toBe('2026-11-23T11:00:00.000Z');
    expect(points.at(-1)?.start).toBe('2026-11-23T12:00:00.000Z');
    expect(points.find((p) => p.start === '2026-11-23T11:58:00.000Z')).toMatchObject({ attempts: 2, successes: 1, failures: 1, success_rate: 0.5 });
    expect(points.find((p) => p.start === '2026-11-23T11:59:00.000Z')).toEqual({ start: '2026-11-23T11:59:00.000Z', attempts: 0, successes: 0, failures: 0, success_rate: null, p50_ms: null, p95_ms: null });
    // A bucket outside the window is not drawn.
    expect(points.reduce((n, p) => n + p.attempts, 0)).toBe(2);
  });

  it('draws the day by the hour, and nothing for a window that ends before it starts', () => {
    expect(healthSeries([], new Date('2026-11-22T13:00:00Z'), now, 'hour')).toHaveLength(24);
    expect(healthSeries([], now, new Date(now.getTime() - 3600_000), 'minute')).toEqual([]);
  });
});
