import { z } from 'zod';

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

/** `order.placed`, `invoice.payment_failed`: dot-separated lowercase segments. */
export const eventTypeSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/, 'must be dot-separated lowercase segments such as "order.placed"');

export const isoTimestampSchema = z.iso.datetime({ offset: true });

/** In `u` mode a surrogate pair is one code point, so \p{Cs} matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Where in a JSON value a string (or key) holds text Postgres cannot store in jsonb: U+0000, or
 * a lone UTF-16 surrogate. Both are valid JSON, so the parser lets them through.
 */
export function unstorableTextAt(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') || LONE_SURROGATE.test(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (typeof key === 'string' && unstorableTextAt(key) !== null) return [...path, key];
    const found = unstorableTextAt(child, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** An event's payload: a JSON object whose text can be stored. */
export const eventDataSchema = z.record(z.string(), z.unknown()).superRefine((data, ctx) => {
  const at = unstorableTextAt(data);
  if (at) ctx.addIssue({ code: 'custom', path: at, message: 'text must not contain U+0000 or unpaired surrogates' });
});

/** What producers publish to `hookstream.ingest` or `POST /v1/events` (ARCHITECTURE.md). */
export const eventEnvelopeSchema = z.strictObject({
  id: eventIdSchema,
  type: eventTypeSchema,
  tenant_id: tenantIdSchema,
  occurred_at: isoTimestampSchema,
  data: eventDataSchema,
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
      path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
      message: issue.message,
    })),
  };
}
