import { parseAddressRanges, parseKeyring } from '@hookstream/domain';
import { retentionDaysSchema, retentionJobConfigShape } from '@hookstream/db';
import { baseConfigSchema, csvSchema } from '@hookstream/platform';
import { z } from 'zod';

export const gatewayConfigSchema = baseConfigSchema
  .extend({
  /** The HTTP port (health, metrics and the service's API); each service has its own default. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Largest event a tenant may send, unless the tenant has its own limit. */
  MAX_EVENT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
  /** The largest per-tenant limit honoured; also the HTTP body parser's limit for single events. */
  MAX_EVENT_BYTES_CEILING: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(1024 * 1024),
  /** How long a finished event id stays in the Redis fast path (Postgres keeps it forever). */
  DEDUP_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  /** Persisted events not acknowledged by Kafka after this long are re-published. */
  OUTBOX_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** How often the outbox and callback recovery look for work a request left behind. */
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
  /** Days after today that always have an events partition (created at boot and hourly). */
  EVENTS_PARTITIONS_AHEAD_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Days events (and their dedup keys) are kept, unless the tenant has its own retention_days. */
  RETENTION_DAYS: retentionDaysSchema(90),
  /** Days partner callbacks keep their content; the audit row itself is never deleted. */
  AUDIT_RETENTION_DAYS: retentionDaysSchema(365),
  ...retentionJobConfigShape,
  /** Events per batch request, and the largest batch body. */
  MAX_BATCH_EVENTS: z.coerce.number().int().min(1).max(500).default(500),
  /** The largest `POST /v1/events/batch` body. */
  MAX_BATCH_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(8 * 1024 * 1024),
  /** Token bucket per API key (sustained events per second, and burst), unless the tenant has its own. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0.1).default(1000),
  /** Burst of the token bucket per API key, unless the tenant has its own; fails open without Redis. */
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(2000),
  /**
   * Keys that seal integration secrets (AES-256-GCM): `id:base64(32 bytes)[,id:…]`. The first
   * seals, all open; at boot, secrets sealed with a later key are re-sealed with the first.
   * Without it, integrations cannot be created and existing ones answer 503.
   */
  INTEGRATION_SECRETS_KEYS: z
    .string()
    .optional()
    .transform((spec, ctx) => {
      if (spec === undefined) return null;
      const parsed = parseKeyring(spec);
      if (parsed.ok) return parsed.keys;
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }),
  /**
   * Proxies (CIDRs or addresses) whose X-Forwarded-For is believed when judging a callback's
   * source address (PayFast's allowlist). Empty: the header is ignored.
   */
  TRUST_PROXY: csvSchema.default([]).transform((entries, ctx) => {
    const parsed = parseAddressRanges(entries);
    if (parsed.ok) return parsed.ranges;
    ctx.addIssue({ code: 'custom', message: `"${parsed.invalid}" is not an IP address or CIDR range` });
    return z.NEVER;
  }),
  /** Token buckets per integration: verified callbacks, and (far smaller) ones that fail verification. */
  INCOMING_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0.1).default(100),
  /** Burst of verified partner callbacks per integration. */
  INCOMING_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(500),
  /** Refused (unverified) callbacks per second per integration: a flood of forgeries is neither stored without bound nor able to starve genuine ones. */
  INCOMING_UNVERIFIED_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0.01).default(2),
  /** Burst of refused callbacks per integration. */
  INCOMING_UNVERIFIED_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(20),
  /**
   * Largest partner callback body read (the route is public, so this is all an unauthenticated
   * caller can make the gateway buffer); the integration's tenant limit still applies after it.
   */
  INCOMING_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(1024 * 1024),
  /** A verified callback still pending after this long (its request died or failed) is published by the gateway itself. */
  INCOMING_RECOVERY_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * Crash tests only: `crash-after-persist` SIGKILLs the process between the events INSERT and
   * the Kafka publish, the window the outbox exists for. Refused in production.
   */
  FAULT_INJECTION: z.enum(['none', 'crash-after-persist']).default('none'),
  })
  .refine((c) => c.MAX_EVENT_BYTES <= c.MAX_EVENT_BYTES_CEILING, {
    path: ['MAX_EVENT_BYTES'],
    message: 'must not exceed MAX_EVENT_BYTES_CEILING',
  })
  .refine((c) => c.FAULT_INJECTION === 'none' || c.NODE_ENV !== 'production', {
    path: ['FAULT_INJECTION'],
    message: 'fault injection is refused when NODE_ENV=production',
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
