import { Module } from '@nestjs/common';
import { TenantSettings } from './tenant-settings.js';

@Module({
  providers: [TenantSettings],
  exports: [TenantSettings],
})
export class TenantsModule {}
