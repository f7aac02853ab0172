import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { DeliveryStatusConsumer } from './delivery-status.consumer.js';
import { DisabledEventsPublishWorker } from './disabled-events-publish.worker.js';
import { EndpointHealthController } from './endpoint-health.controller.js';
import { EndpointHealthRepository } from './endpoint-health.repository.js';
import { EndpointHealthService } from './endpoint-health.service.js';
import { OrderingBacklogWorker } from './ordering-backlog.worker.js';

/** Auto-disable, 410 and ordered backlogs: the registry's reaction to how deliveries go. */
@Module({
  imports: [SubscriptionsModule],
  controllers: [EndpointHealthController],
  providers: [EndpointHealthRepository, EndpointHealthService, DisabledEventsPublishWorker, DeliveryStatusConsumer, OrderingBacklogWorker],
})
export class EndpointHealthModule {}
