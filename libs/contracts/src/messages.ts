import { z } from 'zod';
import { snapshotAuthSchema } from './endpoint-auth.js';
import { eventIdSchema, eventTypeSchema, orderingKeySchema, tenantIdSchema } from './envelope.js';
import { int32Schema, isoTimestampSchema } from './storable.js';

/**
 * How deliveries are signed: Standard Webhooks HMAC (`standard`), Standard Webhooks ed25519,
 * `sha256=<hex HMAC of the body>` in a named header keyed by the whsec_ secret's bytes
 * (`legacy_sha256`), or keyed by the secret string itself (`legacy_sha256_raw`: what seed 004's
 * dispatcher did, `createHmac('sha256', secret)`, so its receivers verify unchanged).
 */
export const SIGNATURE_SCHEMES = ['standard', 'ed25519', 'legacy_sha256', 'legacy_sha256_raw'] as const;
export type SignatureSchemeName = (typeof SIGNATURE_SCHEMES)[number];

/** How a subscription orders its deliveries (libs/domain ordered-keys.ts). */
export const ORDERING_MODES = ['none', 'subscription', 'key'] as const;
/** What a dead letter does to the later events of its ordering key. */
export const DEAD_LETTER_POLICIES = ['skip', 'block'] as const;

/** Bumped when a message shape changes incompatibly; consumers reject versions they do not know. */
export const SCHEMA_VERSION = 1;

/** `hookstream.events`: an accepted, deduplicated, persisted event. */
export const eventMessageSchema = z.object({
  id: eventIdSchema,
  tenant_id: tenantIdSchema,
  type: eventTypeSchema,
  occurred_at: isoTimestampSchema,
  received_at: isoTimestampSchema,
  data: z.record(z.string(), z.unknown()),
  /** The envelope's ordering key; null when the publisher set none. */
  ordering_key: orderingKeySchema.nullish(),
});
export type EventMessage = z.infer<typeof eventMessageSchema>;

const maxAgeSeconds = z.number().int().min(60).max(14 * 24 * 3600).optional();
const delaySeconds = z.number().min(0).max(7 * 24 * 3600);

/**
 * How a subscription retries: an explicit schedule (delays before attempts 2, 3, …) or
 * exponential backoff (base·2^(n-1), capped, optionally with full jitter). Both take an attempt
 * budget and a maximum age after which the delivery is dead-lettered.
 */
export const retryPolicySchema = z.preprocess(
  // Policies stored before `kind` existed were schedules.
  (v) => (v && typeof v === 'object' && !('kind' in v) && 'delays_seconds' in v ? { ...v, kind: 'schedule' } : v),
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('schedule'),
      delays_seconds: z.array(delaySeconds).max(30),
      /** At most the schedule's length + 1 (the first attempt). */
      max_attempts: z.number().int().min(1).max(31).optional(),
      max_age_seconds: maxAgeSeconds,
    }),
    z.strictObject({
      kind: z.literal('exponential'),
      base_seconds: delaySeconds.refine((n) => n > 0, 'must be positive'),
      cap_seconds: delaySeconds.refine((n) => n > 0, 'must be positive'),
      jitter: z.enum(['full', 'none']).default('full'),
      max_attempts: z.number().int().min(1).max(50),
      max_age_seconds: maxAgeSeconds,
    }),
  ]),
);
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const signingSecretSchema = z.object({
  id: z.string(),
  /** whsec_ (HMAC) or whsk_ (ed25519 private key). */
  secret: z.string().regex(/^(whsec_|whsk_|hsx1\.)/),
  /** A rotated-out secret still signs until it expires, so receivers can switch over. */
  expires_at: isoTimestampSchema.nullable(),
});
export type SigningSecret = z.infer<typeof signingSecretSchema>;

/**
 * The bounds of batched delivery. One request carries at most `max_events` envelopes and at most
 * `max_bytes` of body (an envelope larger than that goes alone), and the first event waits at
 * most `max_wait_ms` for others to join it.
 */
export const BATCH_LIMITS = {
  max_events: { min: 1, max: 1000, default: 100 },
  max_bytes: { min: 1024, max: 4 * 1024 * 1024, default: 1024 * 1024 },
  max_wait_ms: { min: 0, max: 60_000, default: 1000 },
} as const;

