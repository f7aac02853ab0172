import { Module } from '@nestjs/common';
import { QuotasModule } from '../quotas/quotas.module.js';
import { EventTypesController } from './event-types.controller.js';
import { EventTypesService } from './event-types.service.js';

@Module({
  imports: [QuotasModule],
  controllers: [EventTypesController],
  providers: [EventTypesService],
  exports: [EventTypesService],
})
export class EventTypesModule {}
