import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RetryPolicy, SubscriptionSnapshot } from '@hookstream/contracts';
import type { DataSource, EntityManager } from 'typeorm';

interface Row {
  id: string;
  tenant_id: string;
  url: string;
  name: string | null;
  description: string | null;
  event_types: string[];
  excluded_event_types: string[];
  config_key: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  retry_policy: RetryPolicy | null;
  timeout_ms: number;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  rate_limit_per_second: number | null;
  max_concurrency: number | null;
  signature_scheme: 'standard' | 'ed25519' | 'legacy_sha256';
  signature_header: string | null;
  version: number;
  updated_at: Date;
  created_at: Date;
  secrets: { id: string; secret: string; expires_at: string | null }[];
}

const SELECT = `
  SELECT s.id, s.tenant_id, s.url, s.name, s.description, s.event_types, s.excluded_event_types, s.config_key, s.enabled, s.disabled_reason,
         s.retry_policy, s.timeout_ms, s.headers, s.metadata, s.rate_limit_per_second, s.max_concurrency,
         s.signature_scheme, s.signature_header, s.version, s.updated_at, s.created_at,
         COALESCE((SELECT json_agg(json_build_object('id', k.id, 'secret', k.secret, 'expires_at', k.expires_at) ORDER BY k.created_at DESC)
                     FROM subscription_secrets k
                    WHERE k.subscription_id = s.id AND (k.expires_at IS NULL OR k.expires_at > now())), '[]') AS secrets
    FROM subscriptions s`;

export type RoutingFields = Pick<SubscriptionSnapshot, 'id' | 'name' | 'url' | 'event_types' | 'excluded_event_types' | 'enabled' | 'disabled_reason'>;

export interface SubscriptionRecord extends SubscriptionSnapshot {
  created_at: string;
  config_key: string | null;
}

/** Every query takes the tenant id: another tenant's subscription is simply not found. */
@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(tenantId: string, id: string, em: EntityManager = this.db.manager): Promise<SubscriptionRecord | null> {
    const rows: Row[] = await em.query(`${SELECT} WHERE s.tenant_id = $1 AND s.id = $2 AND s.deleted_at IS NULL`, [tenantId, id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * A page in creation order, after the previous page's last row. The cursor keeps created_at in
   * microseconds: a JS Date would round it to milliseconds and repeat or skip rows.
   */
  async list(tenantId: string, limit: number, after: { createdMicros: string; id: string } | null): Promise<{ records: SubscriptionRecord[]; last: [string, string] | null }> {
    const rows: (Row & { created_us: string })[] = await this.db.query(
      `SELECT * FROM (${SELECT.replace('SELECT ', 'SELECT (extract(epoch FROM s.created_at) * 1000000)::bigint::text AS created_us, ')}
         WHERE s.tenant_id = $1 AND s.deleted_at IS NULL) page
        WHERE ($2::bigint IS NULL OR (created_us::bigint, id) > ($2::bigint, $3::uuid))
        ORDER BY created_us::bigint, id LIMIT $4`,
      [tenantId, after?.createdMicros ?? null, after?.id ?? null, limit],
    );
    const lastRow = rows[rows.length - 1];
    return { records: rows.map(toRecord), last: lastRow ? [lastRow.created_us, lastRow.id] : null };
  }

  /** What routing looks at, for every live subscription of the tenant (the match dry-run). */
  async routing(tenantId: string): Promise<RoutingFields[]> {
    return this.db.query(
      `SELECT id, name, url, event_types, excluded_event_types, enabled, disabled_reason
         FROM subscriptions WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
      [tenantId],
    );
  }

  /** Current snapshots of the given live subscriptions, for the changelog. */
  async snapshots(ids: readonly string[], em: EntityManager = this.db.manager): Promise<SubscriptionSnapshot[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await em.query(`${SELECT} WHERE s.id = ANY($1::uuid[]) AND s.deleted_at IS NULL`, [ids]);
    return rows.map((r) => {
      const { created_at: _createdAt, config_key: _configKey, ...snapshot } = toRecord(r);
      return snapshot;
    });
  }
}

function toRecord(r: Row): SubscriptionRecord {
  return {
    id: r.id,
    tenant_id: r.tenant_id,
    url: r.url,
    name: r.name,
    description: r.description,
    event_types: r.event_types,
    excluded_event_types: r.excluded_event_types,
    enabled: r.enabled,
    disabled_reason: r.disabled_reason,
    retry_policy: r.retry_policy,
    timeout_ms: r.timeout_ms,
    headers: r.headers,
    metadata: r.metadata,
    rate_limit_per_second: r.rate_limit_per_second,
    max_concurrency: r.max_concurrency,
    signature_scheme: r.signature_scheme,
    signature_header: r.signature_header,
    secrets: r.secrets.map((s) => ({ id: s.id, secret: s.secret, expires_at: s.expires_at ? new Date(s.expires_at).toISOString() : null })),
    version: r.version,
    updated_at: r.updated_at.toISOString(),
    created_at: r.created_at.toISOString(),
    config_key: r.config_key,
  };
}
