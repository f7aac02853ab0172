import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BatchSettings, EndpointAuth, EndpointAuthType, RetryPolicy, SignatureSchemeName, SubscriptionSnapshot } from '@hookstream/contracts';

type OrderingModeName = SubscriptionSnapshot['ordering'];
type DeadLetterPolicyName = SubscriptionSnapshot['on_dead_letter'];
import { execute } from '@hookstream/db';
import type { DataSource, EntityManager } from 'typeorm';
import { SecretSealer, type StoredSecret } from './secret-sealer.js';
import type { UpdateSubscriptionDto } from './subscriptions.dto.js';

interface Row {
  id: string;
  tenant_id: string;
  url: string;
  name: string | null;
  description: string | null;
  event_types: string[];
  excluded_event_types: string[];
  filter: Record<string, unknown> | null;
  config_key: string | null;
  created_by: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  retry_policy: RetryPolicy | null;
  timeout_ms: number;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  rate_limit_per_second: number | null;
  max_concurrency: number | null;
  signature_scheme: SignatureSchemeName;
  signature_header: string | null;
  egress_proxy: string | null;
  ordering: OrderingModeName;
  on_dead_letter: DeadLetterPolicyName;
  ordering_backlog_max: number;
  batch: BatchSettings | null;
  version: number;
  updated_at: Date;
  created_at: Date;
  /** As stored: sealed (base64 in this JSON), or legacy clear text before the re-seal job ran. */
  secrets: { id: string; secret: string | null; sealed: string | null; sealed_key_id: string | null; expires_at: string | null }[];
  /** The endpoint credentials as stored (sealed, base64 in this JSON), if any. */
  auth: { type: EndpointAuthType; sealed: string; sealed_key_id: string } | null;
}

const SELECT = `
  SELECT s.id, s.tenant_id, s.url, s.name, s.description, s.event_types, s.excluded_event_types, s.filter, s.config_key, s.created_by, s.enabled, s.disabled_reason,
         s.retry_policy, s.timeout_ms, s.headers, s.metadata, s.rate_limit_per_second, s.max_concurrency,
         s.signature_scheme, s.signature_header, s.egress_proxy, s.ordering, s.on_dead_letter, s.ordering_backlog_max, s.batch, s.version, s.updated_at, s.created_at,
         COALESCE((SELECT json_agg(json_build_object('id', k.id, 'secret', k.secret, 'sealed', encode(k.sealed, 'base64'), 'sealed_key_id', k.sealed_key_id, 'expires_at', k.expires_at) ORDER BY k.created_at DESC)
                     FROM subscription_secrets k
                    WHERE k.subscription_id = s.id AND (k.expires_at IS NULL OR k.expires_at > now())), '[]') AS secrets,
         (SELECT json_build_object('type', a.type, 'sealed', encode(a.sealed, 'base64'), 'sealed_key_id', a.sealed_key_id)
            FROM subscription_endpoint_auth a WHERE a.subscription_id = s.id) AS auth
    FROM subscriptions s`;

export type RoutingFields = Pick<SubscriptionSnapshot, 'id' | 'name' | 'url' | 'event_types' | 'excluded_event_types' | 'filter' | 'enabled' | 'disabled_reason'>;

/** A subscription as created: every column a tenant chooses, validated and normalised. */
export interface NewSubscription {
  id: string;
  tenantId: string;
  url: string;
  name: string | null;
  description: string | null;
  eventTypes: string[];
  retryPolicy: RetryPolicy | null;
  timeoutMs: number;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  rateLimitPerSecond: number | null;
  maxConcurrency: number | null;
  signatureScheme: SignatureSchemeName;
  signatureHeader: string | null;
  excludedEventTypes: string[];
  filter: Record<string, unknown> | null;
  egressProxy: string | null;
  ordering: OrderingModeName;
  onDeadLetter: DeadLetterPolicyName;
  orderingBacklogMax: number;
  batch: BatchSettings | null;
  configKey: string | null;
  /** The API key id that made it, or `declarative-config`. */
  createdBy: string;
}

export interface SubscriptionRecord extends SubscriptionSnapshot {
  created_at: string;
  config_key: string | null;
  created_by: string | null;
}

