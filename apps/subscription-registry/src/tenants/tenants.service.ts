import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { TenantEntity } from '@hookstream/db';
import { DomainError } from '@hookstream/domain';
import type { Repository } from 'typeorm';
import type { CreateTenantDto } from './tenants.dto.js';

export interface TenantView {
  id: string;
  name: string;
  created_at: string;
}

@Injectable()
export class TenantsService {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
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
}
