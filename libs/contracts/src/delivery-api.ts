import { z } from 'zod';
import { attemptViewSchema } from './dead-letter-api.js';

/**
 * What the dlq-inspector's delivery history API answers (deliveries, events, endpoint health,
 * retries), shared with its clients like the dead-letter API.
 */

export const deliveryStatusSchema = z.enum(['pending', 'delivered', 'failing', 'dead']);

export const deliveryViewSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  event_id: z.string().describe('Also the webhook-id the receiver saw'),
  event_type: z.string(),
  subscription_id: z.string(),
  status: deliveryStatusSchema,
  attempts: z.number().describe('Attempts made in the current generation'),
  generation: z.number().describe('0 for the original attempt series, +1 per replay or manual retry'),
  last_status_code: z.number().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  delivered_at: z.string().nullable().describe('When it was recorded delivered; null unless status is delivered'),
  next_retry_at: z.string().nullable().describe('When the retry-scheduler sends its next attempt; null when none is scheduled'),
});
export type DeliveryView = z.infer<typeof deliveryViewSchema>;

export const deliveryAttemptViewSchema = attemptViewSchema.extend({
  request_headers: z.record(z.string(), z.string()).nullable().describe('As sent, with signatures and secrets redacted; null for a postponement or an attempt recorded before headers were kept'),
});
export type DeliveryAttemptView = z.infer<typeof deliveryAttemptViewSchema>;

export const retryAuditViewSchema = z.object({
  retry_id: z.string(),
  kind: z.enum(['replay', 'retry']),
  requested_by: z.string(),
  requested_at: z.string(),
  status: z.string(),
  generation: z.number().nullable(),
  sent_at: z.string().nullable(),
  reason: z.string().nullable(),
  detail: z.string().nullable(),
});
export type RetryAuditView = z.infer<typeof retryAuditViewSchema>;

export const deliveryDetailSchema = deliveryViewSchema.extend({
  attempt_history: z.array(deliveryAttemptViewSchema).describe('The latest 100 attempts, oldest first, across every generation'),
  retries: z.array(retryAuditViewSchema).describe('Manual retries and dead-letter replays, newest first'),
});
export type DeliveryDetail = z.infer<typeof deliveryDetailSchema>;

export const deliveryRetryViewSchema = retryAuditViewSchema.extend({
  delivery_id: z.string(),
  created: z.boolean().describe('False when the Idempotency-Key repeated an earlier request: nothing was sent again'),
});
export type DeliveryRetryView = z.infer<typeof deliveryRetryViewSchema>;

export const eventViewSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  type: z.string(),
  occurred_at: z.string(),
  received_at: z.string(),
  source: z.string(),
  data: z.unknown(),
});
export type EventView = z.infer<typeof eventViewSchema>;

/**
 * One item of a subscription's catch-up feed (`GET /v1/subscriptions/:id/events`): an event that
 * matched it, with where its delivery stands.
 */
export const feedItemSchema = z.object({
  cursor: z.string().describe('This item\'s place in the feed: pass it as `after` to read on from just after it'),
  event: z.object({
    id: z.string().describe('Also the webhook-id the receiver saw'),
    type: z.string(),
    occurred_at: z.string().nullable(),
    received_at: z.string().nullable(),
    ordering_key: z.string().nullable(),
    data: z.unknown().describe('The payload; null once retention has removed the event (see `expired`)'),
    expired: z.boolean().describe('True when the event is past its retention and only its id and type remain'),
  }),
  delivery: z.object({
    id: z.string(),
    status: deliveryStatusSchema,
    attempts: z.number(),
    last_status_code: z.number().nullable(),
    last_error: z.string().nullable(),
    matched_at: z.string().describe('When fan-out matched the event to the subscription, with the filters the subscription had then'),
  }),
});
export type FeedItem = z.infer<typeof feedItemSchema>;

export const feedPageSchema = z.object({
  data: z.array(feedItemSchema),
  next_cursor: z.string().describe('Always set: where the next read starts. With an empty page it is the `after` sent (or the start), so a poller keeps it and asks again'),
  has_more: z.boolean().describe('True when more items are readable now: read again at once rather than waiting'),
});
export type FeedPage = z.infer<typeof feedPageSchema>;

export const windowStatsSchema = z.object({
  attempts: z.number(),
  successes: z.number(),
  failures: z.number(),
  success_rate: z.number().nullable(),
  p50_ms: z.number().nullable().describe('From a fixed-bucket histogram: within one bucket width of the true value'),
  p95_ms: z.number().nullable(),
});

export const healthSeriesPointSchema = windowStatsSchema.extend({ start: z.string().describe('Where the minute or hour begins') });

export const endpointHealthViewSchema = z.object({
  subscription_id: z.string(),
  tenant_id: z.string(),
  last_hour: windowStatsSchema,
  last_day: windowStatsSchema,
  last_success_at: z.string().nullable(),
  last_failure: z
    .object({ at: z.string(), status_code: z.number().nullable(), error_class: z.string().nullable(), reason: z.string().nullable() })
    .nullable(),
  breaker: z.object({
    state: z.enum(['open', 'closed', 'unknown']).describe('As the dispatcher last recorded it: open while its latest news is a postponement by the host breaker'),
    last_opened_at: z.string().nullable(),
  }),
  pending_retries: z.number(),
  dead_letters: z.number().describe('Dead letters not replayed since they died'),
  series: z
    .object({
      minutes: z.array(healthSeriesPointSchema).describe('The last hour, a point per minute, oldest first; a quiet minute has 0 attempts'),
      hours: z.array(healthSeriesPointSchema).describe('The last day, a point per hour, oldest first'),
    })
    .describe('The same statistics over time, for charts'),
  as_of: z.string(),
});
export type EndpointHealthView = z.infer<typeof endpointHealthViewSchema>;
