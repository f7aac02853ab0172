import { backoffDelayMs, type ExponentialBackoff } from './backoff.js';

/** Tries of one produce request in all, and the backoff between them. */
export interface ProduceRetryPolicy extends ExponentialBackoff {
  attempts: number;
}

/**
 * How a failed produce request is sent again, by the services' producer and by the publisher
 * SDK alike: 9 tries, 300 ms doubling to 5 s, about 24 s before the caller hears of the failure
 * (docs/adr/0007-kafka-producer-retries.md). Long enough to outlast a partition leader's move
 * while a broker restarts; kafkajs's own retries, which these replace, went on for about a minute.
 */
export const PRODUCE_RETRY: ProduceRetryPolicy = { attempts: 9, initialMs: 300, maxMs: 5000 };

/** Broker answers about the message itself: sending it again gets the same answer. */
export const KAFKA_CONTENT_ERRORS: ReadonlySet<string> = new Set(['MESSAGE_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_TIMESTAMP', 'INVALID_REQUIRED_ACKS']);

interface KafkaErrorLike {
  type?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/**
 * Whether a Kafka client error (or a wrapper around one, such as "retries exceeded") carries a
 * broker answer about the message's content (KAFKA_CONTENT_ERRORS). Looks four levels deep.
 */
export function isKafkaContentError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as KafkaErrorLike;
  if (typeof e.type === 'string' && KAFKA_CONTENT_ERRORS.has(e.type)) return true;
  return isKafkaContentError(e.cause, depth + 1) || isKafkaContentError(e.originalError, depth + 1);
}

/**
 * The wait before sending a produce request again after failed try `attempt` (1-based), or
 * null when the request has had all its tries.
 */
export function produceRetryDelayMs(attempt: number, policy: ProduceRetryPolicy = PRODUCE_RETRY): number | null {
  if (!(attempt >= 1) || attempt >= policy.attempts) return null;
  return backoffDelayMs(attempt - 1, policy);
}
