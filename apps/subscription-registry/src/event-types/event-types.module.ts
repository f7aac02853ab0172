import { Module } from '@nestjs/common';
import { QuotasModule } from '../quotas/quotas.module.js';
import { EventTypesController } from './event-types.controller.js';
import { EventTypesRepository } from './event-types.repository.js';
import { EventTypesService } from './event-types.service.js';

@Module({
  imports: [QuotasModule],
  controllers: [EventTypesController],
  providers: [EventTypesRepository, EventTypesService],
  exports: [EventTypesService],
})
export class EventTypesModule {}
