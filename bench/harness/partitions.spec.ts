import { describe, expect, it } from '@jest/globals';
import { partitionFor, partitionLoads, pickBalancedKeys, pickBalancedSubset } from './partitions.ts';

describe('partitionFor', () => {
  it('agrees with the Java client (murmur2), as kafkajs 2 does by default', () => {
    // Reference values from kafka-clients 3.9.1: Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % 6.
    expect(['foo', 'acme', 'tenant-1', '4f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10'].map((k) => partitionFor(k, 6))).toEqual([2, 0, 1, 5]);
    expect(new Set(Array.from({ length: 200 }, (_, i) => partitionFor(`tenant-${i}`, 6)))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });
});

describe('pickBalancedKeys', () => {
  it('fills every partition evenly', () => {
    const keys = pickBalancedKeys(12, (n) => `bench-${n}`, (k) => [partitionFor(k, 6)], [6]);
    expect(keys).toHaveLength(12);
    expect(partitionLoads(keys, 6)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('balances two topics of different sizes at once', () => {
    const keys = pickBalancedKeys(12, (n) => `t${n}`, (k) => [partitionFor(k, 6), partitionFor(k, 4)], [6, 4]);
    expect(partitionLoads(keys, 6)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(partitionLoads(keys, 4)).toEqual([3, 3, 3, 3]);
  });
});

describe('pickBalancedSubset', () => {
  it('takes the asked number per group, evening out the partitions', () => {
    // Partition of a member = its number mod 3; every group is skewed towards partition 0.
    const groups = [
      [0, 3, 6, 1, 2],
      [9, 12, 4, 5, 15],
      [18, 21, 7, 8, 24],
    ];
    const picked = pickBalancedSubset(groups, 3, 3, (n) => n % 3);
    expect(picked).toHaveLength(9);
    const loads = [0, 0, 0];
    for (const n of picked) loads[n % 3] = (loads[n % 3] ?? 0) + 1;
    expect(loads).toEqual([3, 3, 3]);
  });
});
