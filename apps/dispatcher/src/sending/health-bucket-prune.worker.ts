import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BackgroundWorker, type Logger, LOGGER } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { EndpointHealthBucketsRepository } from './endpoint-health-buckets.repository.js';

const INTERVAL_MS = 3600_000;
const PAGE = 10_000;
const MINUTES_KEPT_MS = 2 * 86_400_000;

/**
 * Keeps endpoint_health_buckets rolling: at boot and hourly, deletes minute buckets older than
 * two days and hour buckets older than HEALTH_BUCKET_RETENTION_DAYS, a page at a time so no
 * statement holds many row locks. Endpoint health reads an hour of minutes and a day of hours;
 * the rest of the retention lets "last success" and "last failure" reach back that far. Every
 * replica may run it at once: a row deleted twice is deleted once.
 */
@Injectable()
export class HealthBucketPruneWorker extends BackgroundWorker<number> {
  constructor(
    private readonly buckets: EndpointHealthBucketsRepository,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(INTERVAL_MS, (err) => logger.error({ err }, 'pruning endpoint health buckets failed; retrying at the next tick'));
  }

  protected async work(): Promise<number> {
    const now = Date.now();
    return (await this.prune('minute', new Date(now - MINUTES_KEPT_MS))) + (await this.prune('hour', new Date(now - this.config.HEALTH_BUCKET_RETENTION_DAYS * 86_400_000)));
  }

  private prune(span: 'minute' | 'hour', before: Date): Promise<number> {
    return this.drainPages(PAGE, (limit) => this.buckets.prune(span, before, limit));
  }
}
