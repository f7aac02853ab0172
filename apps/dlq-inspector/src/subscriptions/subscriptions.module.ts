import { Module } from '@nestjs/common';
import { SubscriptionsRepository } from './subscriptions.repository.js';

/** Subscription lookups shared by the replay jobs and the catch-up feed. */
@Module({
  providers: [SubscriptionsRepository],
  exports: [SubscriptionsRepository],
})
export class SubscriptionsModule {}
