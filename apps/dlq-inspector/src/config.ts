import { baseConfigSchema } from '@hookstream/platform';
import { z } from 'zod';

export const inspectorConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3004),
});

export type InspectorConfig = z.infer<typeof inspectorConfigSchema>;
