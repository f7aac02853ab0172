import { type SubscriptionSnapshot, subscriptionSnapshotSchema } from '@hookstream/contracts';
import { type BatchContext, type BatchHandler, type ConsumedMessage, TopicConsumer } from '@hookstream/kafka';
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
  constructor(private readonly index: SubscriptionIndexService) {}

  handleBatch(messages: ConsumedMessage<SubscriptionSnapshot | null>[], ctx: BatchContext): Promise<void> {
    for (const m of messages) this.index.apply(m.value, m.key);
    // The whole fetched batch counts toward catching up, its quarantined snapshots included.
    this.index.consumed(ctx.batch.partition, ctx.batch.lastOffset);
    return Promise.resolve();
  }
}
