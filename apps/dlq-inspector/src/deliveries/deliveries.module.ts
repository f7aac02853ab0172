import { Module } from '@nestjs/common';
import { StatusStreamModule } from '../status-stream/status-stream.module.js';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveryHistoryRepository } from './delivery-history.repository.js';
import { DeliveriesService } from './deliveries.service.js';
import { EventHistoryController } from './event-history.controller.js';

/** Delivery history: every delivery and its attempts, events, manual retries, and the live stream. */
@Module({
  imports: [StatusStreamModule],
  controllers: [DeliveriesController, EventHistoryController],
  providers: [DeliveryHistoryRepository, DeliveriesService],
})
export class DeliveriesModule {}
