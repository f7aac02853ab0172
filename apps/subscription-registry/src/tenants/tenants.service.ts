import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { TenantEntity } from '@hookstream/db';
import { DomainError } from '@hookstream/domain';
import { APP_CONFIG } from '@hookstream/platform';
import type { Repository } from 'typeorm';
import type { RegistryConfig } from '../config.js';
import type { CreateTenantDto, UpdateTenantDto } from './tenants.dto.js';

export interface TenantView {
  id: string;
  name: string;
  created_at: string;
  max_event_bytes: number | null;
  rate_limit_per_second: number | null;
  rate_limit_burst: number | null;
  retention_days: number | null;
  enabled: boolean;
  enabled_changed_at: string | null;
}

@Injectable()
export class TenantsService {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    @Inject(APP_CONFIG) private readonly config: RegistryConfig,
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
    return {
      id: t.id,
      name: t.name,
      created_at: t.createdAt.toISOString(),
      max_event_bytes: t.maxEventBytes,
      rate_limit_per_second: t.rateLimitPerSecond,
      rate_limit_burst: t.rateLimitBurst,
      retention_days: t.retentionDays,
      enabled: t.enabled,
      enabled_changed_at: t.enabledChangedAt?.toISOString() ?? null,
    };
  }

  /** Fields left out stay as they are; null resets a limit to the gateway's default. */
  async update(id: string, dto: UpdateTenantDto): Promise<TenantView> {
    const ceiling = this.config.MAX_EVENT_BYTES_CEILING;
    if (dto.max_event_bytes != null && dto.max_event_bytes > ceiling) {
      throw new DomainError('validation_failed', 'invalid request: max_event_bytes', [{ path: 'max_event_bytes', message: `must be at most ${ceiling} (MAX_EVENT_BYTES_CEILING)` }]);
    }
    const changes: Partial<TenantEntity> = {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(dto.max_event_bytes !== undefined ? { maxEventBytes: dto.max_event_bytes } : {}),
      ...(dto.rate_limit_per_second !== undefined ? { rateLimitPerSecond: dto.rate_limit_per_second } : {}),
      ...(dto.rate_limit_burst !== undefined ? { rateLimitBurst: dto.rate_limit_burst } : {}),
      ...(dto.retention_days !== undefined ? { retentionDays: dto.retention_days } : {}),
    };
    if (dto.enabled !== undefined) {
      const current = await this.tenants.findOneBy({ id });
      if (!current) throw new DomainError('not_found', `no tenant ${id}`);
      // Only a change moves the timestamp: setting what is already set says nothing new.
      if (current.enabled !== dto.enabled) Object.assign(changes, { enabled: dto.enabled, enabledChangedAt: new Date() });
    }
    if (Object.keys(changes).length) {
      const result = await this.tenants.update({ id }, changes);
      if (!result.affected) throw new DomainError('not_found', `no tenant ${id}`);
    }
    return this.get(id);
  }
}
