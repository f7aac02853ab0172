import type { FieldError } from '@hookstream/contracts';

export interface ConsumedMessage<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  headers: Record<string, string>;
  /** Broker timestamp, ms since epoch. */
  timestamp: number;
}

/** A message that failed decoding or its schema; handlers quarantine it, never block on it. */
export interface InvalidMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  raw: string;
  headers: Record<string, string>;
  errors: FieldError[];
}

export interface BatchContext {
  /** Call during long work so the group does not evict this member. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the batch went stale in a rebalance. */
  isRunning(): boolean;
}

/**
 * A topic's consumer. The offsets of a batch are committed only after `handleBatch` resolves,
 * so everything it makes durable (rows, follow-up messages) must be durable by then. Throwing
 * means "not done": the batch is fetched again.
 */
export interface BatchHandler<T> {
  handleBatch(messages: ConsumedMessage<T>[], invalid: InvalidMessage[], ctx: BatchContext): Promise<void>;
}
