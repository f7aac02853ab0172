import { describe, expect, it } from '@jest/globals';
import { curvePng, curveSpec } from './curve-chart.ts';

const points = [
  { rate_per_s: 50, p50_ms: 9, p95_ms: 14, p99_ms: 31 },
  { rate_per_s: 1000, p50_ms: 0, p95_ms: 593, p99_ms: 702 },
];

describe('the latency curve chart', () => {
  it('plots each quantile of each rate, on log scales that cannot take 0', () => {
    const spec = curveSpec(points, 't') as { data: { values: { rate: number; quantile: string; ms: number }[] } };
    expect(spec.data.values).toHaveLength(6);
    expect(spec.data.values).toContainEqual({ rate: 1000, quantile: 'p50', ms: 0.1 });
    expect(spec.data.values).toContainEqual({ rate: 1000, quantile: 'p99', ms: 702 });
  });

  it('renders a PNG', async () => {
    const png = await curvePng(points, 't');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // 640×360 at twice the scale, with its margins.
    expect(png.readUInt32BE(16)).toBeGreaterThan(1280);
  });
});
