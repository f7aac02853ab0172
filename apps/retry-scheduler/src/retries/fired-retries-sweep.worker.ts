import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BackgroundWorker, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { SchedulerConfig } from '../config.js';
import { ScheduledRetriesRepository } from './scheduled-retries.repository.js';

const PAGE = 5000;

/**
 * Removes the tombstones of retries fired longer ago than the retention, a page at a time (replicas
 * share pages with SKIP LOCKED), and refreshes the pending gauge: counting pending rows costs in
 * proportion to what is pending, so it stays off the firing path.
 */
@Injectable()
export class FiredRetriesSweepWorker extends BackgroundWorker<number> {
  private readonly swept;
  private readonly pending;

  constructor(
    private readonly repo: ScheduledRetriesRepository,
    @Inject(APP_CONFIG) private readonly config: SchedulerConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    super(config.SWEEP_INTERVAL_MS, (err) => logger.error({ err }, 'sweeping fired retries failed'));
    this.swept = metrics.counter('hookstream_retry_tombstones_swept_total', 'Fired-retry tombstones removed after the retention');
    this.pending = metrics.gauge('hookstream_retries_pending', 'Retries waiting in Postgres');
  }

  protected async work(): Promise<number> {
    const total = await this.drainPages(PAGE, (limit) => this.repo.sweepFired(this.config.FIRED_RETRY_RETENTION_HOURS * 3600, limit));
    this.swept.inc(total);
    this.pending.set(await this.repo.pendingCount());
    return total;
  }
}
