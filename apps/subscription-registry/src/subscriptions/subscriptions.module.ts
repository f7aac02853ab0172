import { Module } from '@nestjs/common';
import { ChangelogPublisher } from './changelog.publisher.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';

@Module({
  controllers: [SubscriptionsController],
  providers: [SubscriptionsRepository, SubscriptionsService, ChangelogPublisher],
})
export class SubscriptionsModule {}
