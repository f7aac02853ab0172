import { Module } from '@nestjs/common';
import { QuotasModule } from '../quotas/quotas.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import { CurrentKeyController } from './current-key.controller.js';
import { KeyUsageWorker } from './key-usage.worker.js';

@Module({
  imports: [QuotasModule],
  controllers: [ApiKeysController, CurrentKeyController],
  providers: [ApiKeysRepository, ApiKeysService, KeyUsageWorker],
})
export class ApiKeysModule {}
