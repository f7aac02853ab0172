import { isoTimestampSchema, replayJobStatusSchema, tenantIdSchema } from '@hookstream/contracts';
import { z } from 'zod';
import { deadLetterFilterSchema } from '../dead-letters/dead-letter-filter.js';

/** Bounded by REPLAY_MAX_RATE_PER_SECOND (checked with the configuration). */
const rateSchema = z.number().int().min(1).describe('Replays per second at the receivers, at most; default REPLAY_DEFAULT_RATE_PER_SECOND (10)');

export const createJobSchema = z.strictObject({
  /** An admin key names the tenant, or leaves it out to replay across every tenant. */
  tenant_id: tenantIdSchema.optional(),
  filter: deadLetterFilterSchema.default({}),
  rate_per_second: rateSchema.optional(),
  /** Count what the job would replay, and create nothing. */
  dry_run: z.boolean().default(false),
});
export type CreateJobDto = z.infer<typeof createJobSchema>;

export const recoverSchema = z.strictObject({
  tenant_id: tenantIdSchema.optional(),
  subscription_id: z.uuid(),
  /** Re-send what died at or after this time. */
  since: isoTimestampSchema,
  rate_per_second: rateSchema.optional(),
  dry_run: z.boolean().default(false),
});
export type RecoverDto = z.infer<typeof recoverSchema>;

export const listJobsQuery = z.strictObject({
  tenant_id: tenantIdSchema.optional(),
  status: replayJobStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const tenantQuery = z.strictObject({ tenant_id: tenantIdSchema.optional() });

export const jobReplaysQuery = tenantQuery.extend({
  status: z.enum(['pending', 'sent', 'skipped']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(500).optional(),
});
