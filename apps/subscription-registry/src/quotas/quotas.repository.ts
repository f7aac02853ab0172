import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { execute, tenantQuotaOverrides } from '@hookstream/db';
import type { QuotaName } from '@hookstream/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_CATALOG } from '../event-types/system-catalog.js';

/** The quotas counted from a tenant's rows. */
export type CountedQuota = Extract<QuotaName, 'subscriptions' | 'event_types' | 'api_keys' | 'replay_jobs'>;

const SYSTEM_TYPES = SYSTEM_CATALOG.map((e) => e.name);

/** Hookstream's own event types are added by strict mode, not by the tenant: they do not count. */
const COUNTS: Record<CountedQuota, string> = {
  subscriptions: 'SELECT count(*)::int AS n FROM subscriptions WHERE tenant_id = $1 AND deleted_at IS NULL',
  event_types: 'SELECT count(*)::int AS n FROM event_types WHERE tenant_id = $1 AND name <> ALL($2::text[])',
  api_keys: 'SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = $1 AND revoked_at IS NULL',
  // Read-only: dlq-inspector owns replay_jobs and enforces this quota where jobs are created.
  replay_jobs: `SELECT count(*)::int AS n FROM replay_jobs WHERE tenant_id = $1 AND status IN ('queued', 'running')`,
};

@Injectable()
export class QuotasRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  overrides(tenantId: string, em: EntityManager = this.db.manager, lock = false): Promise<Record<string, unknown> | null> {
    return tenantQuotaOverrides(em, tenantId, lock);
  }

  /** Replaces the tenant's overrides; false when there is no such tenant. */
  async setOverrides(tenantId: string, overrides: Record<string, number>): Promise<boolean> {
    const n = await execute(this.db, 'UPDATE tenants SET quota_overrides = $2::jsonb WHERE id = $1', [tenantId, JSON.stringify(overrides)]);
    return n > 0;
  }

  async count(quota: CountedQuota, tenantId: string, em: EntityManager = this.db.manager): Promise<number> {
    const rows: { n: number }[] = await em.query(COUNTS[quota], quota === 'event_types' ? [tenantId, SYSTEM_TYPES] : [tenantId]);
    return rows[0]?.n ?? 0;
  }

  /** Secrets of a subscription that still sign, and when the first of them stops. */
  async activeSecrets(subscriptionId: string, em: EntityManager): Promise<{ n: number; nextExpiry: Date | null }> {
    const rows: { n: number; next_expiry: Date | null }[] = await em.query(
      `SELECT count(*)::int AS n, min(expires_at) AS next_expiry FROM subscription_secrets
        WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [subscriptionId],
    );
    return { n: rows[0]?.n ?? 0, nextExpiry: rows[0]?.next_expiry ?? null };
  }
}
