import { Module } from '@nestjs/common';
import { EventTypesModule } from '../event-types/event-types.module.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { ConfigApplier } from './config-applier.service.js';

@Module({
  imports: [SubscriptionsModule, EventTypesModule],
  providers: [ConfigApplier],
})
export class DeclarativeModule {}