export const batchSettingsSchema = z.object({
  max_events: int32Schema.min(BATCH_LIMITS.max_events.min).max(BATCH_LIMITS.max_events.max),
  max_bytes: int32Schema.min(BATCH_LIMITS.max_bytes.min).max(BATCH_LIMITS.max_bytes.max),
  max_wait_ms: int32Schema.min(BATCH_LIMITS.max_wait_ms.min).max(BATCH_LIMITS.max_wait_ms.max),
});
export type BatchSettings = z.infer<typeof batchSettingsSchema>;

/**
 * `hookstream.subscriptions`: the full current state of one subscription, keyed by its id.
 * The topic is compacted and a delete is a tombstone, so the latest value is all a reader needs.
 * Its signing secrets travel sealed (`hsx1.…`, CHANGELOG_SECRETS_KEYS; libs/domain signing-secret-seal.ts);
 * even so the topic should be readable by the registry and the dispatchers only.
 */
export const subscriptionSnapshotSchema = z.object({
  id: z.uuid(),
  tenant_id: tenantIdSchema,
  url: z.url(),
  // Fields added after schema version 1 shipped default, so older snapshots still read.
  name: z.string().nullable().default(null),
  description: z.string().nullable(),
  event_types: z.array(z.string()).min(1),
  excluded_event_types: z.array(z.string()).default([]),
  /** A payload filter (libs/domain payload-filter.ts); null: every event of its types. Dispatchers quarantine a snapshot whose filter they cannot compile. */
  filter: z.record(z.string(), z.unknown()).nullable().default(null),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable(),
  retry_policy: retryPolicySchema.nullable(),
  timeout_ms: z.number().int().min(1000).max(30_000),
  headers: z.record(z.string(), z.string()).default({}),
  metadata: z.record(z.string(), z.string()).default({}),
  rate_limit_per_second: int32Schema.positive().nullable().default(null),
  max_concurrency: int32Schema.positive().nullable().default(null),
  signature_scheme: z.enum(SIGNATURE_SCHEMES).default('standard'),
  signature_header: z.string().nullable().default(null),
  /** The operator's egress proxy (EGRESS_PROXIES) its requests leave through, by name; null: the default. */
  egress_proxy: z.string().nullable().default(null),
  secrets: z.array(signingSecretSchema).min(1),
  /** How the dispatcher authenticates to the endpoint (endpoint-auth.ts); null: signing only. */
  auth: snapshotAuthSchema.nullable().default(null),
  /** Ordered delivery (docs/adr/0009): none, all events in one order, or per envelope ordering_key. */
  ordering: z.enum(ORDERING_MODES).default('none'),
  /** Whether a dead letter lets its ordering key move on (`skip`) or stops it until replayed or skipped. */
  on_dead_letter: z.enum(DEAD_LETTER_POLICIES).default('skip'),
  /** Entries held behind their keys' heads past which the subscription is paused. */
  ordering_backlog_max: int32Schema.positive().default(10_000),
  /** Batched delivery (docs/guides/batching.md): several events in one signed request; null: one event per request. */
  batch: batchSettingsSchema.nullable().default(null),
  version: int32Schema.min(1),
  updated_at: isoTimestampSchema,
});
export type SubscriptionSnapshot = z.infer<typeof subscriptionSnapshotSchema>;

/** Why a message is on hookstream.deliveries; `throttle`: deferred by the subscription's own rate or concurrency limit. */
export const deliveryOriginSchema = z.enum(['fanout', 'retry', 'replay', 'breaker', 'throttle']);
export type DeliveryOrigin = z.infer<typeof deliveryOriginSchema>;

