import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FieldError } from '@hookstream/contracts';
import { DomainError, SchemaCompiler } from '@hookstream/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { QuotasService } from '../quotas/quotas.service.js';
import type { CreateEventTypeDto, UpdateEventTypeDto } from './event-types.dto.js';
import { type EventTypeRow, EventTypesRepository } from './event-types.repository.js';

export interface EventTypeView {
  name: string;
  description: string | null;
  schema: Record<string, unknown> | null;
  deprecated: boolean;
  created_at: string;
  updated_at: string;
}


@Injectable()
export class EventTypesService {
  /** The gateway's compiler: registration refuses what the gateway could not run. */
  private readonly schemas = new SchemaCompiler();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: EventTypesRepository,
    private readonly quotas: QuotasService,
  ) {}

  async create(tenantId: string, dto: CreateEventTypeDto): Promise<EventTypeView> {
    this.checkSchema(dto.schema);
    // The insert runs under the tenant's quota slot (row lock, count, then insert).
    const row = await this.quotas.withSlot(tenantId, 'event_types', (em) => this.repo.insert(em, tenantId, dto));
    if (!row) throw new DomainError('conflict', `event type ${dto.name} already exists`);
    return view(row);
  }

  async update(tenantId: string, name: string, dto: UpdateEventTypeDto): Promise<EventTypeView> {
    if (dto.schema) this.checkSchema(dto.schema);
    const row = await this.repo.update(tenantId, name, dto);
    if (!row) throw new DomainError('not_found', `no event type ${name}`);
    return view(row);
  }

  async get(tenantId: string, name: string): Promise<EventTypeView> {
    const row = await this.repo.find(tenantId, name);
    if (!row) throw new DomainError('not_found', `no event type ${name}`);
    return view(row);
  }

  async list(tenantId: string, q: { prefix?: string | undefined; deprecated?: boolean | undefined; limit: number; cursor?: string | undefined }): Promise<{ data: EventTypeView[]; next_cursor: string | null }> {
    const after = q.cursor ? Buffer.from(q.cursor, 'base64url').toString('utf8') : null;
    const rows = await this.repo.list(tenantId, { prefix: q.prefix ?? null, deprecated: q.deprecated ?? null, after, limit: q.limit });
    const last = rows[rows.length - 1];
    return { data: rows.map(view), next_cursor: rows.length === q.limit && last ? Buffer.from(last.name).toString('base64url') : null };
  }

  /** Turning strict mode on also registers Hookstream's own event types (SYSTEM_CATALOG), unless the tenant has them. */
  async setStrict(tenantId: string, strict: boolean): Promise<{ tenant_id: string; strict_event_types: boolean }> {
    await this.db.transaction(async (em) => {
      if (!(await this.repo.setStrict(em, tenantId, strict))) throw new DomainError('not_found', `no tenant ${tenantId}`);
      if (strict) await this.registerSystemTypes(tenantId, em);
    });
    return { tenant_id: tenantId, strict_event_types: strict };
  }

  /** Adds Hookstream's own event types to the tenant's catalog, keeping entries it already has. */
  async registerSystemTypes(tenantId: string, em: EntityManager = this.db.manager): Promise<void> {
    await this.repo.insertSystemTypes(em, tenantId);
  }

  /**
   * In strict mode a subscription's filters must name known types: an exact filter must exist,
   * a prefix must cover at least one known type; `*` is always fine.
   */
  async checkFilters(tenantId: string, filters: readonly string[]): Promise<void> {
    if (!(await this.repo.isStrict(tenantId))) return;
    const known = new Set(await this.repo.names(tenantId));
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
    const row = await this.repo.catalogEntry(tenantId, type);
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

function view(r: EventTypeRow): EventTypeView {
  return {
    name: r.name,
    description: r.description,
    schema: r.schema,
    deprecated: r.deprecated,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}
