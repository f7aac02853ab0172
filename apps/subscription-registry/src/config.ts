import { parseDelayList } from '@hookstream/domain';
import { baseConfigSchema, keyringSchema, quotaConfigShape } from '@hookstream/platform';
import { senderConfigShape } from '@hookstream/webhook-http';
import { z } from 'zod';

/** One duration such as `5d`, `12h` or `30s`, in milliseconds. */
const durationMs = z.string().transform((spec, ctx) => {
  let parts: number[] = [];
  try {
    parts = parseDelayList(spec);
  } catch {
    // reported below
  }
  const [seconds] = parts;
  if (parts.length === 1 && seconds !== undefined && seconds > 0) return seconds * 1000;
  ctx.addIssue({ code: 'custom', message: 'must be one positive duration such as 5d, 12h or 30s' });
  return z.NEVER;
});

export const registryConfigSchema = baseConfigSchema.extend({
  /** The HTTP port (health, metrics and the service's API); each service has its own default. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Seals signing secrets in Postgres (subscription_secrets); the registry's alone. */
  SUBSCRIPTION_SECRETS_KEYS: keyringSchema,
  /** Seals signing secrets on hookstream.subscriptions; the registry and the dispatchers hold it. */
  CHANGELOG_SECRETS_KEYS: keyringSchema,
  /** How often legacy or stale-key secrets are (re-)sealed and expired ones purged (also at boot). */
  SECRET_MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  // The endpoint test sends as the dispatchers do: the same client, timeouts and trusted CAs.
  ...senderConfigShape,
  /** The largest max_event_bytes a tenant may be given; the gateway reads the same variable. */
  MAX_EVENT_BYTES_CEILING: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(1024 * 1024),
  /** A YAML file of tenants, event types and subscriptions applied (idempotently) at boot. */
  DECLARATIVE_CONFIG_FILE: z.string().optional(),
  /** A subscription whose attempts have all failed for this long (a duration such as `36h`) is disabled (reason auto_disabled). @default 5d */
  AUTO_DISABLE_AFTER: durationMs.default(5 * 86_400_000),
  /** How often ordered subscriptions' held events are counted against their ordering_backlog_max; one past it is disabled (reason ordering_backlog). */
  ORDERING_BACKLOG_CHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /**
   * Crash tests only: `crash-after-disable` SIGKILLs the process after a disablement commits and
   * before its `subscription.disabled` event is published, the window the outbox exists for.
   * Refused in production.
   */
  FAULT_INJECTION: z.enum(['none', 'crash-after-disable']).default('none'),
  /** Per-tenant quota defaults; dlq-inspector reads QUOTA_REPLAY_JOBS too (set it alike on both). */
  ...quotaConfigShape,
}).refine((c) => c.FAULT_INJECTION === 'none' || c.NODE_ENV !== 'production', {
  path: ['FAULT_INJECTION'],
  message: 'fault injection is refused when NODE_ENV=production',
});

export type RegistryConfig = z.infer<typeof registryConfigSchema>;
