import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, formatApiKey, hashApiKey, TENANT_SCOPES } from '@hookstream/domain';
import { decodeCursor, KeyUsage, type Logger, LOGGER, nextCursor, type Principal } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import { QuotasService } from '../quotas/quotas.service.js';
import type { CreateApiKeyDto } from './api-keys.dto.js';

export interface ApiKeyView {
  id: string;
  tenant_id: string;
  name: string;
  scope: 'tenant' | 'admin';
  scopes: string[];
  expires_at: string | null;
  created_by: string | null;
  created_by_admin: boolean;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

interface Row {
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

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const COLUMNS = 'id, tenant_id, name, scope, scopes, expires_at, created_by, created_by_admin, created_at, revoked_at, last_used_at';

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly usage: KeyUsage,
    private readonly quotas: QuotasService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The key is returned once, here; only its SHA-256 is kept. */
  async create(tenantId: string, dto: CreateApiKeyDto, by: Principal): Promise<ApiKeyView & { key: string }> {
    if (dto.scope === 'admin' && by.kind !== 'admin') throw new DomainError('forbidden', 'only an admin key can create admin keys');
    const id = Array.from(randomBytes(16), (b) => ALPHABET[b % ALPHABET.length]).join('');
    const key = formatApiKey(id, randomBytes(32));
    // Under the tenant's quota slot, which also refuses an unknown tenant.
    // A tenant key cannot mint a key that can do more than itself.
    const scopes = dto.scope === 'admin' ? null : (dto.scopes ?? [...TENANT_SCOPES]);
    if (scopes && by.kind === 'tenant') {
      const beyond = scopes.filter((sc) => !by.scopes.includes(sc));
      if (beyond.length) throw new DomainError('forbidden', `a key cannot create a key with scopes it lacks: ${beyond.join(', ')}`, { missing_scope: beyond[0], key_scopes: by.scopes });
    }
    const rows: Row[] = await this.quotas.withSlot(tenantId, 'api_keys', (em) => em.query(
      `INSERT INTO api_keys (id, tenant_id, name, scope, scopes, expires_at, created_by, created_by_admin, key_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${COLUMNS}`,
      [id, tenantId, dto.name, dto.scope, scopes, dto.expires_at ?? null, by.keyId, by.kind === 'admin', hashApiKey(key)],
    ));
    const row = rows[0];
    if (!row) throw new DomainError('internal', 'the key was not stored');
    this.logger.info({ keyId: id, tenantId, scope: dto.scope, scopes, expiresAt: dto.expires_at ?? null, by: by.keyId }, 'api key created');
    return { ...view(row, null), key };
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<{ data: ApiKeyView[]; next_cursor: string | null }> {
    const after = cursor ? decodeCursor(cursor, ['micros', 'text']) : null;
    const rows: (Row & { created_us: string })[] = await this.db.query(
      `SELECT ${COLUMNS},
              (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us
         FROM api_keys
        WHERE tenant_id = $1 AND ($2::bigint IS NULL OR ((extract(epoch FROM created_at) * 1000000)::bigint, id) > ($2::bigint, $3::text))
        ORDER BY created_at, id LIMIT $4`,
      [tenantId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    const used = await this.usage.read(rows.map((r) => r.id));
    return {
      data: rows.map((r) => view(r, used.get(r.id) ?? null)),
      next_cursor: nextCursor(rows, limit, (r) => [r.created_us, r.id]),
    };
  }

  /** Takes effect in every service within the verifier's cache lifetime (5 s). */
  async revoke(tenantId: string, keyId: string, by: Principal): Promise<ApiKeyView> {
    // A key an operator made for the tenant (a partner's, say) is the operator's to revoke.
    const [rows]: [Row[], number] = await this.db.query(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 AND (NOT created_by_admin OR $3)
       RETURNING ${COLUMNS}`,
      [tenantId, keyId, by.kind === 'admin'],
    );
    if (!rows[0]) {
      const exists: { created_by_admin: boolean }[] = await this.db.query('SELECT created_by_admin FROM api_keys WHERE tenant_id = $1 AND id = $2', [tenantId, keyId]);
      if (exists[0]?.created_by_admin) throw new DomainError('forbidden', 'this key was created by an operator; only an admin key can revoke it');
      throw new DomainError('not_found', `no api key ${keyId}`);
    }
    this.logger.info({ keyId, tenantId, by: by.keyId }, 'api key revoked');
    return view(rows[0], null);
  }
}

function view(r: Row, usedAt: Date | null): ApiKeyView {
  const last = [r.last_used_at, usedAt].filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return {
    id: r.id,
    tenant_id: r.tenant_id,
    name: r.name,
    scope: r.scope,
    scopes: r.scope === 'admin' ? ['admin'] : (r.scopes ?? []),
    expires_at: r.expires_at ? new Date(r.expires_at).toISOString() : null,
    created_by: r.created_by,
    created_by_admin: r.created_by_admin,
    created_at: new Date(r.created_at).toISOString(),
    revoked_at: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    last_used_at: last ? new Date(last).toISOString() : null,
  };
}
