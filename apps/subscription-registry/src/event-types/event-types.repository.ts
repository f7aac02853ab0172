import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { execute } from '@hookstream/db';
import type { DataSource, EntityManager } from 'typeorm';
import type { CreateEventTypeDto, UpdateEventTypeDto } from './event-types.dto.js';
import { SYSTEM_CATALOG } from './system-catalog.js';

export interface EventTypeRow {
  name: string;
  description: string | null;
  schema: Record<string, unknown> | null;
  deprecated: boolean;
  created_at: Date;
  updated_at: Date;
}

/** What the gateway's catalog check needs to know of one type for one tenant. */
export interface CatalogEntry {
  strict_event_types: boolean;
  schema: Record<string, unknown> | null;
  known: boolean;
  updated_at: Date | null;
}

const COLUMNS = 'name, description, schema, deprecated, created_at, updated_at';

/** event_types and the tenant's strict flag, owned by the registry; every query takes the tenant. */
@Injectable()
export class EventTypesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inside the tenant's quota slot; null if the tenant already has the type. */
  async insert(em: EntityManager, tenantId: string, dto: CreateEventTypeDto): Promise<EventTypeRow | null> {
    const rows: EventTypeRow[] = await em.query(
      `INSERT INTO event_types (tenant_id, name, description, schema, deprecated) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, name) DO NOTHING RETURNING ${COLUMNS}`,
      [tenantId, dto.name, dto.description ?? null, dto.schema ? JSON.stringify(dto.schema) : null, dto.deprecated ?? false],
    );
    return rows[0] ?? null;
  }

  /** Changes the fields present in `dto`; null if there is no such type. */
  async update(tenantId: string, name: string, dto: UpdateEventTypeDto): Promise<EventTypeRow | null> {
    const [rows]: [EventTypeRow[], number] = await this.db.query(
      `UPDATE event_types SET
         description = CASE WHEN $3::boolean THEN $4 ELSE description END,
         schema = CASE WHEN $5::boolean THEN $6::jsonb ELSE schema END,
         deprecated = COALESCE($7, deprecated),
         updated_at = now()
       WHERE tenant_id = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [tenantId, name, dto.description !== undefined, dto.description ?? null, dto.schema !== undefined, dto.schema ? JSON.stringify(dto.schema) : null, dto.deprecated ?? null],
    );
    return rows[0] ?? null;
  }

  async find(tenantId: string, name: string): Promise<EventTypeRow | null> {
    const rows: EventTypeRow[] = await this.db.query(`SELECT ${COLUMNS} FROM event_types WHERE tenant_id = $1 AND name = $2`, [tenantId, name]);
    return rows[0] ?? null;
  }

  /** A page in name order, after the cursor name. */
  async list(tenantId: string, q: { prefix: string | null; deprecated: boolean | null; after: string | null; limit: number }): Promise<EventTypeRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM event_types
        WHERE tenant_id = $1 AND ($2::text IS NULL OR starts_with(name, $2)) AND ($3::boolean IS NULL OR deprecated = $3)
          AND ($4::text IS NULL OR name > $4)
        ORDER BY name LIMIT $5`,
      [tenantId, q.prefix, q.deprecated, q.after, q.limit],
    );
  }

  /** False if there is no such tenant. */
  async setStrict(em: EntityManager, tenantId: string, strict: boolean): Promise<boolean> {
    return (await execute(em, 'UPDATE tenants SET strict_event_types = $2 WHERE id = $1', [tenantId, strict])) > 0;
  }

  /** Adds Hookstream's own event types (SYSTEM_CATALOG), keeping entries the tenant already has. */
  async insertSystemTypes(em: EntityManager, tenantId: string): Promise<void> {
    await em.query(
      `INSERT INTO event_types (tenant_id, name, description, schema)
       SELECT $1, e.name, e.description, e.schema FROM jsonb_to_recordset($2::jsonb) AS e(name text, description text, schema jsonb)
       ON CONFLICT (tenant_id, name) DO NOTHING`,
      [tenantId, JSON.stringify(SYSTEM_CATALOG)],
    );
  }

  async isStrict(tenantId: string): Promise<boolean> {
    const rows: { strict_event_types: boolean }[] = await this.db.query('SELECT strict_event_types FROM tenants WHERE id = $1', [tenantId]);
    return rows[0]?.strict_event_types ?? false;
  }

  async names(tenantId: string): Promise<string[]> {
    const rows: { name: string }[] = await this.db.query('SELECT name FROM event_types WHERE tenant_id = $1', [tenantId]);
    return rows.map((r) => r.name);
  }

  /** The tenant's mode and the type's schema; null if there is no such tenant. */
  async catalogEntry(tenantId: string, type: string): Promise<CatalogEntry | null> {
    const rows: CatalogEntry[] = await this.db.query(
      `SELECT t.strict_event_types, e.schema, e.name IS NOT NULL AS known, e.updated_at
         FROM tenants t LEFT JOIN event_types e ON e.tenant_id = t.id AND e.name = $2
        WHERE t.id = $1`,
      [tenantId, type],
    );
    return rows[0] ?? null;
  }
}
