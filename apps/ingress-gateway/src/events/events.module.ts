import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { CatalogValidator } from './catalog.validator.js';
import { DedupStore } from './dedup.store.js';
import { EventPartitions } from './event-partitions.js';
import { EventRetention } from './event-retention.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { IngestConsumer } from './ingest.consumer.js';
import { IntakeService } from './intake.service.js';
import { OutboxDrainer } from './outbox.drainer.js';
import { RateLimiter } from './rate-limiter.js';

@Module({
  imports: [TenantsModule],
  controllers: [EventsController],
  providers: [CatalogValidator, DedupStore, EventPartitions, EventRetention, EventsRepository, IntakeService, IngestConsumer, OutboxDrainer, RateLimiter],
  // The partner-callback feature feeds the same intake, with the same checks and limits.
  exports: [CatalogValidator, DedupStore, IntakeService, RateLimiter],
})
export class EventsModule {}
