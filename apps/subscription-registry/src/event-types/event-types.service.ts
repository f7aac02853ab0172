import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FieldError } from '@hookstream/contracts';
import { DomainError, SchemaCompiler } from '@hookstream/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { QuotasService } from '../quotas/quotas.service.js';
import type { CreateEventTypeDto, UpdateEventTypeDto } from './event-types.dto.js';
import { SYSTEM_CATALOG } from './system-catalog.js';

export interface EventTypeView {
  name: string;
  description: string | null;
  schema: Record<string, unknown> | null;
  deprecated: boolean;
  created_at: string;
  updated_at: string;
}

interface Row {
  name: string;
  description: string | null;
  schema: Record<string, unknown> | null;
  deprecated: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'name, description, schema, deprecated, created_at, updated_at';

@Injectable()
export class EventTypesService {
  /** The gateway's compiler: registration refuses what the gateway could not run. */
  private readonly schemas = new SchemaCompiler();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly quotas: QuotasService,
  ) {}

  async create(tenantId: string, dto: CreateEventTypeDto): Promise<EventTypeView> {
    this.checkSchema(dto.schema);
    // The insert runs under the tenant's quota slot (row lock, count, then insert).
    const rows: Row[] = await this.quotas.withSlot(tenantId, 'event_types', (em) => em.query(
      `INSERT INTO event_types (tenant_id, name, description, schema, deprecated) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, name) DO NOTHING RETURNING ${COLUMNS}`,
      [tenantId, dto.name, dto.description ?? null, dto.schema ? JSON.stringify(dto.schema) : null, dto.deprecated ?? false],
    ));
    if (!rows[0]) throw new DomainError('conflict', `event type ${dto.name} already exists`);
    return view(rows[0]);
  }

  async update(tenantId: string, name: string, dto: UpdateEventTypeDto): Promise<EventTypeView> {
    if (dto.schema) this.checkSchema(dto.schema);
    const [rows]: [Row[], number] = await this.db.query(
      `UPDATE event_types SET
         description = CASE WHEN $3::boolean THEN $4 ELSE description END,
         schema = CASE WHEN $5::boolean THEN $6::jsonb ELSE schema END,
         deprecated = COALESCE($7, deprecated),
         updated_at = now()
       WHERE tenant_id = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [tenantId, name, dto.description !== undefined, dto.description ?? null, dto.schema !== undefined, dto.schema ? JSON.stringify(dto.schema) : null, dto.deprecated ?? null],
    );
    if (!rows[0]) throw new DomainError('not_found', `no event type ${name}`);
    return view(rows[0]);
  }

  async get(tenantId: string, name: string): Promise<EventTypeView> {
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM event_types WHERE tenant_id = $1 AND name = $2`, [tenantId, name]);
    if (!rows[0]) throw new DomainError('not_found', `no event type ${name}`);
    return view(rows[0]);
  }

  async list(tenantId: string, q: { prefix?: string | undefined; deprecated?: boolean | undefined; limit: number; cursor?: string | undefined }): Promise<{ data: EventTypeView[]; next_cursor: string | null }> {
    const after = q.cursor ? Buffer.from(q.cursor, 'base64url').toString('utf8') : null;
    const rows: Row[] = await this.db.query(
      `SELECT ${COLUMNS} FROM event_types
        WHERE tenant_id = $1 AND ($2::text IS NULL OR starts_with(name, $2)) AND ($3::boolean IS NULL OR deprecated = $3)
          AND ($4::text IS NULL OR name > $4)
        ORDER BY name LIMIT $5`,
      [tenantId, q.prefix ?? null, q.deprecated ?? null, after, q.limit],
    );
    const last = rows[rows.length - 1];
    return { data: rows.map(view), next_cursor: rows.length === q.limit && last ? Buffer.from(last.name).toString('base64url') : null };
  }

