import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chunk, preparedStatement, queryPrepared } from '@hookstream/db';
import type { DataSource } from 'typeorm';

export interface NewDelivery {
  id: string;
  tenant_id: string;
  event_id: string;
  subscription_id: string;
  event_type: string;
}

/** Arrays through unnest, so the text is the same for every batch and prepared once per connection. */
const INSERT_PENDING = preparedStatement(
  'deliveries_insert_pending',
  `INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type)
   SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[])
   ON CONFLICT DO NOTHING`,
);

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
      await queryPrepared<unknown>(this.db, INSERT_PENDING, [
        part.map((r) => r.id),
        part.map((r) => r.tenant_id),
        part.map((r) => r.event_id),
        part.map((r) => r.subscription_id),
        part.map((r) => r.event_type),
      ]);
      const fresh: { id: string }[] = await queryPrepared<{ id: string }[]>(this.db, STILL_PENDING,
        [part.map((r) => r.id)],
      );
      for (const r of fresh) pending.add(r.id);
    }
    return pending;
  }
}
