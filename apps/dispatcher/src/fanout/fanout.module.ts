import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { FanoutConsumer } from './fanout.consumer.js';

@Module({
  imports: [SubscriptionsModule],
  providers: [DeliveriesRepository, FanoutConsumer],
})
export class FanoutModule {}
