import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryMessage } from '@hookstream/contracts';
import { chunk, preparedStatement, queryPrepared, SqlParams } from '@hookstream/db';
import type { DataSource } from 'typeorm';
import { DomainError, type PlannedAttempt } from '@hookstream/domain';

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

/**
 * One batch of leases as a jsonb array ($1), so the text is fixed and prepared once per
 * connection. Written only while the owner's heartbeat row is live, and with a key-share lock on
 * it: a sweeper that has claimed the row (FOR UPDATE) either finished first, and then nothing is
 * written (the count says so), or waits until these rows are committed and takes them too.
 */
const HOLD_LEASES = preparedStatement(
  'hold_leases',
  `WITH live AS (
     SELECT 1 FROM dispatcher_owners WHERE owner = $2::text AND expires_at > now() FOR KEY SHARE
   ), held AS (
     INSERT INTO delivery_leases (delivery_id, generation, attempt, tenant_id, subscription_id, owner, message, traceparent)
     SELECT v.delivery_id, v.generation, v.attempt, v.tenant_id, v.subscription_id, $2::text, v.message, v.traceparent
       FROM jsonb_to_recordset($1::jsonb) AS v(delivery_id uuid, generation int, attempt int, tenant_id text, subscription_id uuid, message jsonb, traceparent text)
      WHERE EXISTS (SELECT 1 FROM live)
     ON CONFLICT (delivery_id, generation, attempt) DO UPDATE SET owner = EXCLUDED.owner, expires_at = NULL
     RETURNING 1
   )
   SELECT count(*)::int AS n FROM held`,
);

/** Registers an owner, live for $2 ms. */
const JOIN_OWNER = preparedStatement(
  'join_owner',
  `INSERT INTO dispatcher_owners (owner, expires_at) VALUES ($1::text, now() + make_interval(secs => $2::int / 1000.0))
   ON CONFLICT (owner) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
);

/** Extends a live owner's row; no row back means it expired (a sweeper may have taken its leases). */
const BEAT = preparedStatement(
  'owner_heartbeat',
  `WITH beat AS (
     UPDATE dispatcher_owners SET expires_at = now() + make_interval(secs => $2::int / 1000.0)
      WHERE owner = $1::text AND expires_at > now()
     RETURNING 1
   )
   SELECT count(*)::int AS n FROM beat`,
);

/** A lease's key and what re-driving it needs. */
type SweptLease = LeaseRow & LeaseKey;

/**
 * A hold refused because its owner's heartbeat row is no longer live (a sweeper may be taking
 * its leases). An 'unavailable' DomainError, so the consumer retries the batch in place (under
 * the owner's new name) instead of taking its messages for poison.
 */
export class OwnerLostError extends DomainError {
  constructor(readonly owner: string) {
    super('unavailable', `dispatcher ${owner} is no longer a live lease owner (its heartbeat expired)`);
  }
}

/**
 * delivery_leases and dispatcher_owners, owned by the dispatcher: attempts in flight past their
 * batch's commit, kept alive by their owner's heartbeat row (migration 0025).
 */
@Injectable()
export class LeasesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Registers `owner` (or extends it), live for `ttlMs`. */
  async join(owner: string, ttlMs: number): Promise<void> {
    await queryPrepared<unknown>(this.db, JOIN_OWNER, [owner, ttlMs]);
  }

  /** Extends `owner`'s row by `ttlMs`; false when it had expired, and a sweeper may have taken its leases. */
  async beat(owner: string, ttlMs: number): Promise<boolean> {
    const [beat] = await queryPrepared<{ n: number }[]>(this.db, BEAT, [owner, ttlMs]);
    return (beat?.n ?? 0) > 0;
  }

  /**
   * Leases the attempts to `owner`, one statement per thousand. Throws OwnerLostError when the
   * owner's row is no longer live: nothing of that statement was written.
   */
  async hold(owner: string, leases: readonly LeaseRow[]): Promise<void> {
    for (const part of chunk(leases, 1000)) {
      const rows = part.map((l) => {
        const m = l.message;
        return { delivery_id: m.delivery_id, generation: m.generation, attempt: m.attempt, tenant_id: m.tenant_id, subscription_id: m.subscription_id, message: m, traceparent: l.traceparent };
      });
      // Plain JSON: the message carries the tenant's payload, which the gateway has validated.
      const [written] = await queryPrepared<{ n: number }[]>(this.db, HOLD_LEASES, [JSON.stringify(rows), owner]);
      if ((written?.n ?? 0) < rows.length) throw new OwnerLostError(owner);
    }
  }

  /**
   * Claims one dead owner (its row expired; FOR UPDATE SKIP LOCKED, so sweepers never share one),
   * lets `work` put a page of its leases' messages back on Kafka, and deletes them in the same
   * transaction; the owner's row goes with its last page. Leases written before migration 0025
   * carry their own expiry and are taken by it. Returns how many leases were re-driven, and
   * whether a dead owner's row was removed.
   */
  async sweepExpired(limit: number, work: (rows: LeaseRow[]) => Promise<void>): Promise<{ leases: number; owners: number }> {
    return this.db.transaction(async (em) => {
      const [dead] = await em.query<{ owner: string }[]>(
        `SELECT owner FROM dispatcher_owners WHERE expires_at < now() ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const rows: SweptLease[] = dead
        ? await em.query(
            `SELECT delivery_id, generation, attempt, message, traceparent FROM delivery_leases
              WHERE owner = $1 AND (expires_at IS NULL OR expires_at < now()) LIMIT $2 FOR UPDATE`,
            [dead.owner, limit],
          )
        : await em.query(
            `SELECT delivery_id, generation, attempt, message, traceparent FROM delivery_leases
              WHERE expires_at < now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
            [limit],
          );
      if (rows.length > 0) {
        await work(rows);
        const p = new SqlParams();
        await em.query(deleteLeases(p, rows), p.values);
      }
      if (dead && rows.length < limit) {
        // A dispatcher of the previous version may still renew its own leases' expiry: its row
        // then waits for the latest of them instead of going.
        const [gone] = await em.query<{ n: number }[]>(
          `WITH gone AS (DELETE FROM dispatcher_owners WHERE owner = $1 AND NOT EXISTS (SELECT 1 FROM delivery_leases WHERE owner = $1) RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [dead.owner],
        );
        if ((gone?.n ?? 0) > 0) return { leases: rows.length, owners: 1 };
        await em.query(`UPDATE dispatcher_owners SET expires_at = (SELECT max(expires_at) FROM delivery_leases WHERE owner = $1) WHERE owner = $1`, [dead.owner]);
      }
      return { leases: rows.length, owners: 0 };
    });
  }

  /** Gives leases up at once (their messages were handed back to Kafka). */
  async release(owner: string, keys: readonly LeaseKey[]): Promise<void> {
    if (keys.length === 0) return;
    const p = new SqlParams();
    await this.db.query(deleteLeases(p, keys, owner), p.values);
  }
}
