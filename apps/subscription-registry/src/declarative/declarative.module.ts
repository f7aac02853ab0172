import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { ConfigApplier } from './config-applier.service.js';

@Module({
  imports: [SubscriptionsModule],
  providers: [ConfigApplier],
})
export class DeclarativeModule {}
