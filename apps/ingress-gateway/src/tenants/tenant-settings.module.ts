import { Module } from '@nestjs/common';
import { RegistryTablesRepository } from './registry-tables.repository.js';
import { TenantSettings } from './tenant-settings.js';

@Module({
  providers: [RegistryTablesRepository, TenantSettings],
  exports: [RegistryTablesRepository, TenantSettings],
})
export class TenantSettingsModule {}
