import { z } from 'zod';

/** What the dlq-inspector's quarantine API answers (the CLI imports the types only). */

export const quarantinedViewSchema = z.object({
  id: z.string(),
  tenant_id: z.string().nullable().describe('The tenant the message names; null when it names none (admin only)'),
  code: z.string().describe('Why: validation_failed, malformed_json, pg_<sqlstate>, payload_too_large, …'),
  reason: z.string(),
  source: z.object({ topic: z.string().describe('The topic it was consumed from, without the prefix'), partition: z.number(), offset: z.string() }),
  consumer_group: z.string(),
  quarantined_at: z.string(),
  status: z.enum(['quarantined', 'redriven']),
  redriven_at: z.string().nullable(),
  redriven_by: z.string().nullable(),
  redrive_count: z.number(),
  value_bytes: z.number(),
});
export type QuarantinedView = z.infer<typeof quarantinedViewSchema>;

/** Bytes shown as UTF-8 text when they are printable text, as base64 otherwise. */
export const bytesViewSchema = z.object({ encoding: z.enum(['utf8', 'base64']), data: z.string() }).nullable();
export type BytesView = z.infer<typeof bytesViewSchema>;

export const quarantinedDetailSchema = quarantinedViewSchema.extend({
  details: z.unknown().describe('The refusal: field errors, or the error the handler met'),
  key: bytesViewSchema,
  value: bytesViewSchema,
  headers: z.array(z.object({ name: bytesViewSchema, value: bytesViewSchema })).describe('The original headers, as consumed'),
  source_timestamp: z.string().nullable(),
});
export type QuarantinedDetail = z.infer<typeof quarantinedDetailSchema>;

export const quarantineRedriveSchema = quarantinedViewSchema.extend({
  created: z.boolean().describe('false: it had been re-driven already, and nothing was sent now'),
});
export type QuarantineRedrive = z.infer<typeof quarantineRedriveSchema>;
