import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type BaseConfig } from './config.js';
import { HealthRegistry } from './health.js';
import { type Logger, LOGGER } from './logger.js';

/**
 * Redis is a fast path, never the only copy of anything: commands fail fast while it is down
 * (no offline queue) so callers can fall back instead of hanging, and an outage leaves the
 * service ready but degraded.
 */
@Injectable()
export class RedisClient implements OnModuleInit, OnModuleDestroy {
  readonly redis: Redis;

  constructor(
    @Inject(APP_CONFIG) config: BaseConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
  ) {
    this.redis = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    let down = false;
    this.redis.on('error', (err: Error) => {
      if (!down) this.logger.warn({ err: err.message }, 'redis unavailable');
      down = true;
    });
    this.redis.on('ready', () => {
      if (down) this.logger.info('redis available again');
      down = false;
    });
  }

  get available(): boolean {
    return this.redis.status === 'ready';
  }

  async onModuleInit(): Promise<void> {
    // Redis is a fast path: without it dedup falls back to Postgres and rate limits fail open.
    this.health.register(
      'redis',
      async () => {
        if (!this.available) throw new Error(`redis is ${this.redis.status}`);
        await this.redis.ping();
      },
      { critical: false },
    );
    try {
      await this.redis.connect();
    } catch (err) {
      // Boot continues: the client keeps reconnecting and readiness reports the outage.
      this.logger.warn({ err: (err as Error).message }, 'redis not reachable at boot');
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
