import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EventEnvelope, FieldError } from '@hookstream/contracts';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { DataSource } from 'typeorm';

interface TenantCatalog {
  strict: boolean;
  types: Map<string, { schema: Record<string, unknown> | null; updatedAt: number }>;
  until: number;
}

const TTL_MS = 5000;

/**
 * Enforces a tenant's strict event-type catalog at the door: unknown types are refused, and
 * `data` must satisfy the type's JSON Schema. Catalogs (read-only; the registry owns them) are
 * cached for 5 s, so a catalog change takes effect within that.
 */
@Injectable()
export class CatalogValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly catalogs = new Map<string, TenantCatalog>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Field errors per envelope index; an index absent from the map passed. */
  async validate(envelopes: readonly EventEnvelope[]): Promise<Map<number, FieldError[]>> {
    const out = new Map<number, FieldError[]>();
    const catalogs = await this.load([...new Set(envelopes.map((e) => e.tenant_id))]);
    envelopes.forEach((e, i) => {
      const catalog = catalogs.get(e.tenant_id);
      if (!catalog?.strict) return;
      const type = catalog.types.get(e.type);
      if (!type) {
        out.set(i, [{ path: 'type', message: `"${e.type}" is not in the tenant's event-type catalog (strict)` }]);
        return;
      }
      if (!type.schema) return;
      const validate = this.validator(e.tenant_id, e.type, type.updatedAt, type.schema);
      if (!validate(e.data)) {
        out.set(
          i,
          (validate.errors ?? []).map((err) => {
            // A missing property is reported on its parent; name the property itself.
            const missing = err.keyword === 'required' ? `.${String((err.params as { missingProperty?: string }).missingProperty)}` : '';
            return { path: `data${err.instancePath.replaceAll('/', '.')}${missing}`, message: err.message ?? 'does not match the schema' };
          }),
        );
      }
    });
    return out;
  }

  private validator(tenant: string, type: string, updatedAt: number, schema: Record<string, unknown>): ValidateFunction {
    const key = `${tenant}\u0000${type}\u0000${updatedAt}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(schema);
      if (this.compiled.size > 10_000) this.compiled.clear();
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private async load(tenants: string[]): Promise<Map<string, TenantCatalog>> {
    const now = Date.now();
    const stale = tenants.filter((t) => (this.catalogs.get(t)?.until ?? 0) <= now);
    if (stale.length) {
      const modes: { id: string; strict_event_types: boolean }[] = await this.db.query('SELECT id, strict_event_types FROM tenants WHERE id = ANY($1::text[])', [stale]);
      const strictTenants = modes.filter((m) => m.strict_event_types).map((m) => m.id);
      const types: { tenant_id: string; name: string; schema: Record<string, unknown> | null; updated_at: Date }[] = strictTenants.length
        ? await this.db.query('SELECT tenant_id, name, schema, updated_at FROM event_types WHERE tenant_id = ANY($1::text[])', [strictTenants])
        : [];
      for (const t of stale) {
        const catalog: TenantCatalog = { strict: strictTenants.includes(t), types: new Map(), until: now + TTL_MS };
        for (const row of types) if (row.tenant_id === t) catalog.types.set(row.name, { schema: row.schema, updatedAt: new Date(row.updated_at).getTime() });
        this.catalogs.set(t, catalog);
      }
    }
    return new Map(tenants.map((t) => [t, this.catalogs.get(t) as TenantCatalog]));
  }
}
