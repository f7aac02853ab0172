import { Module } from '@nestjs/common';
import { ReplayJobsModule } from '../replay-jobs/replay-jobs.module.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { SubscriptionFeedController } from './subscription-feed.controller.js';
import { SubscriptionFeedRepository } from './subscription-feed.repository.js';
import { SubscriptionFeedService } from './subscription-feed.service.js';

/** A subscription's catch-up feed and recover (issue 19). */
@Module({
  imports: [ReplayJobsModule, SubscriptionsModule],
  controllers: [SubscriptionFeedController],
  providers: [SubscriptionFeedRepository, SubscriptionFeedService],
})
export class SubscriptionFeedModule {}
