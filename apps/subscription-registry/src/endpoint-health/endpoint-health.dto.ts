import { tenantIdSchema } from '@hookstream/contracts';
import { z } from 'zod';

export const healthQuerySchema = z.object({
  tenant_id: tenantIdSchema.optional(),
});

export const subscriptionHealthViewSchema = z.object({
  subscription_id: z.string(),
  /** `failing`: every attempt since `failing_since` failed; disabled at `auto_disable_at` if that goes on. */
  status: z.enum(['healthy', 'failing', 'disabled']),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable(),
  last_success_at: z.string().nullable(),
  failing_since: z.string().nullable(),
  last_failure_at: z.string().nullable(),
  last_status_code: z.number().nullable(),
  last_error_class: z.string().nullable(),
  auto_disable_at: z.string().nullable(),
});
export type SubscriptionHealthView = z.infer<typeof subscriptionHealthViewSchema>;
