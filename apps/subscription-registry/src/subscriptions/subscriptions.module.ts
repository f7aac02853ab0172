import { Module } from '@nestjs/common';
import { ChangelogRelay } from './changelog.relay.js';
import { EndpointTestService } from './endpoint-test.service.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';

@Module({
  controllers: [SubscriptionsController],
  providers: [SubscriptionsRepository, SubscriptionsService, ChangelogRelay, EndpointTestService],
})
export class SubscriptionsModule {}
