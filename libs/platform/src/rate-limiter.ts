import { Inject, Injectable } from '@nestjs/common';
import { type Logger, LOGGER } from './logger.js';
import { Metrics } from './metrics.js';
import { RedisClient } from './redis.js';

/**
 * Token bucket in Redis: refills at `rate` tokens/s up to `burst`; Redis's own clock, so every
 * gateway replica shares one bucket per key.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or burst
local ts = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) / 1000 * rate)
local allowed = 0
local wait_ms = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait_ms = math.ceil((cost - tokens) / rate * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, wait_ms}
`;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface BucketLimit {
  ratePerSecond: number;
  burst: number;
}

/**
 * Rate limiting per bucket (an API key, a partner integration, a tenant's endpoint tests). It fails open: with Redis down,
 * ingestion goes on (metric + log).
 */
@Injectable()
export class RateLimiter {
  private readonly failOpen;
  private readonly limited;
  private lastLog = 0;

  constructor(
    private readonly redis: RedisClient,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.failOpen = metrics.counter('hookstream_rate_limit_fail_open_total', 'Requests let through because Redis could not decide');
    this.limited = metrics.counter('hookstream_rate_limited_total', 'Requests refused with 429');
  }

  async take(bucket: string, requested: number, limit: BucketLimit): Promise<RateDecision> {
    // A batch larger than the burst could never pass; it costs a full bucket instead.
    const cost = Math.min(requested, limit.burst);
    if (!this.redis.available) return this.open(new Error(`redis is ${this.redis.redis.status}`));
    try {
      const [allowed, waitMs] = (await this.redis.redis.eval(TAKE, 1, `hs:rate:${bucket}`, limit.ratePerSecond, limit.burst, cost)) as [number, number];
      if (allowed === 1) return { allowed: true };
      this.limited.inc();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    } catch (err) {
      return this.open(err);
    }
  }

  private open(err: unknown): RateDecision {
    this.failOpen.inc();
    const now = Date.now();
    if (now - this.lastLog >= 10_000) {
      this.lastLog = now;
      this.logger.warn({ err: (err as Error).message }, 'rate limiter unavailable; failing open');
    }
    return { allowed: true };
  }
}
