import { Module } from '@nestjs/common';
import { TenantStatesRepository } from './tenant-states.repository.js';
import { TenantStatesWorker } from './tenant-states.worker.js';

/** Which tenants are switched off, for the fan-out and for sending. */
@Module({
  providers: [TenantStatesRepository, TenantStatesWorker],
  exports: [TenantStatesWorker],
})
export class TenantStatesModule {}