/** `hookstream.deliveries`: one attempt to make. `body` is sent byte for byte on every attempt. */
export const deliveryMessageSchema = z.object({
  delivery_id: z.uuid(),
  tenant_id: tenantIdSchema,
  subscription_id: z.uuid(),
  event_id: eventIdSchema,
  event_type: eventTypeSchema,
  attempt: int32Schema.min(1),
  /**
   * Starts at 0 and grows by one with every manual replay or retry of the delivery, whose
   * attempts then count from 1 again. (generation, attempt) names one planned HTTP attempt, so
   * the dispatcher can recognise a message it has already acted on (a redelivery after a
   * crash) and not send it twice.
   */
  generation: int32Schema.min(0).default(0),
  body: z.string(),
  origin: deliveryOriginSchema,
  /** When the first attempt was planned; bounds the total retry age. */
  first_attempt_at: isoTimestampSchema,
  /**
   * Set when the delivery is ordered (its subscription orders by key, or all in one order: ''):
   * an attempt is made only once the dispatcher has claimed the key's head for it (docs/adr/0009).
   */
  ordering_key: z.string().max(256).nullish(),
  /**
   * Set on the planned attempts of a batch that failed (its retries, postponements and lease
   * re-drives): the batch's id, which is its requests' webhook-id, and how many deliveries it
   * holds. The dispatcher sends them together again, and only together (docs/guides/batching.md).
   * `expires_at` is the batch's age limit (its oldest member's): every member carries it, so a
   * member that comes back apart from the others is still judged by the batch's limit, never by
   * its own, and the batch is dead-lettered whole or not at all.
   */
  batch: z.object({ id: z.uuid(), size: int32Schema.min(1).max(BATCH_LIMITS.max_events.max), expires_at: isoTimestampSchema.optional() }).nullish(),
});
export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;

export const errorClassSchema = z.enum([
  'http_status',
  /** The endpoint answered 410 Gone: the registry disables the subscription on seeing this. */
  'gone',
  'timeout',
  'connection',
  'dns',
  /** The TLS handshake failed for another reason than the certificate (protocol, cipher, reset mid-handshake). */
  'tls',
  /** The endpoint's certificate was refused: expired or not yet valid, for another host, or from an untrusted CA. */
  'certificate',
  /** No OAuth 2.0 token for the endpoint: its token URL failed, refused the client, or answered no token. Nothing was sent to the endpoint. */
  'auth_token',
  'ssrf_refused',
  'invalid_url',
  /** The egress proxy (EGRESS_PROXY_URL) was down or refused the tunnel: our egress, not the endpoint. */
  'egress_proxy',
  'breaker_open',
  /** Deferred, without spending an attempt, by the subscription's own rate or concurrency limit. */
  'throttled',
  /** Held, without spending an attempt, because its tenant is disabled (tenants.enabled). */
  'tenant_disabled',
  'subscription_missing',
  'subscription_disabled',
  'unknown',
]);
export type ErrorClass = z.infer<typeof errorClassSchema>;

export const attemptFailureSchema = z.object({
  error_class: errorClassSchema,
  status_code: int32Schema.nullable(),
  message: z.string(),
});
export type AttemptFailure = z.infer<typeof attemptFailureSchema>;

/** `hookstream.retries`: a failed (or postponed) attempt and when to make the next one. */
export const retryMessageSchema = z.object({
  delivery: deliveryMessageSchema,
  due_at: isoTimestampSchema,
  failure: attemptFailureSchema,
  /** When set, the retry-scheduler dead-letters instead of re-sending past this time. */
  expires_at: isoTimestampSchema.nullable(),
});
export type RetryMessage = z.infer<typeof retryMessageSchema>;

/** `hookstream.dlq`: a delivery that will not be attempted again without a replay. */
export const deadLetterMessageSchema = z.object({
  delivery: deliveryMessageSchema,
  reason: z.string(),
  failure: attemptFailureSchema,
  attempts: int32Schema.min(0),
  dead_at: isoTimestampSchema,
});
export type DeadLetterMessage = z.infer<typeof deadLetterMessageSchema>;

export const deliveryOutcomeSchema = z.enum(['delivered', 'retry_scheduled', 'dead_lettered', 'postponed']);
export type DeliveryOutcome = z.infer<typeof deliveryOutcomeSchema>;

/** `hookstream.delivery-status`: one message per attempt outcome, for live views. */
export const deliveryStatusMessageSchema = z.object({
  delivery_id: z.uuid(),
  tenant_id: tenantIdSchema,
  subscription_id: z.uuid(),
  event_id: eventIdSchema,
  attempt: int32Schema.min(1),
  outcome: deliveryOutcomeSchema,
  status_code: int32Schema.nullable(),
  error_class: errorClassSchema.nullable(),
  duration_ms: int32Schema.min(0).nullable(),
  at: isoTimestampSchema,
});
export type DeliveryStatusMessage = z.infer<typeof deliveryStatusMessageSchema>;

// `hookstream.ingest.rejected` is ingest's quarantine topic: the refused message as it was, with
// the reason in QUARANTINE_HEADERS (topics.ts), like every `<topic>.quarantine`.
