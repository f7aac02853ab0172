import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chunk, preparedStatement, queryPrepared, valuesPlaceholders } from '@hookstream/db';
import type { DataSource } from 'typeorm';

export interface NewDelivery {
  id: string;
  tenant_id: string;
  event_id: string;
  subscription_id: string;
  event_type: string;
}

const STILL_PENDING = preparedStatement(
  'deliveries_still_pending',
  `SELECT id FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'pending' AND attempts = 0`,
);

/** The deliveries table (owned by the dispatcher), written a batch per statement. */
@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Inserts the rows idempotently and returns the ids that still need their first message:
   * new rows, and rows a crashed earlier run inserted without getting to send anything.
   */
  async insertPending(rows: readonly NewDelivery[]): Promise<Set<string>> {
    const pending = new Set<string>();
    for (const part of chunk(rows, 2000)) {
      await this.db.query(
        `INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type)
         VALUES ${valuesPlaceholders(part.length, 5, ['uuid', 'text', 'text', 'uuid', 'text'])}
         ON CONFLICT DO NOTHING`,
        part.flatMap((r) => [r.id, r.tenant_id, r.event_id, r.subscription_id, r.event_type]),
      );
      const fresh: { id: string }[] = await queryPrepared<{ id: string }[]>(this.db, STILL_PENDING,
        [part.map((r) => r.id)],
      );
      for (const r of fresh) pending.add(r.id);
    }
    return pending;
  }
}
