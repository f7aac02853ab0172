import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { KafkaProducer, type OutgoingMessage } from '@hookstream/kafka';
import { BackgroundWorker, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import { SecretSealer } from './secret-sealer.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

const PAGE = 500;
const IDLE_MS = 1000;

/**
 * Publishes committed subscription changes to the compacted `hookstream.subscriptions` topic:
 * the full snapshot (its signing secrets sealed) for a live row, a tombstone for a deleted one. Rows are claimed with
 * SKIP LOCKED, published, and marked in the same transaction, so replicas share the work and
 * a crash at any point leaves the change to be published again (the dispatcher keeps the
 * highest version it has seen, so a repeat is harmless).
 */
@Injectable()
export class ChangelogPublishWorker extends BackgroundWorker<number> {
  private readonly published;
  private readonly lag;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: SubscriptionsRepository,
    private readonly sealer: SecretSealer,
    private readonly producer: KafkaProducer,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    super(IDLE_MS, (err) => logger.error({ err }, 'publishing subscription changes failed; will retry'));
    this.published = metrics.counter('hookstream_subscription_changes_published_total', 'Subscription snapshots and tombstones published', ['kind']);
    this.lag = metrics.gauge('hookstream_subscription_changes_unpublished', 'Committed subscription changes not yet on the changelog');
  }

  /** Publishes what is pending now; requests call this after their commit. */
  flush(): Promise<number> {
    return this.runNow();
  }

  protected async work(): Promise<number> {
    const total = await this.drainPages(PAGE, (limit) =>
      this.db.transaction(async (em) => {
        const rows = await this.repo.claimUnpublished(em, limit);
        if (rows.length === 0) return 0;
        const live = await this.repo.snapshots(rows.filter((r) => !r.deleted).map((r) => r.id), em);
        // Signing secrets leave the process sealed for the dispatchers (CHANGELOG_SECRETS_KEYS).
        const messages: OutgoingMessage[] = [
          ...live.map((s) => ({ key: s.id, value: this.sealer.forChangelog(s) })),
          ...rows.filter((r) => r.deleted).map((r) => ({ key: r.id, value: null })),
        ];
        await this.producer.send('subscriptions', messages);
        await this.repo.markPublished(em, rows);
        this.published.inc({ kind: 'snapshot' }, live.length);
        this.published.inc({ kind: 'tombstone' }, messages.length - live.length);
        return rows.length;
      }),
    );
    this.lag.set(await this.repo.countUnpublished());
    return total;
  }
}
