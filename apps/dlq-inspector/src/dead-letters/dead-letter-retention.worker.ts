import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { emptyRetention, type RetentionSession, retentionJobOptions, RetentionWorker, type TableRetention } from '@hookstream/db';
import { daysBefore } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import type { InspectorConfig } from '../config.js';

/** pg_try_advisory_lock key of the dlq-inspector's retention job ("hs-retdl" in ASCII). */
const LOCK_KEY = 0x68732d726574646cn;

/**
 * Dead letters outlive the attempts that led to them (DEAD_LETTER_RETENTION_DAYS, 365 by
 * default): past it they are deleted in batches. The replays audit is kept.
 */
@Injectable()
export class DeadLetterRetentionWorker extends RetentionWorker {
  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(APP_CONFIG) private readonly config: InspectorConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    super(
      db,
      retentionJobOptions('dlq-inspector', LOCK_KEY, config),
      logger,
      metrics,
    );
  }

  protected async retain(session: RetentionSession, now: Date): Promise<TableRetention[]> {
    const report = emptyRetention('dead_letters');
    await session.deleteWhere('dead_letters', 'dead_at < $1', [daysBefore(now, this.config.DEAD_LETTER_RETENTION_DAYS)], report);
    return [report];
  }
}