/** Every query takes the tenant id: another tenant's subscription is simply not found. */
@Injectable()
export class SubscriptionsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  /** Changes committed but not yet on the changelog, oldest first, locked for this transaction (replicas skip them). */
  async claimUnpublished(em: EntityManager, limit: number): Promise<{ id: string; tenant_id: string; version: number; deleted: boolean }[]> {
    return em.query(
      `SELECT id, tenant_id, version, deleted_at IS NOT NULL AS deleted FROM subscriptions
        WHERE published_version < version ORDER BY updated_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async markPublished(em: EntityManager, rows: readonly { id: string; version: number }[]): Promise<void> {
    await em.query(
      `UPDATE subscriptions s SET published_version = p.version
         FROM unnest($1::uuid[], $2::int[]) AS p(id, version) WHERE s.id = p.id`,
      [rows.map((r) => r.id), rows.map((r) => r.version)],
    );
  }

  async countUnpublished(): Promise<number> {
    const rows: { n: string }[] = await this.db.query('SELECT count(*) AS n FROM subscriptions WHERE published_version < version');
    return Number(rows[0]?.n ?? 0);
  }

  async tenantExists(tenantId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    return rows.length > 0;
  }

  async insert(em: EntityManager, s: NewSubscription): Promise<void> {
    await em.query(
      `INSERT INTO subscriptions (id, tenant_id, url, name, description, event_types, retry_policy, timeout_ms, headers, metadata,
                                  rate_limit_per_second, max_concurrency, signature_scheme, signature_header, excluded_event_types, config_key, filter, created_by, egress_proxy,
                                  ordering, on_dead_letter, ordering_backlog_max, batch)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
      [
        s.id,
        s.tenantId,
        s.url,
        s.name,
        s.description,
        s.eventTypes,
        s.retryPolicy ? JSON.stringify(s.retryPolicy) : null,
        s.timeoutMs,
        JSON.stringify(s.headers),
        JSON.stringify(s.metadata),
        s.rateLimitPerSecond,
        s.maxConcurrency,
        s.signatureScheme,
        s.signatureHeader,
        s.excludedEventTypes,
        s.configKey,
        s.filter ? JSON.stringify(s.filter) : null,
        s.createdBy,
        s.egressProxy,
        s.ordering,
        s.onDeadLetter,
        s.orderingBacklogMax,
        s.batch ? JSON.stringify(s.batch) : null,
      ],
    );
  }

  /**
   * Applies the fields present in `changes` (absent ones keep their value; null clears a nullable
   * one) and moves the version, so the changelog publishes the new snapshot.
   */
  async update(em: EntityManager, tenantId: string, id: string, changes: UpdateSubscriptionDto): Promise<void> {
    const set = (v: unknown) => v !== undefined;
    await em.query(
      `UPDATE subscriptions SET
         url = COALESCE($3, url),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END,
         event_types = COALESCE($6, event_types),
         enabled = COALESCE($7, enabled),
         enabled_at = CASE WHEN $7 AND NOT enabled THEN now() ELSE enabled_at END,
         disabled_reason = CASE WHEN $7 IS NULL THEN disabled_reason WHEN $7 THEN NULL ELSE COALESCE($22, 'manual') END,
         retry_policy = CASE WHEN $8::boolean THEN $9::jsonb ELSE retry_policy END,
         timeout_ms = COALESCE($10, timeout_ms),
         name = CASE WHEN $11::boolean THEN $12 ELSE name END,
         headers = COALESCE($13::jsonb, headers),
         metadata = COALESCE($14::jsonb, metadata),
         rate_limit_per_second = CASE WHEN $15::boolean THEN $16 ELSE rate_limit_per_second END,
         max_concurrency = CASE WHEN $17::boolean THEN $18 ELSE max_concurrency END,
         signature_header = CASE WHEN $19::boolean THEN $20 ELSE signature_header END,
         excluded_event_types = COALESCE($21, excluded_event_types),
         filter = CASE WHEN $23::boolean THEN $24::jsonb ELSE filter END,
         egress_proxy = CASE WHEN $25::boolean THEN $26 ELSE egress_proxy END,
         ordering = COALESCE($27, ordering),
         on_dead_letter = COALESCE($28, on_dead_letter),
         ordering_backlog_max = COALESCE($29::int, ordering_backlog_max),
         batch = CASE WHEN $30::boolean THEN $31::jsonb ELSE batch END,
         version = version + 1,
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [
        tenantId,
        id,
        changes.url ?? null,
        set(changes.description),
        changes.description ?? null,
        changes.event_types ?? null,
        changes.enabled ?? null,
        set(changes.retry_policy),
        changes.retry_policy ? JSON.stringify(changes.retry_policy) : null,
        changes.timeout_ms ?? null,
        set(changes.name),
        changes.name ?? null,
        changes.headers ? JSON.stringify(changes.headers) : null,
        changes.metadata ? JSON.stringify(changes.metadata) : null,
        set(changes.rate_limit_per_second),
        changes.rate_limit_per_second ?? null,
        set(changes.max_concurrency),
        changes.max_concurrency ?? null,
        set(changes.signature_header),
        changes.signature_header ?? null,
        changes.excluded_event_types ?? null,
        changes.disabled_reason ?? null,
        set(changes.filter),
        changes.filter ? JSON.stringify(changes.filter) : null,
        set(changes.egress_proxy),
        changes.egress_proxy ?? null,
        changes.ordering ?? null,
        changes.on_dead_letter ?? null,
        changes.ordering_backlog_max ?? null,
        set(changes.batch),
        changes.batch ? JSON.stringify(changes.batch) : null,
      ],
    );
  }

  /** Marks it deleted (the changelog then publishes a tombstone); false if there was none. */
  async softDelete(tenantId: string, id: string): Promise<boolean> {
    const n = await execute(
      this.db,
      'UPDATE subscriptions SET deleted_at = now(), version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL',
      [tenantId, id],
    );
    return n > 0;
  }

  /** Moves the version (and locks the row for the transaction); false if there is no such live subscription. */
  async bumpVersion(em: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const n = await execute(em, 'UPDATE subscriptions SET version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL', [tenantId, id]);
    return n > 0;
  }

  /** The secrets signing now keep signing for `overlapSeconds` more, then expire (a rotation's overlap). */
  async expireSecretsAfter(em: EntityManager, subscriptionId: string, overlapSeconds: number): Promise<void> {
    await em.query(
      `UPDATE subscription_secrets SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(secs => $2))
        WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [subscriptionId, overlapSeconds],
    );
  }

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
      `SELECT id, name, url, event_types, excluded_event_types, filter, enabled, disabled_reason
         FROM subscriptions WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
      [tenantId],
    );
  }

  /** Current snapshots of the given live subscriptions, for the changelog. */
  async snapshots(ids: readonly string[], em: EntityManager = this.db.manager): Promise<SubscriptionSnapshot[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await em.query(`${SELECT} WHERE s.id = ANY($1::uuid[]) AND s.deleted_at IS NULL`, [ids]);
    return rows.map((r) => {
      const { created_at: _createdAt, config_key: _configKey, created_by: _createdBy, ...snapshot } = this.toRecord(r);
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

  /** Sets (or with null, removes) the subscription's endpoint credentials, sealed. */
  async setAuth(em: EntityManager, subscriptionId: string, auth: EndpointAuth | null): Promise<void> {
    if (auth === null) {
      await em.query('DELETE FROM subscription_endpoint_auth WHERE subscription_id = $1', [subscriptionId]);
      return;
    }
    const { sealed, keyId } = this.sealer.sealAuth(subscriptionId, JSON.stringify(auth));
    await em.query(
      `INSERT INTO subscription_endpoint_auth (subscription_id, type, sealed, sealed_key_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subscription_id) DO UPDATE SET type = EXCLUDED.type, sealed = EXCLUDED.sealed, sealed_key_id = EXCLUDED.sealed_key_id, updated_at = now()`,
      [subscriptionId, auth.type, sealed, keyId],
    );
  }

  /** Endpoint credentials under another key than `primaryKeyId`, after `afterId`. */
  async staleAuth(primaryKeyId: string, afterId: string, limit: number): Promise<{ subscription_id: string; sealed: Buffer; sealed_key_id: string }[]> {
    return this.db.query(
      `SELECT subscription_id, sealed, sealed_key_id FROM subscription_endpoint_auth
        WHERE sealed_key_id <> $1 AND subscription_id > $2 ORDER BY subscription_id LIMIT $3`,
      [primaryKeyId, afterId, limit],
    );
  }

  /** Writes re-sealed credentials, each only if still under the key it was read under. */
  async resealAuth(rows: readonly { subscriptionId: string; fromKeyId: string; sealed: Buffer }[], keyId: string): Promise<number> {
    if (rows.length === 0) return 0;
    return execute(
      this.db,
      `UPDATE subscription_endpoint_auth a SET sealed = r.sealed, sealed_key_id = $4
         FROM unnest($1::uuid[], $2::text[], $3::bytea[]) AS r(id, from_key, sealed)
        WHERE a.subscription_id = r.id AND a.sealed_key_id = r.from_key`,
      [rows.map((r) => r.subscriptionId), rows.map((r) => r.fromKeyId), rows.map((r) => r.sealed), keyId],
    );
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
      `SELECT ((SELECT count(*) FROM subscription_secrets WHERE sealed_key_id IS NULL OR sealed_key_id <> $1)
            + (SELECT count(*) FROM subscription_endpoint_auth WHERE sealed_key_id <> $1))::int AS n`,
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
      const n = await execute(
        em,
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
    const auth = r.auth && { type: r.auth.type, credentials: this.sealer.openAuth(r.id, { sealed: Buffer.from(r.auth.sealed, 'base64'), keyId: r.auth.sealed_key_id }) };
    return toRecord(r, auth, (secret) => this.sealer.open(r.id, { id: secret.id, secret: secret.secret, sealed: secret.sealed ? Buffer.from(secret.sealed, 'base64') : null, sealed_key_id: secret.sealed_key_id }));
  }
}

function toRecord(r: Row, auth: SubscriptionSnapshot['auth'], open: (secret: Row['secrets'][number]) => string): SubscriptionRecord {
  return {
    id: r.id,
    tenant_id: r.tenant_id,
    url: r.url,
    name: r.name,
    description: r.description,
    event_types: r.event_types,
    excluded_event_types: r.excluded_event_types,
    filter: r.filter,
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
    egress_proxy: r.egress_proxy,
    ordering: r.ordering,
    on_dead_letter: r.on_dead_letter,
    ordering_backlog_max: r.ordering_backlog_max,
    batch: r.batch,
    secrets: r.secrets.map((s) => ({ id: s.id, secret: open(s), expires_at: s.expires_at ? new Date(s.expires_at).toISOString() : null })),
    auth,
    version: r.version,
    updated_at: r.updated_at.toISOString(),
    created_at: r.created_at.toISOString(),
    config_key: r.config_key,
    created_by: r.created_by,
  };
}
