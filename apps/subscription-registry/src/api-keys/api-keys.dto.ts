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
