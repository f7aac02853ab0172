import { QUOTA_NAMES, QUOTAS, type QuotaName } from '@hookstream/domain';
import { z } from 'zod';

/**
 * The tenant's overrides, replacing the ones it had: a quota left out (or null) goes back to the
 * platform default. Each value is bounded by the quota's ceiling.
 */
export const putLimitsSchema = z.strictObject(
  Object.fromEntries(QUOTA_NAMES.map((name) => [name, z.number().int().min(0).max(QUOTAS[name].ceiling).nullable().optional().describe(QUOTAS[name].description)])) as Record<
    QuotaName,
    z.ZodOptional<z.ZodNullable<z.ZodNumber>>
  >,
);
export type PutLimitsDto = z.infer<typeof putLimitsSchema>;

const limitViewSchema = z.object({
  limit: z.number().describe('In force for this tenant'),
  default: z.number().describe('The platform default (QUOTA_<NAME>)'),
  override: z.number().nullable().describe('Set by an operator for this tenant; null: the default applies'),
  usage: z.number().nullable().describe('Current use, where it is cheap to count; null otherwise'),
  kind: z.enum(['count', 'size', 'concurrency', 'rate']),
  description: z.string(),
});
export const limitsViewSchema = z.object({ tenant_id: z.string(), limits: z.record(z.string(), limitViewSchema) });
export type LimitsView = z.infer<typeof limitsViewSchema>;
