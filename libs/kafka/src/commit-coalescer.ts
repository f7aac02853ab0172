/** A partition's next offset to commit (the offset after the last message settled). */
export interface PartitionOffset {
  partition: number;
  offset: string;
}

/**
 * Commits a consumer's settled offsets at most once per interval instead of after every batch.
 * On a quiet system a batch is one message, and a commit after each was a third of every hop's
 * Kafka requests (produce, fetch, commit) and a round trip the partition's next batch waited on.
 * Coalescing only moves the commit later, never ahead of what is settled, so it loses nothing:
 * what a crash leaves uncommitted (at most an interval of settled messages) is read again by the
 * partition's next owner, and every handler here is idempotent. Pending offsets are flushed when
 * the group rebalances and before the consumer stops; a partition this member no longer owns
 * loses its pending offset (`retain`), since its new owner commits its own.
 */
export class CommitCoalescer {
  private readonly pending = new Map<number, bigint>();
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private immediate: boolean;

  constructor(
    private readonly intervalMs: number,
    private readonly commit: (offsets: PartitionOffset[]) => Promise<void>,
    /** A commit made by the timer failed (its offsets stay pending for the next one). */
    private readonly onError: (err: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.immediate = intervalMs <= 0;
  }

  /** The partition is settled up to `nextOffset`: committed now if the interval has passed, else within it. */
  async settled(partition: number, nextOffset: string): Promise<void> {
    const next = BigInt(nextOffset);
    if ((this.pending.get(partition) ?? -1n) < next) this.pending.set(partition, next);
    if (this.immediate || this.now() - this.lastCommitAt >= this.intervalMs) return this.flush();
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush().catch(this.onError);
    }, Math.max(0, this.intervalMs - (this.now() - this.lastCommitAt)));
  }

  /** Commits everything pending. A failed commit keeps its offsets pending (unless newer ones arrived) and throws. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.size === 0) return;
    const offsets = [...this.pending].map(([partition, offset]) => ({ partition, offset: offset.toString() }));
    this.pending.clear();
    this.lastCommitAt = this.now();
    try {
      await this.commit(offsets);
    } catch (err) {
      for (const { partition, offset } of offsets) {
        const o = BigInt(offset);
        if ((this.pending.get(partition) ?? -1n) < o) this.pending.set(partition, o);
      }
      throw err;
    }
  }

  /** After a rebalance: only the partitions assigned now keep their pending offsets. */
  retain(assigned: ReadonlySet<number>): void {
    for (const partition of [...this.pending.keys()]) if (!assigned.has(partition)) this.pending.delete(partition);
  }

  /** From now on every settled batch commits at once (the consumer is stopping). */
  commitEveryBatch(): void {
    this.immediate = true;
  }

  /** Offsets settled and not yet committed, by partition (for tests and diagnostics). */
  pendingOffsets(): PartitionOffset[] {
    return [...this.pending].map(([partition, offset]) => ({ partition, offset: offset.toString() }));
  }
}
