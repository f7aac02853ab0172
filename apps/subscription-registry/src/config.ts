import { baseConfigSchema, csvSchema } from '@hookstream/platform';
import { z } from 'zod';

export const registryConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Hosts that may be http or private (local receivers in development and tests); empty in production. */
  DELIVERY_ALLOWLIST_HOSTS: csvSchema.default([]),
  /** A YAML file of tenants, event types and subscriptions applied (idempotently) at boot. */
  DECLARATIVE_CONFIG_FILE: z.string().optional(),
});

export type RegistryConfig = z.infer<typeof registryConfigSchema>;
