import { DEFAULT_RETRY_DELAYS_SECONDS, parseDelayList, parseTenantWeights } from '@hookstream/domain';
import { retentionDaysSchema, retentionJobConfigShape } from '@hookstream/db';
import { baseConfigSchema, keyringSchema } from '@hookstream/platform';
import { senderConfigShape } from '@hookstream/webhook-http';
import { z } from 'zod';

const delayList = z.string().transform((spec, ctx) => {
  try {
    return parseDelayList(spec);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const tenantWeights = z.string().transform((spec, ctx) => {
  try {
    return parseTenantWeights(spec);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

export const dispatcherConfigSchema = baseConfigSchema.extend({
  /** The HTTP port (health, metrics and the service's API); each service has its own default. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /** Opens the signing secrets sealed on hookstream.subscriptions (the registry seals with the first). */
  CHANGELOG_SECRETS_KEYS: keyringSchema,
  ...senderConfigShape,
  /** Default delays before attempts 2, 3, …, as durations (`s`, `m`, `h`, `d`); a subscription may override. @default 5s,5m,30m,2h,5h,10h,10h */
  RETRY_DELAYS: delayList.default([...DEFAULT_RETRY_DELAYS_SECONDS]),
  /** The longest `Retry-After` of a 429 or 503 the dispatcher honours. */
  MAX_RETRY_AFTER_SECONDS: z.coerce.number().int().min(0).default(3600),
  /** A delivery older than this is dead-lettered instead of retried. */
  MAX_DELIVERY_AGE_HOURS: z.coerce.number().min(0.001).default(72),
  /** Days of per-minute endpoint health aggregates kept (health reads one; the rest serves "last success/failure"). */
  HEALTH_BUCKET_RETENTION_DAYS: z.coerce.number().int().min(2).max(400).default(8),
  /** Attempts in flight at once in this process, across all subscriptions. */
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(256),
  /** Attempts in flight at once per target origin; also the size of its keep-alive pool. */
  HOST_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  /**
   * How long a batch of hookstream.deliveries waits for its attempts before leasing the
   * unfinished ones in Postgres and committing, so a slow endpoint never holds its partition.
   */
  SEND_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(50),
  /** Deliveries held in memory (queued or in flight) before the consumer stops taking more. */
  MAX_HELD_DELIVERIES: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /**
   * Tenants' weights in the fair sharing of send slots and held deliveries, `tenant=weight,…`;
   * a tenant not listed weighs 1.
   */
  TENANT_WEIGHTS: tenantWeights.default(new Map<string, number>()),
  /**
   * Percent of SEND_CONCURRENCY and of MAX_HELD_DELIVERIES only tenants below their fair share
   * may use, so a tenant that arrives while another fills the rest (slow endpoints) starts at once.
   */
  FAIR_SHARE_RESERVE_PERCENT: z.coerce.number().min(0).max(50).default(10),
  /** A delivery its subscription's rate or concurrency limit, or its tenant's share of a full origin, would hold longer than this is deferred via hookstream.retries. */
  THROTTLE_HOLD_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /**
   * Defer a backlog waiting for a shared origin or its breaker's trial past THROTTLE_HOLD_MS,
   * instead of holding it. Off by default: under a saturated multi-tenant pipeline it deferred
   * deliveries up to 90 minutes ahead (bench, 2026-12-06); on, it bounds a hostile tenant's held
   * backlog (hostile_tenant p99 1,715 -> 251 ms).
   */
  DEFER_HOST_BACKLOG: z.enum(['true', 'false']).default('false'),
  /**
   * Added to each subscription's one-second rate window, for the jitter between our send and the
   * endpoint's clock (new connections, its own scheduling): the endpoint never counts more than
   * its limit in any second, at the cost of sending at most limit per (1 s + this).
   */
  RATE_LIMIT_MARGIN_MS: z.coerce.number().int().min(0).max(1000).default(100),
  /** How long a dispatcher's leases outlive its last heartbeat (sent every third of it): delivery leases through its row in dispatcher_owners, fan-out jobs through their own renewal. */
  LEASE_TTL_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** How often the dispatcher reads which tenants are disabled (tenants.enabled); a switch takes effect within this. */
  TENANT_STATE_REFRESH_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** A pending delivery of a disabled tenant comes back this often (no attempt spent, no row written) to see whether its tenant is enabled again. */
  TENANT_PAUSE_RECHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** How often the leases of dead dispatchers (their heartbeat expired) are looked for and re-driven, and parked fan-outs of re-enabled tenants resumed. */
  LEASE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /**
   * Ordered delivery: a key's head that has waited this long since its message was last produced
   * (a crash between recording its predecessor and producing it), or whose claimer died before
   * recording its attempt, is produced again by the release sweep (every LEASE_SWEEP_INTERVAL_MS).
   */
  ORDERED_RELEASE_AFTER_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Deliveries created per round of a fan-out; a large fan-out is interleaved with the other events of its batch. */
  FANOUT_CHUNK_SIZE: z.coerce.number().int().min(1).max(20_000).default(1000),
  /** Chunks of background fan-outs created at once by this process, tenants in turn (see LeasedJobPool). */
  FANOUT_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * Fan-out jobs resumed or held back (their tenant far above its fair share) that this process
   * keeps in memory, each with its event; the rest wait in fanout_jobs until it has room.
   */
  FANOUT_JOBS_MAX_HELD: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Breakers reported one by one (while not closed); the rest only in the per-state totals. */
  BREAKER_METRIC_MAX_HOSTS: z.coerce.number().int().min(0).max(10_000).default(100),
  /** How often consumer lag is read from the broker; 0 turns it off. */
  CONSUMER_LAG_INTERVAL_MS: z.coerce.number().int().min(0).default(15_000),
  /** Failure percentage over the breaker's window that opens it for a (tenant, origin). */
  BREAKER_ERROR_THRESHOLD_PERCENT: z.coerce.number().min(1).max(100).default(50),
  /** Attempts in the window before the breaker may open at all. */
  BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(1).default(10),
  /** How long an open breaker waits before one half-open trial request. */
  BREAKER_RESET_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /**
   * Deliveries of one subscription held in memory behind its tenant's open breaker, to go once
   * its half-open trial succeeds; more than this are postponed through hookstream.retries.
   * 0 postpones every one.
   */
  BREAKER_PARK_MAX_PER_SUBSCRIPTION: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  /** Breakers kept in memory (least recently used dropped first). */
  BREAKER_MAX_HOSTS: z.coerce.number().int().min(1).default(10_000),
  /** Days after today that always have a delivery_attempts partition (created at boot and hourly). */
  ATTEMPTS_PARTITIONS_AHEAD_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Days delivery attempts are kept, unless the tenant has its own retention_days. */
  RETENTION_DAYS: retentionDaysSchema(90),
  ...retentionJobConfigShape,
});

export type DispatcherConfig = z.infer<typeof dispatcherConfigSchema>;
