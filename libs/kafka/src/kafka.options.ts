import type { TopicKey } from '@hookstream/contracts';
import type { ProduceRetryPolicy } from '@hookstream/domain';

/** How to reach the brokers securely, in our terms (the client library's stay inside libs/kafka). */
export interface KafkaSecurity {
  /** TLS to the brokers; `ca` replaces the system's CAs, `cert` and `key` are a client certificate. */
  tls: { ca?: string; cert?: string; key?: string } | null;
  sasl: { mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain'; username: string; password: string } | null;
}

export const PLAINTEXT: KafkaSecurity = { tls: null, sasl: null };

export interface KafkaModuleOptions {
  clientId: string;
  brokers: string[];
  /** PLAINTEXT unless given. */
  security?: KafkaSecurity;
  /**
   * When set, the producer refuses any other topic (besides the quarantine topics of `consumes`):
   * a service writes only where its broker ACLs allow (KAFKA_ACCESS), and a mistake shows in tests
   * on any broker, not first in production.
   */
  produces?: readonly TopicKey[];
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
  /** Tries of a failed produce request and the backoff between them (default PRODUCE_RETRY: 9, 300 ms doubling to 5 s). */
  produceRetry?: ProduceRetryPolicy;
  /** Backoff between retries of a batch whose dependency is down (default 200 ms doubling to 30 s). */
  retryBackoff?: { initialMs: number; maxMs: number };
}

export const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');
