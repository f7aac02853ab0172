import { Module } from '@nestjs/common';
import { StatusStreamModule } from '../status-stream/status-stream.module.js';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveriesService } from './deliveries.service.js';
import { EventsController } from './events.controller.js';

/** Delivery history: every delivery and its attempts, events, manual retries, and the live stream. */
@Module({
  imports: [StatusStreamModule],
  controllers: [DeliveriesController, EventsController],
  providers: [DeliveriesRepository, DeliveriesService],
})
export class DeliveriesModule {}
