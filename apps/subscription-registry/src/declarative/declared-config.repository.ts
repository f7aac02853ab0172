import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The writes a declared configuration makes beyond the services' own: upserts keyed by what the file names. */
@Injectable()
export class DeclaredConfigRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async upsertTenant(tenantId: string, name: string, strictEventTypes: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO tenants (id, name, strict_event_types) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, strict_event_types = EXCLUDED.strict_event_types`,
      [tenantId, name, strictEventTypes],
    );
  }

  /** Creates the type or brings it to what is declared; an unchanged type keeps its updated_at (schemas cache on it). */
  async upsertEventType(tenantId: string, t: { name: string; description: string | null; schema: Record<string, unknown> | null; deprecated: boolean }): Promise<void> {
    await this.db.query(
      `INSERT INTO event_types (tenant_id, name, description, schema, deprecated) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, name) DO UPDATE SET description = EXCLUDED.description, schema = EXCLUDED.schema,
         deprecated = EXCLUDED.deprecated, updated_at = now()
       WHERE (event_types.description, event_types.schema, event_types.deprecated)
             IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.schema, EXCLUDED.deprecated)`,
      [tenantId, t.name, t.description, t.schema ? JSON.stringify(t.schema) : null, t.deprecated],
    );
  }

  /** The live subscription the file declares under `key`, if any. */
  async subscriptionIdByKey(tenantId: string, key: string): Promise<string | null> {
    const rows: { id: string }[] = await this.db.query('SELECT id FROM subscriptions WHERE tenant_id = $1 AND config_key = $2 AND deleted_at IS NULL', [tenantId, key]);
    return rows[0]?.id ?? null;
  }
}
