import { type SubscriptionSnapshot, subscriptionSnapshotSchema } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, type InvalidMessage, TopicConsumer } from '@hookstream/kafka';
import { Inject } from '@nestjs/common';
import { type Logger, LOGGER } from '@hookstream/platform';
import { SubscriptionIndexService } from './subscription-index.service.js';

/** Every dispatcher process reads the whole compacted changelog into its own index. */
@TopicConsumer({
  topic: 'subscriptions',
  groupId: 'dispatcher-index',
  groupPerInstance: true,
  fromBeginning: true,
  tombstones: true,
  schema: subscriptionSnapshotSchema,
})
export class SubscriptionsConsumer implements BatchHandler<SubscriptionSnapshot | null> {
  constructor(
    private readonly index: SubscriptionIndexService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  handleBatch(messages: ConsumedMessage<SubscriptionSnapshot | null>[], invalid: InvalidMessage[]): Promise<void> {
    for (const m of messages) this.index.apply(m.value, m.key);
    for (const m of invalid) this.logger.error({ key: m.key, offset: m.offset, errors: m.errors }, 'unreadable subscription snapshot skipped');
    const last = [...messages, ...invalid].reduce<{ partition: number; offset: string } | null>(
      (acc, m) => (acc === null || BigInt(m.offset) > BigInt(acc.offset) ? { partition: m.partition, offset: m.offset } : acc),
      null,
    );
    if (last) this.index.consumed(last.partition, last.offset);
    return Promise.resolve();
  }
}
