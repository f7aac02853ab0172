import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type Logger, LOGGER, Metrics, RedisClient } from '@hookstream/platform';
import type { GatewayConfig } from '../config.js';

export type ClaimState = 'claimed' | 'done' | 'in_progress' | 'unknown';

const PENDING_TTL_SECONDS = 30;

/**
 * The Redis fast path in front of a Postgres unique key (event_keys; incoming_webhooks for
 * partner callbacks). A key is first claimed as `pending` (SET NX, short TTL, so a crashed
 * request releases it) and set to `done` once the event is persisted and published. Redis
 * never decides alone that an event is new: the Postgres insert does. When Redis is down every
 * id is `unknown` and Postgres decides.
 */
@Injectable()
export class DedupStore {
  private readonly fallbacks;
  private readonly ttl: number;
  private lastLog = 0;

  constructor(
    private readonly redis: RedisClient,
    @Inject(APP_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.ttl = config.DEDUP_TTL_SECONDS;
    this.fallbacks = metrics.counter('hookstream_dedup_redis_fallback_total', 'Dedup decisions left to Postgres because Redis failed');
  }

  static key(tenantId: string, eventId: string): string {
    return `hs:dedup:${tenantId}:${eventId}`;
  }

  /** A partner callback's event, by the provider's id for it. */
  static incomingKey(integrationId: string, providerEventId: string): string {
    return `hs:dedup-incoming:${integrationId}:${providerEventId}`;
  }

  async claim(keys: readonly string[]): Promise<ClaimState[]> {
    if (keys.length === 0) return [];
    if (!this.redis.available) return this.fallback(keys.length, new Error(`redis is ${this.redis.redis.status}`));
    try {
      const pipe = this.redis.redis.pipeline();
      for (const k of keys) pipe.set(k, 'pending', 'EX', PENDING_TTL_SECONDS, 'NX', 'GET');
      const results = (await pipe.exec()) ?? [];
      const states = keys.map((_, i): ClaimState => {
        const [err, value] = results[i] ?? [new Error('no reply'), null];
        if (err) return 'unknown';
        if (value === null) return 'claimed';
        return value === 'done' ? 'done' : 'in_progress';
      });
      const unknown = states.filter((s) => s === 'unknown').length;
      if (unknown) this.noteFallback(unknown, new Error('redis answered with errors'));
      return states;
    } catch (err) {
      return this.fallback(keys.length, err);
    }
  }

  async markDone(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      const pipe = this.redis.redis.pipeline();
      for (const k of keys) pipe.set(k, 'done', 'EX', this.ttl);
      await pipe.exec();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not mark events done in redis');
    }
  }

  /** Gives claims back after a failure so the producer's retry is not taken for a duplicate. */
  async release(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      await this.redis.redis.del(...keys);
    } catch {
      // The claims expire on their own within PENDING_TTL_SECONDS.
    }
  }

  private fallback(n: number, err: unknown): ClaimState[] {
    this.noteFallback(n, err);
    return new Array<ClaimState>(n).fill('unknown');
  }

  /** Counts every fallback; logs at most every 10 s so an outage does not flood the logs. */
  private noteFallback(n: number, err: unknown): void {
    this.fallbacks.inc(n);
    const now = Date.now();
    if (now - this.lastLog < 10_000) return;
    this.lastLog = now;
    this.logger.warn({ err: (err as Error).message }, 'redis dedup unavailable; postgres decides duplicates');
  }
}
