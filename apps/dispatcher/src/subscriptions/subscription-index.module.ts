import { Module } from '@nestjs/common';
import { SubscriptionIndexService } from './subscription-index.service.js';
import { SubscriptionsConsumer } from './subscriptions.consumer.js';

@Module({
  providers: [SubscriptionIndexService, SubscriptionsConsumer],
  exports: [SubscriptionIndexService],
})
export class SubscriptionIndexModule {}
