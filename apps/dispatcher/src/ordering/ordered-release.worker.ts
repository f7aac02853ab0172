import { Inject, Injectable } from '@nestjs/common';
import { KafkaProducer } from '@hookstream/kafka';
import { APP_CONFIG, BackgroundWorker, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';
import { OrderedEntriesRepository } from './ordered-entries.repository.js';

const PAGE = 500;

/**
 * Produces again what ordered delivery would otherwise wait for forever (docs/adr/0009): a key's
 * head whose message was lost between the commit that released it and its produce, and an
 * attempt whose claimer died before recording it (its Kafka message, redelivered while the
 * claimer still looked alive, was dropped by the claim). Both are found by age in Postgres, so
 * any dispatcher may run it; rows are taken with SKIP LOCKED. A message produced twice is
 * harmless: the claim lets one attempt through.
 */
@Injectable()
export class OrderedReleaseWorker extends BackgroundWorker<number> {
  private readonly released;

  constructor(
    private readonly repo: OrderedEntriesRepository,
    private readonly index: SubscriptionIndexService,
    private readonly producer: KafkaProducer,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    super(config.LEASE_SWEEP_INTERVAL_MS, (err) => logger.error({ err }, 'sweeping ordered heads failed; trying again next interval'));
    this.released = metrics.counter('hookstream_ordered_heads_reproduced_total', 'Heads of ordering keys whose delivery message was produced again by the release sweep');
  }

  protected work(): Promise<number> {
    // Before the changelog is read, which subscriptions block on dead letters is unknown.
    if (!this.index.caughtUp) return Promise.resolve(0);
    const subs = [...this.index.index.values()];
    const blocking = subs.filter((s) => s.on_dead_letter === 'block').map((s) => s.id);
    // A paused subscription's heads wait where they are; they go once it is enabled again.
    const paused = subs.filter((s) => !s.enabled).map((s) => s.id);
    return this.drainPages(PAGE, async (limit) => {
      const heads = await this.repo.sweep(this.config.ORDERED_RELEASE_AFTER_MS, limit, blocking, paused);
      if (heads.length === 0) return 0;
      await this.producer.send('deliveries', heads.map((h) => ({ key: h.message.subscription_id, value: h.message, traceparent: h.traceparent })));
      this.released.inc(heads.length);
      this.logger.info({ count: heads.length }, 'produced ordered heads again');
      return heads.length;
    });
  }
}
