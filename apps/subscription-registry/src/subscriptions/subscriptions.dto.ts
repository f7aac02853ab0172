import { retryPolicySchema, tenantIdSchema } from '@hookstream/contracts';
import { isValidFilter, MIN_SECRET_BYTES, SECRET_PREFIX } from '@hookstream/domain';
import { z } from 'zod';

const filterSchema = z.string().refine(isValidFilter, 'must be an event type, a prefix such as "order.*", or "*"');

export const createSubscriptionSchema = z.strictObject({
  /** Only an admin key names the tenant; a tenant key acts for its own. */
  tenant_id: tenantIdSchema.optional(),
  url: z.string().min(1).max(2048),
  description: z.string().max(1000).nullable().optional(),
  event_types: z.array(filterSchema).min(1).max(100),
  retry_policy: retryPolicySchema.nullable().optional(),
  timeout_ms: z.number().int().min(1000).max(30_000).optional(),
  /** Bring your own secret (e.g. when migrating from another provider); generated otherwise. */
  secret: z
    .string()
    .refine(isUsableSecret, 'must be whsec_ followed by base64 of at least 24 bytes')
    .optional(),
});
export type CreateSubscriptionDto = z.infer<typeof createSubscriptionSchema>;

export const updateSubscriptionSchema = z.strictObject({
  url: z.string().min(1).max(2048).optional(),
  description: z.string().max(1000).nullable().optional(),
  event_types: z.array(filterSchema).min(1).max(100).optional(),
  enabled: z.boolean().optional(),
  retry_policy: retryPolicySchema.nullable().optional(),
  timeout_ms: z.number().int().min(1000).max(30_000).optional(),
});
export type UpdateSubscriptionDto = z.infer<typeof updateSubscriptionSchema>;

export const listQuerySchema = z.object({
  tenant_id: tenantIdSchema.optional(),
});

function isUsableSecret(s: string): boolean {
  if (!s.startsWith(SECRET_PREFIX)) return false;
  const b64 = s.slice(SECRET_PREFIX.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(b64) && Buffer.from(b64, 'base64').length >= MIN_SECRET_BYTES;
}

export const rotateSecretSchema = z.strictObject({
  /** How long the old secret keeps signing beside the new one (default 24 h, at most 7 days). */
  overlap_seconds: z.number().int().min(0).max(7 * 24 * 3600).default(24 * 3600),
  secret: z
    .string()
    .refine(isUsableSecret, 'must be whsec_ followed by base64 of at least 24 bytes')
    .optional(),
});
export type RotateSecretDto = z.infer<typeof rotateSecretSchema>;
