import { z } from 'zod';
import { formatPath, isoTimestampSchema, storableJsonObjectSchema } from './storable.js';

/**
 * Tenant ids appear in Kafka keys, Redis keys and URLs, so they are restricted to a
 * conservative alphabet instead of being escaped everywhere.
 */
export const tenantIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, 'must be letters, digits, "-" or "_"');

export const eventIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/**
 * One segment of an event type: lowercase letters, digits, `_`, `-`, and `/` between them
 * (`policy/bound`, seed 004's names). Dots separate segments; only they make prefixes (`order.*`).
 */
export const EVENT_TYPE_SEGMENT = '[a-z0-9_-]+(?:/[a-z0-9_-]+)*';
export const EVENT_TYPE_PATTERN = new RegExp(`^${EVENT_TYPE_SEGMENT}(?:\\.${EVENT_TYPE_SEGMENT})*$`);

/** `order.placed`, `invoice.payment_failed`, `policy/bound`: dot-separated lowercase segments. */
export const eventTypeSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(EVENT_TYPE_PATTERN, 'must be dot-separated lowercase segments such as "order.placed" (a segment may hold "/", as in "policy/bound")');

/**
 * What a publisher orders its events by (`order_123`): subscriptions that order by key receive a
 * key's events in the order the gateway accepted them (docs/guides/ordering.md). Printable ASCII.
 */
export const orderingKeySchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** An event's payload: a JSON object whose text can be stored, nested at most MAX_DATA_DEPTH levels. */
export const eventDataSchema = storableJsonObjectSchema;

/** What producers publish to `hookstream.ingest` or `POST /v1/events` (docs/architecture.md). */
export const eventEnvelopeSchema = z.strictObject({
  id: eventIdSchema,
  type: eventTypeSchema,
  tenant_id: tenantIdSchema,
  occurred_at: isoTimestampSchema,
  data: eventDataSchema,
  ordering_key: orderingKeySchema.optional(),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export interface FieldError {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Validates untrusted input against a schema and names every failing field. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      message: issue.message,
    })),
  };
}
