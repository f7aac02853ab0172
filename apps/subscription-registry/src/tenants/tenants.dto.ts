import { tenantIdSchema } from '@hookstream/contracts';
import { z } from 'zod';

export const createTenantSchema = z.strictObject({
  id: tenantIdSchema,
  name: z.string().min(1).max(200),
});
export type CreateTenantDto = z.infer<typeof createTenantSchema>;

export const tenantViewSchema = z.object({ id: z.string(), name: z.string(), created_at: z.string() });
