import { baseConfigSchema } from '@hookstream/platform';
import { z } from 'zod';

export const gatewayConfigSchema = baseConfigSchema
  .extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Largest event body accepted over HTTP. */
  MAX_EVENT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
  /** How long a finished event id stays in the Redis fast path (Postgres keeps it forever). */
  DEDUP_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  /** Persisted events not acknowledged by Kafka after this long are re-published. */
  OUTBOX_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
  /** Events per batch request, and the largest batch body. */
  MAX_BATCH_EVENTS: z.coerce.number().int().min(1).max(500).default(500),
  MAX_BATCH_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(8 * 1024 * 1024),
  /** Token bucket per API key: sustained events per second and burst. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0.1).default(1000),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(2000),
  /**
   * Crash tests only: `crash-after-persist` SIGKILLs the process between the events INSERT and
   * the Kafka publish, the window the outbox exists for. Refused in production.
   */
  FAULT_INJECTION: z.enum(['none', 'crash-after-persist']).default('none'),
  })
  .refine((c) => c.FAULT_INJECTION === 'none' || c.NODE_ENV !== 'production', {
    path: ['FAULT_INJECTION'],
    message: 'fault injection is refused when NODE_ENV=production',
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
