import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, formatApiKey, hashApiKey, TENANT_SCOPES } from '@hookstream/domain';
import { decodeCursor, KeyUsage, type Logger, LOGGER, nextCursor, type Principal } from '@hookstream/platform';
import { QuotasService } from '../quotas/quotas.service.js';
import type { CreateApiKeyDto } from './api-keys.dto.js';
import { type ApiKeyRow, ApiKeysRepository } from './api-keys.repository.js';

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


const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repo: ApiKeysRepository,
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
    const row = await this.quotas.withSlot(tenantId, 'api_keys', (em) =>
      this.repo.insert(em, { id, tenantId, name: dto.name, scope: dto.scope, scopes, expiresAt: dto.expires_at ?? null, createdBy: by.keyId, createdByAdmin: by.kind === 'admin', keyHash: hashApiKey(key) }),
    );
    if (!row) throw new DomainError('internal', 'the key was not stored');
    this.logger.info({ keyId: id, tenantId, scope: dto.scope, scopes, expiresAt: dto.expires_at ?? null, by: by.keyId }, 'api key created');
    return { ...view(row, null), key };
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<{ data: ApiKeyView[]; next_cursor: string | null }> {
    const after = cursor ? decodeCursor(cursor, ['micros', 'text']) : null;
    const rows = await this.repo.list(tenantId, limit, after ? { createdMicros: after[0] ?? '', id: after[1] ?? '' } : null);
    const used = await this.usage.read(rows.map((r) => r.id));
    return {
      data: rows.map((r) => view(r, used.get(r.id) ?? null)),
      next_cursor: nextCursor(rows, limit, (r) => [r.created_us, r.id]),
    };
  }

  /** Takes effect in every service within the verifier's cache lifetime (5 s). */
  async revoke(tenantId: string, keyId: string, by: Principal): Promise<ApiKeyView> {
    // A key an operator made for the tenant (a partner's, say) is the operator's to revoke.
    const revoked = await this.repo.revoke(tenantId, keyId, by.kind === 'admin');
    if (!revoked) {
      if ((await this.repo.createdByAdmin(tenantId, keyId)) === true) throw new DomainError('forbidden', 'this key was created by an operator; only an admin key can revoke it');
      throw new DomainError('not_found', `no api key ${keyId}`);
    }
    this.logger.info({ keyId, tenantId, by: by.keyId }, 'api key revoked');
    return view(revoked, null);
  }
}

function view(r: ApiKeyRow, usedAt: Date | null): ApiKeyView {
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
