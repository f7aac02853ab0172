import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SubscriptionSnapshot } from '@hookstream/contracts';
import { KafkaProducer } from '@hookstream/kafka';
import { type Logger, LOGGER } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import { SubscriptionsRepository } from './subscriptions.repository.js';

/**
 * Publishes each subscription's full state to the compacted changelog. A publish that fails
 * after the row committed is repaired by the full republish at boot: the dispatcher keeps the
 * highest version it has seen, so republishing is harmless.
 */
@Injectable()
export class ChangelogPublisher implements OnApplicationBootstrap {
  constructor(
    private readonly producer: KafkaProducer,
    private readonly repo: SubscriptionsRepository,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async publish(snapshot: SubscriptionSnapshot): Promise<void> {
    await this.producer.send('subscriptions', [{ key: snapshot.id, value: snapshot }]);
  }

  async tombstone(id: string): Promise<void> {
    await this.producer.send('subscriptions', [{ key: id, value: null }]);
  }

  async onApplicationBootstrap(): Promise<void> {
    let published = 0;
    for await (const page of this.repo.allSnapshots(500)) {
      await this.producer.send('subscriptions', page.map((s) => ({ key: s.id, value: s })));
      published += page.length;
    }
    const deleted: { id: string }[] = await this.db.query('SELECT id FROM subscriptions WHERE deleted_at IS NOT NULL');
    if (deleted.length) await this.producer.send('subscriptions', deleted.map((d) => ({ key: d.id, value: null })));
    this.logger.info({ published, tombstones: deleted.length }, 'subscription changelog reconciled');
  }
}
