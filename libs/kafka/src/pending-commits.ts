/** One partition's batches whose offsets wait for work that outlived their handler. */
interface Chain {
  /** Ends when the partition's latest batch has been committed or given up. */
  tail: Promise<void>;
  /** Batches of the partition not yet committed or given up. */
  count: number;
  /** Bumped when a batch's work fails: the batches of an older epoch are read again, not committed. */
  epoch: number;
}

/**
 * Commits each partition's batches in offset order once the work they left behind
 * (BatchContext.settleAfter) has ended, while kafkajs fetches and hands out the partition's next
 * batches. A commit never passes a batch whose work has not ended: a batch commits only after
 * the batch before it on its partition did. When a batch's work fails, it and every later batch
 * of its partition stay uncommitted and the partition is read again from that batch (`reread`);
 * after a rebalance, what was pending is left to the partition's owner, who reads it again.
 * Handlers are idempotent, so reading again costs time, never correctness.
 */
export class PendingCommits {
  private readonly chains = new Map<number, Chain>();
  private readonly outstanding = new Set<Promise<void>>();
  private generation = 0;

  constructor(
    /** At most this many batches of one partition wait for their work; the next waits for room. */
    private readonly maxPerPartition: number,
    private readonly commit: (partition: number, nextOffset: string) => Promise<void>,
    /** The work of the batch starting at `firstOffset` failed: the partition must be read again from there. */
    private readonly reread: (partition: number, firstOffset: string, err: unknown) => void,
    /** A commit after the work ended failed (its offset stays pending in the coalescer). */
    private readonly onCommitError: (err: unknown) => void,
  ) {}

  /**
   * Whether a batch of the partition still waits for its work: a later batch, even one that left
   * no work, must then commit through `add`, after it, never straight away past it.
   */
  waiting(partition: number): boolean {
    return (this.chains.get(partition)?.count ?? 0) > 0;
  }

  /** Resolves when the partition has room for one more batch waiting on its work. */
  async room(partition: number): Promise<void> {
    for (let chain = this.chains.get(partition); chain && chain.count >= this.maxPerPartition; chain = this.chains.get(partition)) {
      await chain.tail;
    }
  }

  /** Commits up to `nextOffset` once `work` has ended and every earlier batch of the partition has been committed. */
  add(partition: number, firstOffset: string, nextOffset: string, work: readonly Promise<void>[]): void {
    const chain = this.chains.get(partition) ?? { tail: Promise.resolve(), count: 0, epoch: 0 };
    this.chains.set(partition, chain);
    const { epoch } = chain;
    const generation = this.generation;
    const current = () => epoch === chain.epoch && generation === this.generation;
    const earlier = chain.tail;
    chain.count++;
    const link = (async () => {
      let failure: { err: unknown } | null = null;
      await Promise.all(work).catch((err: unknown) => (failure = { err }));
      await earlier;
      if (!current()) return;
      if (failure) {
        chain.epoch++;
        this.reread(partition, firstOffset, (failure as { err: unknown }).err);
        return;
      }
      await this.commit(partition, nextOffset).catch(this.onCommitError);
    })().finally(() => {
      chain.count--;
      this.outstanding.delete(link);
    });
    this.outstanding.add(link);
    chain.tail = link;
  }

  /** The group is rebalancing: batches pending now are read again by the partitions' owners. */
  newGeneration(): void {
    this.generation++;
  }

  /** Resolves when every batch added so far has been committed or given up. */
  async idle(): Promise<void> {
    while (this.outstanding.size > 0) await Promise.allSettled([...this.outstanding]);
  }
}
