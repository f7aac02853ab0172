import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { TenantSettingsModule } from '../tenants/tenant-settings.module.js';
import { CallbackRecoveryWorker } from './callback-recovery.worker.js';
import { CallbacksController } from './callbacks.controller.js';
import { CallbacksService } from './callbacks.service.js';
import { IncomingWebhooksRepository } from './incoming-webhooks.repository.js';
import { IntegrationsController } from './integrations.controller.js';
import { IntegrationsRepository } from './integrations.repository.js';
import { IntegrationsService } from './integrations.service.js';

/** Partner callbacks: integrations (provider, sealed secrets, settings), verification, and the audit trail. */
@Module({
  imports: [EventsModule, TenantSettingsModule],
  controllers: [CallbacksController, IntegrationsController],
  providers: [CallbackRecoveryWorker, CallbacksService, IncomingWebhooksRepository, IntegrationsRepository, IntegrationsService],
})
export class IncomingModule {}
