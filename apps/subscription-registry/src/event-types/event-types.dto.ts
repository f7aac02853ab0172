import { eventTypeSchema } from '@hookstream/contracts';
import { z } from 'zod';

const jsonSchema = z.record(z.string(), z.unknown());

export const createEventTypeSchema = z.strictObject({
  name: eventTypeSchema,
  description: z.string().max(1000).nullable().optional(),
  /** JSON Schema (draft 2020-12 or 07) that `data` must satisfy when the tenant is strict. */
  schema: jsonSchema.nullable().optional(),
  deprecated: z.boolean().optional(),
});
export type CreateEventTypeDto = z.infer<typeof createEventTypeSchema>;

export const updateEventTypeSchema = z.strictObject({
  description: z.string().max(1000).nullable().optional(),
  schema: jsonSchema.nullable().optional(),
  deprecated: z.boolean().optional(),
});
export type UpdateEventTypeDto = z.infer<typeof updateEventTypeSchema>;

export const listEventTypesQuery = z.object({
  tenant_id: z.string().optional(),
  /** Names starting with this, e.g. `order.` */
  prefix: z.string().max(128).optional(),
  deprecated: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

export const catalogModeSchema = z.strictObject({ strict_event_types: z.boolean() });

export const eventTypeViewSchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  schema: z.record(z.string(), z.unknown()).nullable(),
  deprecated: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const eventTypePageSchema = z.object({ data: z.array(eventTypeViewSchema), next_cursor: z.string().nullable() });
export const catalogModeViewSchema = z.object({ tenant_id: z.string(), strict_event_types: z.boolean() });
