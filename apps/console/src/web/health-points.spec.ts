import { describe, expect, it } from '@jest/globals';
import { chartPoints } from './health-points.ts';

describe('chartPoints', () => {
  it('draws rates as percent and leaves quiet buckets as gaps, not zeros', () => {
    expect(
      chartPoints(
        [
          { start: '2026-12-07T10:00:00Z', attempts: 3, success_rate: 0.6667, p50_ms: 25, p95_ms: 900 },
          { start: '2026-12-07T10:01:00Z', attempts: 0, success_rate: null, p50_ms: null, p95_ms: null },
        ],
        'UTC',
      ),
    ).toEqual([
      { time: '10:00', success: 66.7, p50: 25, p95: 900, attempts: 3 },
      { time: '10:01', success: null, p50: null, p95: null, attempts: 0 },
    ]);
  });

  it('writes the bucket in the given zone', () => {
    expect(chartPoints([{ start: '2026-12-07T10:00:00Z', attempts: 1, success_rate: 1, p50_ms: 5, p95_ms: 5 }], 'Africa/Johannesburg')[0]?.time).toBe('12:00');
  });
});
