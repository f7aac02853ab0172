/**
 * Splits several queues into rounds of at most `size` items that take turns across the queues,
 * so a queue of 10,000 items shares its first round with every short queue instead of going
 * first whole. Order within each queue is kept.
 */
export function interleaveRounds<T>(queues: readonly (readonly T[])[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('a round holds at least one item');
  const cursors = queues.map(() => 0);
  let live = queues.map((_, i) => i).filter((i) => (queues[i]?.length ?? 0) > 0);
  const rounds: T[][] = [];
  while (live.length > 0) {
    const round: T[] = [];
    while (round.length < size && live.length > 0) {
      const still: number[] = [];
      for (const i of live) {
        const queue = queues[i] ?? [];
        const at = cursors[i] ?? 0;
        if (round.length < size && at < queue.length) {
          round.push(queue[at]);
          cursors[i] = at + 1;
        }
        if ((cursors[i] ?? 0) < queue.length) still.push(i);
      }
      live = still;
    }
    rounds.push(round);
  }
  return rounds;
}
