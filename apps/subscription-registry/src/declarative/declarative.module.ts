import { Module } from '@nestjs/common';
import { EventTypesModule } from '../event-types/event-types.module.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { ConfigApplier } from './config-applier.service.js';
import { DeclaredConfigRepository } from './declared-config.repository.js';

@Module({
  imports: [SubscriptionsModule, EventTypesModule],
  providers: [ConfigApplier, DeclaredConfigRepository],
})
export class DeclarativeModule {}
