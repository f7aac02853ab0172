import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { emptyRetention, EVENTS_TABLE, type RetentionSession, retentionJobOptions, RetentionWorker, type TableRetention } from '@hookstream/db';
import { daysBefore, retentionCutoffs } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config.js';

/** pg_try_advisory_lock key of the gateway's retention job ("hs-retgw" in ASCII). */
const LOCK_KEY = 0x68732d7265746777n;

/**
 * Retention of the gateway's tables. events: expired day partitions dropped (RETENTION_DAYS, or a
 * tenant's retention_days), and event_keys with them, so an id past retention may be accepted
 * again. incoming_webhooks is an audit trail that is never deleted: past AUDIT_RETENTION_DAYS the
 * content of settled rows (payload, raw body, signature, source address) is scrubbed, and the
 * verdict (status, failure reason), provider, ids and timestamps stay.
 */
@Injectable()
export class EventRetentionWorker extends RetentionWorker {
  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    super(
      db,
      retentionJobOptions('gateway', LOCK_KEY, config),
      logger,
      metrics,
    );
  }

  protected async retain(session: RetentionSession, now: Date): Promise<TableRetention[]> {
    const cutoffs = retentionCutoffs(now, this.config.RETENTION_DAYS, await session.overrides());
    const events = await session.partitions(EVENTS_TABLE, cutoffs);
    const keys = await session.tenantRows('event_keys', 'received_at', cutoffs);
    const audit = emptyRetention('incoming_webhooks');
    // Pending rows are still re-driven from their payload; they are scrubbed once settled.
    await session.updateWhere(
      'incoming_webhooks',
      'payload = NULL, raw_body = NULL, signature = NULL, source_ip = NULL, scrubbed_at = now()',
      `scrubbed_at IS NULL AND received_at < $1 AND status <> 'pending'`,
      [daysBefore(now, this.config.AUDIT_RETENTION_DAYS)],
      audit,
    );
    return [events, keys, audit];
  }
}
