import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryMessage } from '@hookstream/contracts';
import { chunk, preparedStatement, queryPrepared, SqlParams } from '@hookstream/db';
import type { DataSource } from 'typeorm';
import type { PlannedAttempt } from '@hookstream/domain';

export interface LeaseKey extends PlannedAttempt {
  delivery_id: string;
}

export interface LeaseRow {
  message: DeliveryMessage;
  traceparent: string | null;
}

/** Keys in (delivery, generation, attempt) order: concurrent statements lock the rows in one order. */
export const sortedKeys = (keys: readonly LeaseKey[]): LeaseKey[] =>
  [...keys].sort((a, b) => (a.delivery_id < b.delivery_id ? -1 : a.delivery_id > b.delivery_id ? 1 : a.generation - b.generation || a.attempt - b.attempt));

/**
 * The DELETE of the leases on `keys` (of `owner` only, when given), its parameters added to `p`.
 * The outcome recorder releases its leases inside its own statement (attempts.repository.ts).
 */
export function deleteLeases(p: SqlParams, keys: readonly LeaseKey[], owner?: string): string {
  const k = sortedKeys(keys);
  return `DELETE FROM delivery_leases l USING unnest(${p.one(k.map((x) => x.delivery_id), 'uuid[]')}, ${p.one(k.map((x) => x.generation), 'int[]')}, ${p.one(k.map((x) => x.attempt), 'int[]')}) AS k(delivery_id, generation, attempt)
  WHERE l.delivery_id = k.delivery_id AND l.generation = k.generation AND l.attempt = k.attempt${owner === undefined ? '' : ` AND l.owner = ${p.one(owner)}`}`;
}

/** One batch of leases as a jsonb array ($1), so the text is fixed and prepared once per connection. */
const HOLD_LEASES = preparedStatement(
  'hold_leases',
  `INSERT INTO delivery_leases (delivery_id, generation, attempt, tenant_id, subscription_id, owner, expires_at, message, traceparent)
   SELECT v.delivery_id, v.generation, v.attempt, v.tenant_id, v.subscription_id, $2::text, now() + make_interval(secs => $3::int / 1000.0), v.message, v.traceparent
     FROM jsonb_to_recordset($1::jsonb) AS v(delivery_id uuid, generation int, attempt int, tenant_id text, subscription_id uuid, message jsonb, traceparent text)
   ON CONFLICT (delivery_id, generation, attempt) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at`,
);

/**
 * The rows renewed, and those left alone because they have more than two thirds of the TTL left
 * (read from the statement's snapshot: a sweeper takes only expired rows, so none of those can
 * be gone; a row a sweeper deleted meanwhile is absent from what the UPDATE returns).
 */
const RENEW_LEASES = preparedStatement(
  'renew_leases',
  `WITH renewed AS (
     UPDATE delivery_leases SET expires_at = now() + make_interval(secs => $2::int / 1000.0)
      WHERE owner = $1::text AND expires_at < now() + make_interval(secs => $2::int / 1500.0)
     RETURNING delivery_id, generation, attempt
   )
   SELECT delivery_id, generation, attempt FROM renewed
   UNION ALL
   SELECT delivery_id, generation, attempt FROM delivery_leases
    WHERE owner = $1::text AND expires_at >= now() + make_interval(secs => $2::int / 1500.0)`,
);

/** delivery_leases, owned by the dispatcher: attempts in flight past their batch's commit. */
@Injectable()
export class LeasesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Leases the attempts to `owner` for `ttlMs`, one statement per thousand. */
  async hold(owner: string, ttlMs: number, leases: readonly LeaseRow[]): Promise<void> {
    for (const part of chunk(leases, 1000)) {
      const rows = part.map((l) => {
        const m = l.message;
        return { delivery_id: m.delivery_id, generation: m.generation, attempt: m.attempt, tenant_id: m.tenant_id, subscription_id: m.subscription_id, message: m, traceparent: l.traceparent };
      });
      // Plain JSON: the message carries the tenant's payload, which the gateway has validated.
      await queryPrepared<unknown>(this.db, HOLD_LEASES, [JSON.stringify(rows), owner, ttlMs]);
    }
  }

  /**
   * Extends the leases `owner` holds that have less than two thirds of `ttlMs` left, and returns
   * every lease it still holds (a sweeper may have taken expired ones). Renewed every third of
   * the TTL, a lease is extended with at least a third left; one written since the last round
   * needs nothing yet. Extending all of them each round rewrote every row and its three index
   * entries about once per delivery: 175,000 updates for 310,000 deliveries in the bench.
   */
  async renew(owner: string, ttlMs: number): Promise<LeaseKey[]> {
    return queryPrepared<LeaseKey[]>(this.db, RENEW_LEASES, [owner, ttlMs]);
  }

  /**
   * Claims expired leases with FOR UPDATE SKIP LOCKED (so sweepers never share one), lets
   * `work` put their messages back on Kafka, and deletes them in the same transaction.
   */
  async sweepExpired(limit: number, work: (rows: LeaseRow[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (em) => {
      const rows: (LeaseRow & LeaseKey)[] = await em.query(
        `SELECT delivery_id, generation, attempt, message, traceparent FROM delivery_leases
          WHERE expires_at < now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await work(rows);
      const p = new SqlParams();
      await em.query(deleteLeases(p, rows), p.values);
      return rows.length;
    });
  }

  /** Gives leases up at once (their messages were handed back to Kafka). */
  async release(owner: string, keys: readonly LeaseKey[]): Promise<void> {
    if (keys.length === 0) return;
    const p = new SqlParams();
    await this.db.query(deleteLeases(p, keys, owner), p.values);
  }
}
