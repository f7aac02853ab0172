import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@hookstream/platform';
import type { GatewayConfig } from '../config.js';
import { RegistryTablesRepository, type TenantSettingsRow } from './registry-tables.repository.js';

export interface IntakeLimits {
  /** Largest event accepted for the tenant, never above MAX_EVENT_BYTES_CEILING. */
  maxEventBytes: number;
  /** Token bucket per API key. */
  ratePerSecond: number;
  burst: number;
}

export interface TenantSettingsView {
  strict: boolean;
  limits: IntakeLimits;
}

const TTL_MS = 5000;
const MAX_CACHED = 10_000;

/**
 * What the gateway needs to know about a tenant at the door (the registry owns the table):
 * whether its catalog is strict, and its intake limits, each falling back to the gateway's env
 * default when the tenant has none. Cached for 5 s, so a change takes effect within that.
 * An unknown tenant gets the defaults.
 */
@Injectable()
export class TenantSettings {
  private readonly cache = new Map<string, { value: TenantSettingsView; until: number }>();

  constructor(
    private readonly registry: RegistryTablesRepository,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async get(tenantIds: readonly string[]): Promise<Map<string, TenantSettingsView>> {
    const now = Date.now();
    const wanted = [...new Set(tenantIds)];
    const stale = wanted.filter((t) => (this.cache.get(t)?.until ?? 0) <= now);
    if (stale.length) {
      const rows = await this.registry.tenantSettings(stale);
      const byId = new Map(rows.map((r) => [r.id, r]));
      if (this.cache.size + stale.length > MAX_CACHED) this.cache.clear();
      for (const t of stale) this.cache.set(t, { value: this.settings(byId.get(t)), until: now + TTL_MS });
    }
    return new Map(wanted.map((t) => [t, (this.cache.get(t) as { value: TenantSettingsView }).value]));
  }

  async one(tenantId: string): Promise<TenantSettingsView> {
    return (await this.get([tenantId])).get(tenantId) as TenantSettingsView;
  }

  /** For a request that names no tenant (it fails validation anyway), so the env defaults. */
  get defaults(): TenantSettingsView {
    return this.settings(undefined);
  }

  private settings(row: TenantSettingsRow | undefined): TenantSettingsView {
    const c = this.config;
    return {
      strict: row?.strict_event_types ?? false,
      limits: {
        maxEventBytes: Math.min(row?.max_event_bytes ?? c.MAX_EVENT_BYTES, c.MAX_EVENT_BYTES_CEILING),
        ratePerSecond: row?.rate_limit_per_second ?? c.RATE_LIMIT_PER_SECOND,
        burst: row?.rate_limit_burst ?? c.RATE_LIMIT_BURST,
      },
    };
  }
}
