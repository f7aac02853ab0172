export interface ConsumedMessage<T> {
  topic: string;
  /** The consumer group that fetched it (with the topic prefix, as the broker knows it). */
  group: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  headers: Record<string, string>;
  /** Broker timestamp, ms since epoch. */
  timestamp: number;
}

export interface BatchContext {
  /** Call during long work so the group does not evict this member. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the batch went stale in a rebalance. */
  isRunning(): boolean;
  /**
   * Refuses one message of this call for a reason of its own (a size or catalog rule): the host
   * publishes it to the topic's quarantine topic, with the rest of the batch's poison, before it
   * commits. Refusals of a call that then throws are forgotten (the call is redone).
   */
  quarantine(message: ConsumedMessage<unknown>, code: string, details?: unknown): void;
  /** The fetched batch this call is part of: everything up to `lastOffset` is committed once the batch settles. */
  batch: { partition: number; lastOffset: string };
  /**
   * The batch's offsets wait for `work` too, but the partition's next batch does not: the host
   * hands the batch back to kafkajs, which fetches on, and commits each partition's batches in
   * offset order as their work ends (PendingCommits). For work that makes this call's messages
   * durable after the call, such as leasing what is still being sent: a fetch waits for every
   * batch of the fetch, so a batch that waited on its own stragglers held up every partition.
   * `work` must retry its own dependencies; a rejection leaves this batch and the partition's
   * later ones uncommitted, and the partition is read again from this batch.
   */
  settleAfter(work: Promise<void>): void;
}

/**
 * A topic's consumer. The offsets of a batch are committed only after `handleBatch` resolves
 * (and the work it left with `ctx.settleAfter` has ended), so everything it makes durable (rows,
 * follow-up messages) must be durable by then, and it must
 * be idempotent: the host may call it again with any part of a batch. Throwing means "not done":
 * a dependency failure is retried in place after a backoff; any other failure makes the host
 * re-run halves of the batch until it finds the message that fails, which it quarantines.
 * Messages that fail decoding or their schema never reach the handler: the host quarantines them.
 */
export interface BatchHandler<T> {
  handleBatch(messages: ConsumedMessage<T>[], ctx: BatchContext): Promise<void>;
  /**
   * The largest message value this handler takes, in bytes: a larger one is quarantined as
   * `payload_too_large` unread (not decoded, inspected nor parsed), so a multi-megabyte message
   * costs one copy to quarantine rather than several passes that stall the consumer's process.
   * Unset: any size the broker delivers.
   */
  readonly maxValueBytes?: number;
}
