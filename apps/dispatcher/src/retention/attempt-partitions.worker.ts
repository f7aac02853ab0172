import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DailyPartitionsWorker, DELIVERY_ATTEMPTS_TABLE } from '@hookstream/db';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import type { DispatcherConfig } from '../config.js';

/**
 * Keeps delivery_attempts partitioned by day ahead of time (ATTEMPTS_PARTITIONS_AHEAD_DAYS), and
 * moves rows out of delivery_attempts_default into partitions for their day: that is where the
 * rows from before partitioning (migration 0010) land first.
 */
@Injectable()
export class AttemptPartitionsWorker extends DailyPartitionsWorker {
  constructor(@InjectDataSource() db: DataSource, @Inject(APP_CONFIG) config: DispatcherConfig, @Inject(LOGGER) logger: Logger, metrics: Metrics) {
    super(db, DELIVERY_ATTEMPTS_TABLE, config.ATTEMPTS_PARTITIONS_AHEAD_DAYS, logger, metrics);
  }
}
