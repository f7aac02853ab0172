import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryMessage } from '@hookstream/contracts';
import { chunk, jsonbParam, preparedStatement, queryPrepared } from '@hookstream/db';
import type { DataSource } from 'typeorm';

export interface NewDelivery {
  id: string;
  tenant_id: string;
  event_id: string;
  subscription_id: string;
  event_type: string;
  /** The event's received_at: the catch-up feed finds its row in events, partition included, by it. */
  event_received_at: string;
  /** Set for a delivery of an ordered subscription: its entry in its key (docs/adr/0009). */
  ordered?: OrderedPlacement;
}

export interface OrderedPlacement {
  ordering_key: string;
  /** From ordered_position, taken in the order fan-out met the events (positions()). */
  position: number;
  message: DeliveryMessage;
  traceparent: string | null;
}

/** Arrays through unnest, so the text is the same for every batch and prepared once per connection. */
const INSERT_PENDING = preparedStatement(
  'deliveries_insert_pending',
  `INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type, event_received_at)
   SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::timestamptz[])
   ON CONFLICT DO NOTHING`,
);

/**
 * An ordered delivery's row and its entry in one statement: no claim can ever see one without
 * the other. An entry is written only with a new row, so a batch redone after a crash keeps the
 * positions its first run gave.
 */
const INSERT_PENDING_ORDERED = preparedStatement(
  'deliveries_insert_pending_ordered',
  `WITH input AS (
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, tenant_id text, event_id text, subscription_id uuid, event_type text,
                                                      event_received_at timestamptz, ordering_key text, position bigint, message jsonb, traceparent text)
   ), fresh AS (
     INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type, event_received_at)
     SELECT id, tenant_id, event_id, subscription_id, event_type, event_received_at FROM input
     ON CONFLICT DO NOTHING
     RETURNING id
   )
   INSERT INTO ordered_entries (delivery_id, tenant_id, subscription_id, ordering_key, position, message, traceparent)
   SELECT i.id, i.tenant_id, i.subscription_id, i.ordering_key, i.position, i.message, i.traceparent
     FROM input i JOIN fresh f ON f.id = i.id
   ON CONFLICT DO NOTHING
   RETURNING delivery_id AS id`,
);

const NEXT_POSITIONS = preparedStatement('ordered_next_positions', `SELECT nextval('ordered_position')::text AS p FROM generate_series(1, $1::int)`);

const STILL_PENDING = preparedStatement(
  'deliveries_still_pending',
  `SELECT id FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'pending' AND attempts = 0`,
);

/** The deliveries table (owned by the dispatcher), written a batch per statement. */
@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Inserts the rows idempotently and returns the ids that still need their first message: new
   * rows, and unordered rows a crashed earlier run inserted without getting to send anything. An
   * ordered row that existed already is not sent again from here: its entry waits in its key,
   * and the release sweep produces it when it is the head (a background fan-out job meets the
   * ordered rows its event's batch wrote; producing them again would only be dropped by the claim).
   */
  async insertPending(rows: readonly NewDelivery[]): Promise<Set<string>> {
    const pending = new Set<string>();
    const ordered = rows.filter((r) => r.ordered);
    for (const part of chunk(ordered, 1000)) {
      const fresh = await queryPrepared<{ id: string }[]>(this.db, INSERT_PENDING_ORDERED, [
        jsonbParam(part.map((r) => ({ id: r.id, tenant_id: r.tenant_id, event_id: r.event_id, subscription_id: r.subscription_id, event_type: r.event_type, event_received_at: r.event_received_at, ...r.ordered }))),
      ]);
      for (const r of fresh) pending.add(r.id);
    }
    const unordered = rows.filter((r) => !r.ordered);
    for (const part of chunk(unordered, 2000)) {
      await queryPrepared<unknown>(this.db, INSERT_PENDING, [
        part.map((r) => r.id),
        part.map((r) => r.tenant_id),
        part.map((r) => r.event_id),
        part.map((r) => r.subscription_id),
        part.map((r) => r.event_type),
        part.map((r) => r.event_received_at),
      ]);
    }
    for (const part of chunk(unordered, 2000)) {
      const fresh: { id: string }[] = await queryPrepared<{ id: string }[]>(this.db, STILL_PENDING,
        [part.map((r) => r.id)],
      );
      for (const r of fresh) pending.add(r.id);
    }
    return pending;
  }

  /**
   * `n` positions in increasing order. Taken before any of their rows is written, all at once for
   * a batch, so the events of a key get them in the order the batch holds them.
   */
  async positions(n: number): Promise<number[]> {
    if (n === 0) return [];
    const rows = await queryPrepared<{ p: string }[]>(this.db, NEXT_POSITIONS, [n]);
    return rows.map((r) => Number(r.p)).sort((a, b) => a - b);
  }
}
