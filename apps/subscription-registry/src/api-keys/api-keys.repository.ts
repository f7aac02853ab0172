import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  scope: 'tenant' | 'admin';
  scopes: string[] | null;
  expires_at: Date | null;
  created_by: string | null;
  created_by_admin: boolean;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, tenant_id, name, scope, scopes, expires_at, created_by, created_by_admin, created_at, revoked_at, last_used_at';

export interface NewApiKey {
  id: string;
  tenantId: string;
  name: string;
  scope: 'tenant' | 'admin';
  scopes: string[] | null;
  expiresAt: string | null;
  createdBy: string | null;
  createdByAdmin: boolean;
  keyHash: Buffer;
}

/** api_keys, owned by the registry (the key verifiers in every service read it through @hookstream/db's store). */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inside the caller's transaction (the tenant's quota slot). */
  async insert(em: EntityManager, k: NewApiKey): Promise<ApiKeyRow | null> {
    const rows: ApiKeyRow[] = await em.query(
      `INSERT INTO api_keys (id, tenant_id, name, scope, scopes, expires_at, created_by, created_by_admin, key_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${COLUMNS}`,
      [k.id, k.tenantId, k.name, k.scope, k.scopes, k.expiresAt, k.createdBy, k.createdByAdmin, k.keyHash],
    );
    return rows[0] ?? null;
  }

  /** A page in creation order, after the cursor (creation time in µs, then id). */
  async list(tenantId: string, limit: number, after: { createdMicros: string; id: string } | null): Promise<(ApiKeyRow & { created_us: string })[]> {
    return this.db.query(
      `SELECT ${COLUMNS},
              (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us
         FROM api_keys
        WHERE tenant_id = $1 AND ($2::bigint IS NULL OR ((extract(epoch FROM created_at) * 1000000)::bigint, id) > ($2::bigint, $3::text))
        ORDER BY created_at, id LIMIT $4`,
      [tenantId, after?.createdMicros ?? null, after?.id ?? null, limit],
    );
  }

  /** Revokes it (revoking twice keeps the first time); a key an operator made needs `byAdmin`. Null if nothing matched. */
  async revoke(tenantId: string, keyId: string, byAdmin: boolean): Promise<ApiKeyRow | null> {
    const [rows]: [ApiKeyRow[], number] = await this.db.query(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 AND (NOT created_by_admin OR $3)
       RETURNING ${COLUMNS}`,
      [tenantId, keyId, byAdmin],
    );
    return rows[0] ?? null;
  }

  /** Whether an operator created the key; null if the tenant has no such key. */
  async createdByAdmin(tenantId: string, keyId: string): Promise<boolean | null> {
    const rows: { created_by_admin: boolean }[] = await this.db.query('SELECT created_by_admin FROM api_keys WHERE tenant_id = $1 AND id = $2', [tenantId, keyId]);
    return rows[0]?.created_by_admin ?? null;
  }

  async activeIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query('SELECT id FROM api_keys WHERE revoked_at IS NULL');
    return rows.map((r) => r.id);
  }

  /** Moves last_used_at forward (never back: another replica may have written a later time). */
  async recordLastUsed(used: ReadonlyMap<string, Date>): Promise<void> {
    await this.db.query(
      `UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, u.at)
         FROM unnest($1::text[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id`,
      [[...used.keys()], [...used.values()].map((d) => d.toISOString())],
    );
  }
}
