import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** tenants (the registry's; the dispatcher may read it): which tenants are switched off. */
@Injectable()
export class TenantStatesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Disabled tenants are few (a partial scan of a small table); everyone else is enabled. */
  async disabledTenants(): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query('SELECT id FROM tenants WHERE NOT enabled');
    return rows.map((r) => r.id);
  }
}
