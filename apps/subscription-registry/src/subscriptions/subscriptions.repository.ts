import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RetryPolicy, SubscriptionSnapshot } from '@hookstream/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { SecretSealer, type StoredSecret } from './secret-sealer.js';

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
  /** As stored: sealed (base64 in this JSON), or legacy clear text before the re-seal job ran. */
  secrets: { id: string; secret: string | null; sealed: string | null; sealed_key_id: string | null; expires_at: string | null }[];
}

const SELECT = `
  SELECT s.id, s.tenant_id, s.url, s.name, s.description, s.event_types, s.excluded_event_types, s.config_key, s.enabled, s.disabled_reason,
         s.retry_policy, s.timeout_ms, s.headers, s.metadata, s.rate_limit_per_second, s.max_concurrency,
         s.signature_scheme, s.signature_header, s.version, s.updated_at, s.created_at,
         COALESCE((SELECT json_agg(json_build_object('id', k.id, 'secret', k.secret, 'sealed', encode(k.sealed, 'base64'), 'sealed_key_id', k.sealed_key_id, 'expires_at', k.expires_at) ORDER BY k.created_at DESC)
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
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  async find(tenantId: string, id: string, em: EntityManager = this.db.manager): Promise<SubscriptionRecord | null> {
    const rows: Row[] = await em.query(`${SELECT} WHERE s.tenant_id = $1 AND s.id = $2 AND s.deleted_at IS NULL`, [tenantId, id]);
    return rows[0] ? this.toRecord(rows[0]) : null;
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
    return { records: rows.map((r) => this.toRecord(r)), last: lastRow ? [lastRow.created_us, lastRow.id] : null };
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
      const { created_at: _createdAt, config_key: _configKey, ...snapshot } = this.toRecord(r);
      return snapshot;
    });
  }

  /** The secrets that currently sign, as stored, for the re-seal and reveal paths. */
  async storedSecrets(subscriptionId: string): Promise<(StoredSecret & { public_key: string | null; created_at: Date; expires_at: Date | null })[]> {
    return this.db.query(
      `SELECT id, secret, sealed, sealed_key_id, public_key, created_at, expires_at FROM subscription_secrets
        WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at DESC`,
      [subscriptionId],
    );
  }

  /** Stores a new secret sealed (never its clear text). */
  async insertSecret(em: EntityManager, subscriptionId: string, secretId: string, secret: string, publicKey: string | null): Promise<{ created_at: Date; expires_at: Date | null }> {
    const { sealed, keyId } = this.sealer.seal(subscriptionId, secretId, secret);
    const rows: { created_at: Date; expires_at: Date | null }[] = await em.query(
      'INSERT INTO subscription_secrets (id, subscription_id, sealed, sealed_key_id, public_key) VALUES ($1, $2, $3, $4, $5) RETURNING created_at, expires_at',
      [secretId, subscriptionId, sealed, keyId, publicKey],
    );
    if (!rows[0]) throw new Error('the secret was not stored');
    return rows[0];
  }

  /**
   * Rows to (re-)seal: legacy clear ones and those under another key than `primaryKeyId`, after
   * `afterId`, with their subscription.
   */
  async unsealedOrStale(primaryKeyId: string, afterId: string, limit: number): Promise<(StoredSecret & { subscription_id: string })[]> {
    return this.db.query(
      `SELECT id, subscription_id, secret, sealed, sealed_key_id FROM subscription_secrets
        WHERE (sealed_key_id IS NULL OR sealed_key_id <> $1) AND id > $2 ORDER BY id LIMIT $3`,
      [primaryKeyId, afterId, limit],
    );
  }

  async countUnsealedOrStale(primaryKeyId: string): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM subscription_secrets WHERE sealed_key_id IS NULL OR sealed_key_id <> $1`,
      [primaryKeyId],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Writes re-sealed rows, each only if it is still as it was read (another registry version may
   * be doing the same during a rolling deploy), and drops their clear text. Subscriptions whose
   * secrets were in clear get a new version, so the changelog republishes them sealed.
   */
  async reseal(rows: readonly { id: string; subscriptionId: string; fromKeyId: string | null; sealed: Buffer; keyId: string; wasClear: boolean }[]): Promise<number> {
    if (rows.length === 0) return 0;
    return this.db.transaction(async (em) => {
      const [, n]: [unknown[], number] = await em.query(
        `UPDATE subscription_secrets k SET sealed = r.sealed, sealed_key_id = $4, secret = NULL
           FROM unnest($1::uuid[], $2::text[], $3::bytea[]) AS r(id, from_key, sealed)
          WHERE k.id = r.id AND k.sealed_key_id IS NOT DISTINCT FROM r.from_key`,
        [rows.map((r) => r.id), rows.map((r) => r.fromKeyId), rows.map((r) => r.sealed), rows[0]?.keyId],
      );
      const clear = [...new Set(rows.filter((r) => r.wasClear).map((r) => r.subscriptionId))];
      if (clear.length) await em.query('UPDATE subscriptions SET version = version + 1, updated_at = now() WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL', [clear]);
      return n;
    });
  }

  /**
   * Deletes secrets whose overlap ended more than `graceSeconds` ago, and gives their
   * subscriptions a new version so the changelog's latest snapshot no longer carries them.
   */
  async purgeExpired(graceSeconds: number, limit: number): Promise<number> {
    return this.db.transaction(async (em) => {
      const gone: { subscription_id: string }[] = await em.query(
        `DELETE FROM subscription_secrets WHERE id IN (
           SELECT id FROM subscription_secrets WHERE expires_at < now() - make_interval(secs => $1) ORDER BY expires_at LIMIT $2)
         RETURNING subscription_id`,
        [graceSeconds, limit],
      );
      const subs = [...new Set(gone.map((g) => g.subscription_id))];
      if (subs.length) await em.query('UPDATE subscriptions SET version = version + 1, updated_at = now() WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL', [subs]);
      return gone.length;
    });
  }

  private toRecord(r: Row): SubscriptionRecord {
    return toRecord(r, (secret) => this.sealer.open(r.id, { id: secret.id, secret: secret.secret, sealed: secret.sealed ? Buffer.from(secret.sealed, 'base64') : null, sealed_key_id: secret.sealed_key_id }));
  }
}

function toRecord(r: Row, open: (secret: Row['secrets'][number]) => string): SubscriptionRecord {
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
    secrets: r.secrets.map((s) => ({ id: s.id, secret: open(s), expires_at: s.expires_at ? new Date(s.expires_at).toISOString() : null })),
    version: r.version,
    updated_at: r.updated_at.toISOString(),
    created_at: r.created_at.toISOString(),
    config_key: r.config_key,
  };
}
