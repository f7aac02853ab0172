import { Module } from '@nestjs/common';
import { SendingModule } from '../sending/sending.module.js';
import { SubscriptionIndexModule } from '../subscriptions/subscription-index.module.js';
import { TenantStatesModule } from '../tenant-states/tenant-states.module.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { FanoutEmitter } from './fanout-emitter.js';
import { FanoutJobsRepository } from './fanout-jobs.repository.js';
import { FanoutJobsWorker } from './fanout-jobs.worker.js';
import { FanoutConsumer } from './fanout.consumer.js';

@Module({
  imports: [SubscriptionIndexModule, TenantStatesModule, SendingModule],
  providers: [DeliveriesRepository, FanoutEmitter, FanoutJobsRepository, FanoutJobsWorker, FanoutConsumer],
})
export class FanoutModule {}