  /** Turning strict mode on also registers Hookstream's own event types (SYSTEM_CATALOG), unless the tenant has them. */
  async setStrict(tenantId: string, strict: boolean): Promise<{ tenant_id: string; strict_event_types: boolean }> {
    await this.db.transaction(async (em) => {
      const [, n]: [unknown[], number] = await em.query('UPDATE tenants SET strict_event_types = $2 WHERE id = $1', [tenantId, strict]);
      if (n === 0) throw new DomainError('not_found', `no tenant ${tenantId}`);
      if (strict) await this.registerSystemTypes(tenantId, em);
    });
    return { tenant_id: tenantId, strict_event_types: strict };
  }

  /** Adds Hookstream's own event types to the tenant's catalog, keeping entries it already has. */
  async registerSystemTypes(tenantId: string, em: EntityManager = this.db.manager): Promise<void> {
    await em.query(
      `INSERT INTO event_types (tenant_id, name, description, schema)
       SELECT $1, e.name, e.description, e.schema FROM jsonb_to_recordset($2::jsonb) AS e(name text, description text, schema jsonb)
       ON CONFLICT (tenant_id, name) DO NOTHING`,
      [tenantId, JSON.stringify(SYSTEM_CATALOG)],
    );
  }

  /**
   * In strict mode a subscription's filters must name known types: an exact filter must exist,
   * a prefix must cover at least one known type; `*` is always fine.
   */
  async checkFilters(tenantId: string, filters: readonly string[]): Promise<void> {
    const strict: { strict_event_types: boolean }[] = await this.db.query('SELECT strict_event_types FROM tenants WHERE id = $1', [tenantId]);
    if (!strict[0]?.strict_event_types) return;
    const names: { name: string }[] = await this.db.query('SELECT name FROM event_types WHERE tenant_id = $1', [tenantId]);
    const known = new Set(names.map((r) => r.name));
    const problems = filters.flatMap((f, i) => {
      if (f === '*') return [];
      const ok = f.endsWith('.*') ? [...known].some((k) => k.startsWith(f.slice(0, -1))) : known.has(f);
      return ok ? [] : [{ path: `event_types.${i}`, message: `"${f}" names no known event type (the catalog is strict)` }];
    });
    if (problems.length) throw new DomainError('validation_failed', 'unknown event types in a strict catalog', problems);
  }

  /**
   * What the gateway's catalog check would say of an event of this type (and this data, when
   * given): in strict mode an unknown type is refused and `data` must satisfy the type's schema.
   */
  async admits(tenantId: string, type: string, data?: Record<string, unknown>): Promise<FieldError[]> {
    const rows: { strict_event_types: boolean; schema: Record<string, unknown> | null; known: boolean; updated_at: Date | null }[] = await this.db.query(
      `SELECT t.strict_event_types, e.schema, e.name IS NOT NULL AS known, e.updated_at
         FROM tenants t LEFT JOIN event_types e ON e.tenant_id = t.id AND e.name = $2
        WHERE t.id = $1`,
      [tenantId, type],
    );
    const row = rows[0];
    if (!row) throw new DomainError('not_found', `no tenant ${tenantId}`);
    if (!row.strict_event_types) return [];
    if (!row.known) return [{ path: 'type', message: `"${type}" is not in the tenant's event-type catalog (strict)` }];
    if (!row.schema || data === undefined) return [];
    return this.schemas.check(tenantId, type, new Date(row.updated_at ?? 0).getTime(), row.schema, data);
  }

  /** Refuses, naming the schema path, what the gateway could not compile or run in bounded time. */
  private checkSchema(schema: Record<string, unknown> | null | undefined): void {
    if (!schema) return;
    const compiled = this.schemas.compile(schema);
    if (!compiled.ok) throw new DomainError('validation_failed', 'the schema is not accepted (limits, RE2 patterns, local $refs only)', compiled.errors);
  }
}

function view(r: Row): EventTypeView {
  return {
    name: r.name,
    description: r.description,
    schema: r.schema,
    deprecated: r.deprecated,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}
