import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { dailyPartitionName, DailyPartitionsWorker, EVENTS_TABLE } from '@hookstream/db';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config.js';

/** `events_p20261122`: one UTC day, [2026-11-22, 2026-11-23). Retention drops these by name. */
export function partitionName(day: Date): string {
  return dailyPartitionName(EVENTS_TABLE.table, day);
}

/**
 * Keeps `events` partitioned by day ahead of time: at boot and hourly, today and the next
 * EVENTS_PARTITIONS_AHEAD_DAYS days get partitions, and stray rows in events_default move into a
 * partition for their day. Safe on any number of replicas (libs/db ensureDailyPartitions).
 */
@Injectable()
export class EventPartitionsWorker extends DailyPartitionsWorker {
  constructor(@InjectDataSource() db: DataSource, @Inject(APP_CONFIG) config: GatewayConfig, @Inject(LOGGER) logger: Logger, metrics: Metrics) {
    super(db, EVENTS_TABLE, config.EVENTS_PARTITIONS_AHEAD_DAYS, logger, metrics);
  }
}
