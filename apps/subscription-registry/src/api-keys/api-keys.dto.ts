import { z } from 'zod';

export const createApiKeySchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** `admin` keys see every tenant; only an admin may create one. */
  scope: z.enum(['tenant', 'admin']).default('tenant'),
});
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
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export const createdApiKeySchema = apiKeyViewSchema.extend({ key: z.string().describe('Shown once; only its hash is stored') });
export const apiKeyPageSchema = z.object({ data: z.array(apiKeyViewSchema), next_cursor: z.string().nullable() });
