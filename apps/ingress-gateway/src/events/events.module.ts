import { Module } from '@nestjs/common';
import { TenantSettingsModule } from '../tenants/tenant-settings.module.js';
import { CatalogValidator } from './catalog.validator.js';
import { DedupStore } from './dedup.store.js';
import { EventAdmission } from './event-admission.service.js';
import { EventPartitionsWorker } from './event-partitions.worker.js';
import { EventRetentionWorker } from './event-retention.worker.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { IngestConsumer } from './ingest.consumer.js';
import { IntakeService } from './intake.service.js';
import { OutboxWorker } from './outbox.worker.js';
import { RateLimiter } from './rate-limiter.js';

@Module({
  imports: [TenantSettingsModule],
  controllers: [EventsController],
  providers: [CatalogValidator, DedupStore, EventAdmission, EventPartitionsWorker, EventRetentionWorker, EventsRepository, IntakeService, IngestConsumer, OutboxWorker, RateLimiter],
  // Partner callbacks go through the same admission; they also use the dedup store and limiter.
  exports: [DedupStore, EventAdmission, RateLimiter],
})
export class EventsModule {}
