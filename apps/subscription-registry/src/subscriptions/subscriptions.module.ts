import { Module } from '@nestjs/common';
import { EventTypesModule } from '../event-types/event-types.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { ChangelogPublishWorker } from './changelog-publish.worker.js';
import { EndpointTestService } from './endpoint-test.service.js';
import { MatchService } from './match.service.js';
import { SecretMaintenanceWorker } from './secret-maintenance.worker.js';
import { SecretSealer } from './secret-sealer.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';

@Module({
  imports: [EventTypesModule, QuotasModule],
  controllers: [SubscriptionsController],
  providers: [SubscriptionsRepository, SubscriptionsService, ChangelogPublishWorker, EndpointTestService, MatchService, SecretSealer, SecretMaintenanceWorker],
  exports: [SubscriptionsRepository, SubscriptionsService, ChangelogPublishWorker],
})
export class SubscriptionsModule {}
