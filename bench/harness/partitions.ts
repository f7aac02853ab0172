import { type PartitionMetadata, Partitioners } from 'kafkajs';

/**
 * Where kafkajs's default partitioner (the one every service uses: murmur2 of the key, as the
 * Java client) puts a keyed message. Lets the bench spread its load over the partitions on
 * purpose instead of by luck.
 */
export function partitionFor(key: string, partitions: number): number {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
  return Partitioners.DefaultPartitioner()({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

/**
 * `count` keys from `candidate(0)`, `candidate(1)`, … such that every partition count of
 * `partitionsOf(key)` gets as even a share as possible (for a key that lands on several topics).
 */
export function pickBalancedKeys(count: number, candidate: (n: number) => string, partitionsOf: (key: string) => number[], partitionCounts: number[]): string[] {
  const loads = partitionCounts.map((n) => new Array<number>(n).fill(0));
  const caps = partitionCounts.map((n) => Math.ceil(count / n));
  const picked: string[] = [];
  for (let n = 0; picked.length < count; n++) {
    const key = candidate(n);
    const parts = partitionsOf(key);
    // After many candidates, take whatever comes: an uneven spread beats no bench.
    const fits = n > 1000 * count || parts.every((p, i) => (loads[i]?.[p] ?? 0) < (caps[i] ?? 0));
    if (!fits) continue;
    parts.forEach((p, i) => {
      const l = loads[i];
      if (l) l[p] = (l[p] ?? 0) + 1;
    });
    picked.push(key);
  }
  return picked;
}

/**
 * From each group (say, a tenant's subscriptions), `perGroup` members chosen so that the members
 * picked overall spread as evenly as they can over the partitions `partitionOf` names.
 */
export function pickBalancedSubset<T>(groups: readonly (readonly T[])[], perGroup: number, partitions: number, partitionOf: (t: T) => number): T[] {
  const loads = new Array<number>(partitions).fill(0);
  const picked: T[] = [];
  for (const group of groups) {
    const left = [...group];
    for (let k = 0; k < perGroup && left.length > 0; k++) {
      let best = 0;
      for (let i = 1; i < left.length; i++) {
        if ((loads[partitionOf(left[i])] ?? 0) < (loads[partitionOf(left[best])] ?? 0)) best = i;
      }
      const [chosen] = left.splice(best, 1) as [T];
      loads[partitionOf(chosen)] = (loads[partitionOf(chosen)] ?? 0) + 1;
      picked.push(chosen);
    }
  }
  return picked;
}

/** How many of `keys` land on each partition. */
export function partitionLoads(keys: readonly string[], partitions: number): number[] {
  const loads = new Array<number>(partitions).fill(0);
  for (const k of keys) {
    const p = partitionFor(k, partitions);
    loads[p] = (loads[p] ?? 0) + 1;
  }
  return loads;
}
