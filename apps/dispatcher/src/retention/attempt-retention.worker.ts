import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DELIVERY_ATTEMPTS_TABLE, type RetentionSession, retentionJobOptions, RetentionWorker, type TableRetention } from '@hookstream/db';
import { retentionCutoffs } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import type { DispatcherConfig } from '../config.js';

/** pg_try_advisory_lock key of the dispatcher's retention job ("hs-retdp" in ASCII). */
export const ATTEMPT_RETENTION_LOCK_KEY = 0x68732d7265746470n;

/**
 * Retention of delivery_attempts: expired day partitions dropped (RETENTION_DAYS), a tenant's
 * shorter retention_days deleted in batches, and partitions still holding rows of a tenant with a
 * longer one kept until those expire too. One dispatcher replica runs it at a time.
 */
@Injectable()
export class AttemptRetentionWorker extends RetentionWorker {
  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    super(
      db,
      retentionJobOptions('dispatcher', ATTEMPT_RETENTION_LOCK_KEY, config),
      logger,
      metrics,
    );
  }

  protected async retain(session: RetentionSession, now: Date): Promise<TableRetention[]> {
    const cutoffs = retentionCutoffs(now, this.config.RETENTION_DAYS, await session.overrides());
    return [await session.partitions(DELIVERY_ATTEMPTS_TABLE, cutoffs)];
  }
}
