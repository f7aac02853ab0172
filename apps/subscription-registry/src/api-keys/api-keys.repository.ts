import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** api_keys, owned by the registry (the key verifiers in every service read it through @hookstream/db's store). */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
