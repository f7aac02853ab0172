import { Module } from '@nestjs/common';
import { CatalogValidator } from './catalog.validator.js';
import { DedupStore } from './dedup.store.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { IngestConsumer } from './ingest.consumer.js';
import { IntakeService } from './intake.service.js';
import { OutboxDrainer } from './outbox.drainer.js';
import { RateLimiter } from './rate-limiter.js';

@Module({
  controllers: [EventsController],
  providers: [CatalogValidator, DedupStore, EventsRepository, IntakeService, IngestConsumer, OutboxDrainer, RateLimiter],
})
export class EventsModule {}
