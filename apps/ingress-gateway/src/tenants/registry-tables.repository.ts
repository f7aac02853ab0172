import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A tenant's settings as the gateway reads them. */
export interface TenantSettingsRow {
  id: string;
  strict_event_types: boolean;
  max_event_bytes: number | null;
  rate_limit_per_second: number | null;
  rate_limit_burst: number | null;
}

export interface EventTypeSchemaRow {
  tenant_id: string;
  name: string;
  schema: Record<string, unknown> | null;
  updated_at: Date;
}

/**
 * The gateway's read model of tables the subscription-registry owns (tenants, event_types): the
 * only place the gateway reads them, with the columns its Postgres role is granted
 * (docs/architecture.md, "Ownership of tables"). Callers cache what they read.
 */
@Injectable()
export class RegistryTablesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  tenantSettings(tenantIds: readonly string[]): Promise<TenantSettingsRow[]> {
    return this.db.query('SELECT id, strict_event_types, max_event_bytes, rate_limit_per_second, rate_limit_burst FROM tenants WHERE id = ANY($1::text[])', [tenantIds]);
  }

  eventTypes(tenantIds: readonly string[]): Promise<EventTypeSchemaRow[]> {
    return this.db.query('SELECT tenant_id, name, schema, updated_at FROM event_types WHERE tenant_id = ANY($1::text[])', [tenantIds]);
  }
}
