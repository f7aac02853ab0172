import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { DeliveryStatusConsumer } from './delivery-status.consumer.js';
import { DisabledEventsPublishWorker } from './disabled-events-publish.worker.js';
import { EndpointHealthController } from './endpoint-health.controller.js';
import { EndpointHealthRepository } from './endpoint-health.repository.js';
import { EndpointHealthService } from './endpoint-health.service.js';

/** Auto-disable and 410: the registry's reaction to delivery outcomes. */
@Module({
  imports: [SubscriptionsModule],
  controllers: [EndpointHealthController],
  providers: [EndpointHealthRepository, EndpointHealthService, DisabledEventsPublishWorker, DeliveryStatusConsumer],
})
export class EndpointHealthModule {}
