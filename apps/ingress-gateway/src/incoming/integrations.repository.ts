import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PartnerProvider } from '@hookstream/domain';
import { execute } from '@hookstream/db';
import type { DataSource } from 'typeorm';

export interface IntegrationRow {
  id: string;
  tenant_id: string;
  provider: PartnerProvider;
  name: string | null;
  status: 'active' | 'disabled';
  settings: Record<string, unknown>;
  secrets: Buffer;
  secrets_key_id: string;
  previous_secrets_until: Date | null;
  created_at: Date;
  updated_at: Date;
  /** created_at in microseconds, for cursors (a JS Date keeps only milliseconds). */
  created_micros: string;
}

const COLUMNS = `id, tenant_id, provider, name, status, settings, secrets, secrets_key_id, previous_secrets_until, created_at, updated_at,
  (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_micros`;

/** integration_configs, owned by this service. Every query but the callback's lookup is tenant-scoped. */
@Injectable()
export class IntegrationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(row: Pick<IntegrationRow, 'id' | 'tenant_id' | 'provider' | 'name' | 'settings' | 'secrets' | 'secrets_key_id'>): Promise<IntegrationRow> {
    const [created] = await this.db.query<IntegrationRow[]>(
      `INSERT INTO integration_configs (id, tenant_id, provider, name, settings, secrets, secrets_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [row.id, row.tenant_id, row.provider, row.name, JSON.stringify(row.settings), row.secrets, row.secrets_key_id],
    );
    return created;
  }

  async get(tenantId: string, id: string): Promise<IntegrationRow | null> {
    const [row] = await this.db.query<IntegrationRow[]>(`SELECT ${COLUMNS} FROM integration_configs WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return row ?? null;
  }

  /** The callback route knows only the id in its URL; the row then says which tenant it serves. */
  async forCallback(id: string): Promise<IntegrationRow | null> {
    const [row] = await this.db.query<IntegrationRow[]>(`SELECT ${COLUMNS} FROM integration_configs WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** A page in creation order after the cursor (created_micros, id). */
  async list(
    tenantId: string,
    filter: { provider?: PartnerProvider | undefined; status?: string | undefined },
    limit: number,
    after: [string, string] | null,
  ): Promise<IntegrationRow[]> {
    return this.db.query<IntegrationRow[]>(
      `SELECT ${COLUMNS} FROM integration_configs
        WHERE tenant_id = $1 AND ($2::text IS NULL OR provider = $2) AND ($3::text IS NULL OR status = $3)
          AND ($4::bigint IS NULL OR (created_at, id) > (timestamptz 'epoch' + $4::bigint * interval '1 microsecond', $5))
        ORDER BY created_at, id LIMIT $6`,
      [tenantId, filter.provider ?? null, filter.status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  async update(
    tenantId: string,
    id: string,
    changes: {
      name?: string | null | undefined;
      status?: string | undefined;
      settings?: Record<string, unknown> | undefined;
      sealed?: { secrets: Buffer; keyId: string; previousUntil: Date | null } | undefined;
    },
  ): Promise<IntegrationRow | null> {
    const [rows] = await this.db.query<[IntegrationRow[], number]>(
      `UPDATE integration_configs SET
         name = CASE WHEN $3::boolean THEN $4 ELSE name END,
         status = COALESCE($5, status),
         settings = COALESCE($6::jsonb, settings),
         secrets = COALESCE($7, secrets),
         secrets_key_id = COALESCE($8, secrets_key_id),
         previous_secrets_until = CASE WHEN $7::bytea IS NULL THEN previous_secrets_until ELSE $9::timestamptz END,
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [
        tenantId,
        id,
        changes.name !== undefined,
        changes.name ?? null,
        changes.status ?? null,
        changes.settings ? JSON.stringify(changes.settings) : null,
        changes.sealed?.secrets ?? null,
        changes.sealed?.keyId ?? null,
        changes.sealed?.previousUntil ?? null,
      ],
    );
    return rows[0] ?? null;
  }

  /** Rows after `afterId` whose secrets a key other than `keyId` sealed: what a key rotation has left to re-seal. */
  async sealedWithOtherKeys(keyId: string, afterId: string, limit: number): Promise<IntegrationRow[]> {
    return this.db.query<IntegrationRow[]>(`SELECT ${COLUMNS} FROM integration_configs WHERE secrets_key_id <> $1 AND id > $2 ORDER BY id LIMIT $3`, [keyId, afterId, limit]);
  }

  /** Re-seals a batch; a row changed meanwhile (other key id) is left for the next pass. */
  async reseal(rows: readonly { id: string; fromKeyId: string; secrets: Buffer }[], keyId: string): Promise<number> {
    if (rows.length === 0) return 0;
    const n = await execute(
      this.db,
      `UPDATE integration_configs c SET secrets = r.secrets, secrets_key_id = $4
         FROM unnest($1::text[], $2::text[], $3::bytea[]) AS r(id, from_key, secrets)
        WHERE c.id = r.id AND c.secrets_key_id = r.from_key`,
      [rows.map((r) => r.id), rows.map((r) => r.fromKeyId), rows.map((r) => r.secrets), keyId],
    );
    return n;
  }
}
