import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiKeyEntity, TenantEntity } from '@hookstream/db';
import { DomainError, formatApiKey, hashApiKey } from '@hookstream/domain';
import type { Repository } from 'typeorm';
import type { CreateApiKeyDto, CreateTenantDto } from './tenants.dto.js';

export interface TenantView {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeyView {
  id: string;
  tenant_id: string;
  name: string;
  scope: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

@Injectable()
export class TenantsService {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
  ) {}

  async create(dto: CreateTenantDto): Promise<TenantView> {
    const result = await this.tenants
      .createQueryBuilder()
      .insert()
      .values({ id: dto.id, name: dto.name })
      .orIgnore()
      .returning('*')
      .execute();
    if ((result.raw as unknown[]).length === 0) throw new DomainError('conflict', `tenant ${dto.id} already exists`);
    return this.get(dto.id);
  }

  async get(id: string): Promise<TenantView> {
    const t = await this.tenants.findOneBy({ id });
    if (!t) throw new DomainError('not_found', `no tenant ${id}`);
    return { id: t.id, name: t.name, created_at: t.createdAt.toISOString() };
  }

  /** The key is returned once, here; only its hash is kept. */
  async createKey(tenantId: string, dto: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    await this.get(tenantId);
    const idBytes = randomBytes(16);
    const id = Array.from(idBytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
    const key = formatApiKey(id, randomBytes(32));
    const saved = await this.keys.save(
      this.keys.create({ id, tenantId, name: dto.name, scope: 'tenant', keyHash: hashApiKey(key), revokedAt: null, lastUsedAt: null }),
    );
    const stored = await this.keys.findOneByOrFail({ id: saved.id });
    return { ...keyView(stored), key };
  }
}

function keyView(k: ApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    tenant_id: k.tenantId,
    name: k.name,
    scope: k.scope,
    created_at: k.createdAt.toISOString(),
    revoked_at: k.revokedAt?.toISOString() ?? null,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
  };
}
