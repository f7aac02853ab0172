import { z } from 'zod';
import { isoTimestampSchema } from './storable.js';
import { errorClassSchema } from './messages.js';

/**
 * Operational events Hookstream publishes about a tenant's own resources. They enter through
 * `hookstream.ingest` like any other event, so the tenant's subscribers of the type receive them
 * signed and retried like everything else.
 */
export const SYSTEM_EVENT_TYPES = {
  subscriptionDisabled: 'subscription.disabled',
  subscriptionRecovered: 'subscription.recovered',
} as const;

/** `data` of `subscription.disabled`: which endpoint stopped receiving, and why. */
export const subscriptionDisabledDataSchema = z.object({
  subscription_id: z.uuid(),
  name: z.string().nullable(),
  url: z.string(),
  /**
   * `gone`: the endpoint answered 410; `auto_disabled`: every attempt failed for the configured
   * span; `ordering_backlog`: an ordered subscription held more events behind its keys' heads than
   * its ordering_backlog_max (they stay held, in order, until it is enabled again).
   */
  reason: z.enum(['gone', 'auto_disabled', 'ordering_backlog']),
  disabled_at: isoTimestampSchema,
  /** The first failed attempt after the last success. */
  failing_since: isoTimestampSchema,
  last_status_code: z.number().int().nullable(),
  last_error_class: errorClassSchema.nullable(),
});
export type SubscriptionDisabledData = z.infer<typeof subscriptionDisabledDataSchema>;

/** `data` of `subscription.recovered`: an endpoint that was failing answered with a success again. */
export const subscriptionRecoveredDataSchema = z.object({
  subscription_id: z.uuid(),
  name: z.string().nullable(),
  url: z.string(),
  /** The first failed attempt of the streak that ended. */
  failing_since: isoTimestampSchema,
  /** The success that ended it. */
  recovered_at: isoTimestampSchema,
  /** The streak's last failure: its status code and error class. */
  last_status_code: z.number().int().nullable(),
  last_error_class: errorClassSchema.nullable(),
});
export type SubscriptionRecoveredData = z.infer<typeof subscriptionRecoveredDataSchema>;
