import { Injectable } from '@nestjs/common';
import type { EventEnvelope, FieldError } from '@hookstream/contracts';
import { SchemaCompiler } from '@hookstream/domain';
import { RegistryTablesRepository } from '../tenants/registry-tables.repository.js';
import { TenantSettings } from '../tenants/tenant-settings.js';

interface TenantTypes {
  types: Map<string, { schema: Record<string, unknown> | null; updatedAt: number }>;
  until: number;
}

const TTL_MS = 5000;

/**
 * Enforces a tenant's strict event-type catalog at the door: unknown types are refused, and
 * `data` must satisfy the type's JSON Schema. Catalogs (read-only; the registry owns them) are
 * cached for 5 s, like the tenant's mode, so a catalog change takes effect within that.
 */
@Injectable()
export class CatalogValidator {
  private readonly catalogs = new Map<string, TenantTypes>();
  /** Bounded LRU of compiled schemas, one namespace each; the registry's dry-run uses the same compiler. */
  private readonly schemas = new SchemaCompiler();

  constructor(
    private readonly registry: RegistryTablesRepository,
    private readonly tenants: TenantSettings,
  ) {}

  /** Field errors per envelope index; an index absent from the map passed. */
  async validate(envelopes: readonly EventEnvelope[]): Promise<Map<number, FieldError[]>> {
    const out = new Map<number, FieldError[]>();
    const catalogs = await this.load([...new Set(envelopes.map((e) => e.tenant_id))]);
    envelopes.forEach((e, i) => {
      const catalog = catalogs.get(e.tenant_id);
      if (!catalog) return;
      const type = catalog.types.get(e.type);
      if (!type) {
        out.set(i, [{ path: 'type', message: `"${e.type}" is not in the tenant's event-type catalog (strict)` }]);
        return;
      }
      if (!type.schema) return;
      const errors = this.schemas.check(e.tenant_id, e.type, type.updatedAt, type.schema, e.data);
      if (errors.length) out.set(i, errors);
    });
    return out;
  }

  /** The catalogs of the strict tenants among these; open tenants are absent. */
  private async load(tenantIds: string[]): Promise<Map<string, TenantTypes>> {
    const settings = await this.tenants.get(tenantIds);
    const strict = tenantIds.filter((t) => settings.get(t)?.strict);
    const now = Date.now();
    const stale = strict.filter((t) => (this.catalogs.get(t)?.until ?? 0) <= now);
    if (stale.length) {
      const types = await this.registry.eventTypes(stale);
      for (const t of stale) {
        const catalog: TenantTypes = { types: new Map(), until: now + TTL_MS };
        for (const row of types) if (row.tenant_id === t) catalog.types.set(row.name, { schema: row.schema, updatedAt: new Date(row.updated_at).getTime() });
        this.catalogs.set(t, catalog);
      }
    }
    return new Map(strict.map((t) => [t, this.catalogs.get(t) as TenantTypes]));
  }
}
