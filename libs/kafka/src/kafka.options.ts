import type { TopicKey } from '@hookstream/contracts';

export interface KafkaModuleOptions {
  clientId: string;
  brokers: string[];
  topicPrefix: string;
  /** Topics this service consumes: boot fails unless each has exactly one consumer class. */
  consumes: readonly TopicKey[];
  /** When set, consumer lag per group and partition is measured this often (a gauge). */
  lagIntervalMs?: number;
  /** How long the group waits for a silent member before giving its partitions away (default 30 s). */
  sessionTimeoutMs?: number;
  /**
   * Settled offsets are committed at most this often per consumer (0: after every batch). A
   * crash re-reads at most this much of settled work; every consumer here is idempotent.
   */
  commitIntervalMs?: number;
  /** Backoff between retries of a batch whose dependency is down (default 200 ms doubling to 30 s). */
  retryBackoff?: { initialMs: number; maxMs: number };
}

export const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');
