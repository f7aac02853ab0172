import { Module } from '@nestjs/common';
import { SubscriptionIndexModule } from '../subscriptions/subscription-index.module.js';
import { OrderedEntriesRepository } from './ordered-entries.repository.js';
import { OrderedReleaseWorker } from './ordered-release.worker.js';

/** Ordered delivery's state (ordered_entries) and the sweep that keeps every key moving (docs/adr/0009). */
@Module({
  imports: [SubscriptionIndexModule],
  providers: [OrderedEntriesRepository, OrderedReleaseWorker],
  exports: [OrderedEntriesRepository],
})
export class OrderingModule {}
