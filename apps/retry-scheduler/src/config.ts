import { baseConfigSchema } from '@hookstream/platform';
import { z } from 'zod';

export const schedulerConfigSchema = baseConfigSchema.extend({
  /** The HTTP port (health, metrics and the service's API); each service has its own default. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3003),
  /** Due retries claimed per transaction. */
  CLAIM_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * Longest sleep while nothing is due. Every replica hears the due times any replica stores
   * (Postgres LISTEN/NOTIFY) and re-reads the earliest after a reconnect, so this bound only
   * covers a notification lost some other way.
   */
  MAX_IDLE_SLEEP_MS: z.coerce.number().int().min(50).default(60_000),
  /**
   * Least time between two rounds of firing: what comes due meanwhile goes together, at most this
   * late. Due times spaced a few ms apart (deferrals are paced) otherwise woke the scheduler for
   * two or three rows a round, each a transaction and a produce. 0 fires each due time at once.
   */
  FIRE_BATCH_MS: z.coerce.number().int().min(0).max(1000).default(50),
  /**
   * How long a fired retry's tombstone is kept, so a redelivered copy of its message is not
   * fired again: at least the retries topic's retention (Kafka's default is 7 days), since a
   * consumer group whose offsets expired re-reads everything still retained.
   */
  FIRED_RETRY_RETENTION_HOURS: z.coerce.number().min(0.0001).default(168),
  /** How often old tombstones are removed and the pending gauge is refreshed. */
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
});

export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;
