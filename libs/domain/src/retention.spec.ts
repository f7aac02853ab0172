import { describe, expect, it } from '@jest/globals';
import { type DayPartition, planPartitionRetention, retentionCutoffs } from './retention.js';

const DAY_MS = 24 * 3600 * 1000;
const now = new Date('2026-11-23T12:00:00Z');
const day = (offset: number): DayPartition => {
  const from = new Date(Date.UTC(2026, 10, 23) + offset * DAY_MS);
  return { name: `p${offset}`, from, to: new Date(from.getTime() + DAY_MS) };
};

describe('retentionCutoffs', () => {
  it('puts overrides on either side of the default and ignores equal ones', () => {
    const c = retentionCutoffs(now, 90, new Map([['zeta', 7], ['acme', 400], ['same', 90], ['beta', 30]]));
    expect(c.defaultCutoff).toEqual(new Date('2026-08-25T12:00:00Z'));
    expect(c.shorter).toEqual([
      { tenantId: 'beta', cutoff: new Date('2026-10-24T12:00:00Z') },
      { tenantId: 'zeta', cutoff: new Date('2026-11-16T12:00:00Z') },
    ]);
    expect(c.longer).toEqual([{ tenantId: 'acme', cutoff: new Date('2025-10-19T12:00:00Z') }]);
  });
});

describe('planPartitionRetention', () => {
  const partitions = Array.from({ length: 120 }, (_, i) => day(-119 + i)).reverse();

  it('expires only partitions wholly older than the default cutoff, oldest first', () => {
    const plan = planPartitionRetention(partitions, retentionCutoffs(now, 90, new Map()));
    // The cutoff is 2026-08-25T12:00, inside day -90: that day stays until it has fully expired.
    expect(plan.expired.map((p) => p.name)).toEqual(Array.from({ length: 29 }, (_, i) => `p${-119 + i}`));
    expect(plan.trimmed).toEqual([]);
  });

  it('trims a shorter override only in live partitions that start before its cutoff', () => {
    const plan = planPartitionRetention(partitions, retentionCutoffs(now, 90, new Map([['short', 3], ['long', 200]])));
    expect(plan.expired).toHaveLength(29);
    expect(plan.trimmed).toHaveLength(1);
    const [trim] = plan.trimmed;
    expect(trim?.tenant.tenantId).toBe('short');
    // Days -90 (holding the default cutoff) to -3 (holding the tenant's cutoff).
    expect(trim?.partitions.map((p) => p.name)).toEqual(Array.from({ length: 88 }, (_, i) => `p${-90 + i}`));
  });
});
