import { TENANT_SCOPES } from '@hookstream/domain';
import { z } from 'zod';

export const createApiKeySchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    /** `admin` keys see every tenant; only an admin may create one. */
    scope: z.enum(['tenant', 'admin']).default('tenant'),
    /** What a tenant key may do (docs/security.md); every tenant scope when left out. */
    scopes: z.array(z.enum(TENANT_SCOPES)).min(1).max(TENANT_SCOPES.length).optional(),
    /** When the key stops working; never when left out. */
    expires_at: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((d) => !(d.scope === 'admin' && d.scopes), { path: ['scopes'], message: 'admin keys hold every scope; give scopes for tenant keys only' })
  .refine((d) => d.expires_at === undefined || Date.parse(d.expires_at) > Date.now(), { path: ['expires_at'], message: 'must be in the future' })
  .refine((d) => d.expires_at === undefined || Date.parse(d.expires_at) < Date.now() + 5 * 365 * 86_400_000, { path: ['expires_at'], message: 'must be within 5 years' });
export type CreateApiKeyDto = z.infer<typeof createApiKeySchema>;

export const listKeysQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const apiKeyViewSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  name: z.string(),
  scope: z.enum(['tenant', 'admin']),
  scopes: z.array(z.string()).describe('What the key may do; every scope for an admin key'),
  expires_at: z.string().nullable(),
  created_by: z.string().nullable().describe('The key that created it (admin:bootstrap for ADMIN_API_KEY)'),
  created_by_admin: z.boolean().describe('Made by an operator: the tenant cannot revoke it'),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export const createdApiKeySchema = apiKeyViewSchema.extend({ key: z.string().describe('Shown once; only its hash is stored') });
export const apiKeyPageSchema = z.object({ data: z.array(apiKeyViewSchema), next_cursor: z.string().nullable() });

export const currentKeySchema = z.object({
  key_id: z.string().describe('The key’s id (admin:bootstrap for ADMIN_API_KEY); never the key itself'),
  kind: z.enum(['tenant', 'admin']).describe('admin: an operator key, which acts for any tenant'),
  tenant_id: z.string().nullable().describe('The tenant a tenant key acts for; null for an admin key'),
  scopes: z.array(z.string()).describe('What the key may do; every scope for an admin key'),
});
export type CurrentKeyView = z.infer<typeof currentKeySchema>;
