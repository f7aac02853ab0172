import { tenantIdSchema } from '@hookstream/contracts';
import { z } from 'zod';

export const createTenantSchema = z.strictObject({
  id: tenantIdSchema,
  name: z.string().min(1).max(200),
});
export type CreateTenantDto = z.infer<typeof createTenantSchema>;

/**
 * Intake limits at the gateway and retention; null puts one back to the services' default. max_event_bytes is
 * also bounded by MAX_EVENT_BYTES_CEILING (checked by the service, which knows the config).
 */
export const updateTenantSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  max_event_bytes: z.number().int().min(1024).max(10 * 1024 * 1024).nullable().optional(),
  rate_limit_per_second: z.number().positive().max(1_000_000).nullable().optional(),
  rate_limit_burst: z.number().int().min(1).max(10_000_000).nullable().optional(),
  /** Days this tenant's events and delivery attempts are kept; null: the services' RETENTION_DAYS. */
  retention_days: z.number().int().min(1).max(3650).nullable().optional(),
  /**
   * false: the tenant's events are still accepted and stored, but nothing is delivered (fan-outs
   * park, pending deliveries wait) until it is true again; then they go out.
   */
  enabled: z.boolean().optional(),
});
export type UpdateTenantDto = z.infer<typeof updateTenantSchema>;

export const tenantViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  created_at: z.string(),
  max_event_bytes: z.number().nullable(),
  rate_limit_per_second: z.number().nullable(),
  rate_limit_burst: z.number().nullable(),
  retention_days: z.number().nullable(),
  enabled: z.boolean().describe('false: events are accepted and stored, not delivered until enabled again'),
  enabled_changed_at: z.string().nullable().describe('When `enabled` last changed; null if never'),
});
