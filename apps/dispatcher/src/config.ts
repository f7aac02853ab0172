import { DEFAULT_RETRY_DELAYS_SECONDS, parseDelayList } from '@hookstream/domain';
import { baseConfigSchema, csvSchema } from '@hookstream/platform';
import { z } from 'zod';

const delayList = z.string().transform((spec, ctx) => {
  try {
    return parseDelayList(spec);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

export const dispatcherConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /** Hosts that may resolve to private or loopback addresses (local receivers); empty in production. */
  DELIVERY_ALLOWLIST_HOSTS: csvSchema.default([]),
  /** Default delays before attempts 2, 3, …, e.g. `5s,5m,30m,2h,5h,10h,10h`; a subscription may override. */
  RETRY_DELAYS: delayList.default([...DEFAULT_RETRY_DELAYS_SECONDS]),
  MAX_RETRY_AFTER_SECONDS: z.coerce.number().int().min(0).default(3600),
  /** A delivery older than this is dead-lettered instead of retried. */
  MAX_DELIVERY_AGE_HOURS: z.coerce.number().min(0.001).default(72),
  CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5000),
  /** Attempts in flight at once in this process, across all subscriptions. */
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(256),
  BREAKER_ERROR_THRESHOLD_PERCENT: z.coerce.number().min(1).max(100).default(50),
  BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(1).default(10),
  BREAKER_RESET_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  BREAKER_MAX_HOSTS: z.coerce.number().int().min(1).default(10_000),
});

export type DispatcherConfig = z.infer<typeof dispatcherConfigSchema>;
