import { baseConfigSchema } from '@hookstream/platform';
import { z } from 'zod';

export const schedulerConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3003),
  /** Due retries claimed per transaction. */
  CLAIM_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * Longest sleep when nothing is due. A retry stored by this process wakes it early; this
   * bound covers retries stored by other replicas.
   */
  MAX_IDLE_SLEEP_MS: z.coerce.number().int().min(50).default(5000),
});

export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;
