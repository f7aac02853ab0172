import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { KafkaProducer } from '@hookstream/kafka';
import { BackgroundWorker, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import { EndpointHealthRepository } from './endpoint-health.repository.js';

const PAGE = 200;
const INTERVAL_MS = 2000;

/**
 * Publishes Hookstream's own subscription events (`subscription.disabled` and
 * `subscription.recovered`) from their outbox, subscription_disabled_events (named when it held
 * only the first), to `hookstream.ingest`, keyed by tenant, where the gateway accepts them like
 * any producer's events. Rows are claimed with SKIP LOCKED, published and marked in one
 * transaction: a crash in between publishes the event again under the same id, and the gateway
 * drops the repeat. Whoever queues one calls runNow() after its commit; the schedule catches what
 * a crash left behind.
 */
@Injectable()
export class DisabledEventsPublishWorker extends BackgroundWorker<number> {
  private readonly published;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: EndpointHealthRepository,
    private readonly producer: KafkaProducer,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    super(INTERVAL_MS, (err) => logger.error({ err }, 'publishing subscription.disabled events failed; will retry'));
    this.published = metrics.counter('hookstream_subscription_disabled_events_published_total', 'subscription.disabled and subscription.recovered events published to hookstream.ingest');
  }

  protected async work(): Promise<number> {
    const total = await this.drainPages(PAGE, (limit) =>
      this.db.transaction(async (em) => {
        const rows = await this.repo.claimUnpublishedEvents(em, limit);
        if (rows.length === 0) return 0;
        await this.producer.send('ingest', rows.map((r) => ({ key: r.tenant_id, value: r.envelope })));
        await this.repo.markEventsPublished(em, rows.map((r) => r.id));
        return rows.length;
      }),
    );
    this.published.inc(total);
    return total;
  }
}
