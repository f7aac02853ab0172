import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RetryMessage } from '@hookstream/contracts';
import { chunk, execute, preparedStatement, queryPrepared } from '@hookstream/db';
import { supersedesRetry } from '@hookstream/domain';
import type { DataSource } from 'typeorm';

export interface PendingRetry {
  message: RetryMessage;
  traceparent: string | null;
}

export interface DueRetry extends PendingRetry {
  delivery_id: string;
}

/** The Postgres channel on which stored due times are announced to every replica. */
export const RETRY_DUE_CHANNEL = 'hookstream_retry_due';

/** Subscribes a dedicated connection to the due times every replica announces (RetryDueListener). */
export async function listenForDueRetries(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  await client.query(`LISTEN ${RETRY_DUE_CHANNEL}`);
}

/**
 * One batch as a jsonb array ($1): the text is fixed, so each connection prepares it once. The
 * earliest due time stored is announced on RETRY_DUE_CHANNEL when the statement commits.
 */
const UPSERT_RETRIES = preparedStatement(
  'scheduled_retries_upsert',
  `WITH stored AS (
     INSERT INTO scheduled_retries AS s (delivery_id, tenant_id, subscription_id, generation, attempt, due_at, expires_at, message, traceparent)
     SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS v(delivery_id uuid, tenant_id text, subscription_id uuid, generation int, attempt int, due_at timestamptz, expires_at timestamptz, message jsonb, traceparent text)
     ON CONFLICT (delivery_id) DO UPDATE SET
       generation = EXCLUDED.generation, attempt = EXCLUDED.attempt, due_at = EXCLUDED.due_at, expires_at = EXCLUDED.expires_at,
       message = EXCLUDED.message, traceparent = EXCLUDED.traceparent, fired_at = NULL, created_at = now()
     WHERE (s.generation, s.attempt, s.due_at) < (EXCLUDED.generation, EXCLUDED.attempt, EXCLUDED.due_at)
     RETURNING s.due_at
   )
   SELECT pg_notify('${RETRY_DUE_CHANNEL}', (extract(epoch FROM first) * 1000)::bigint::text)
     FROM (SELECT min(due_at) AS first FROM stored) earliest WHERE first IS NOT NULL`,
);

/**
 * scheduled_retries, owned by the retry-scheduler: the durable list of what is due when. A row is
 * pending until fired; then its payload is dropped and it stays as a tombstone (fired_at set) that
 * keeps redelivered copies of the same retry out, until the sweeper removes it.
 */
@Injectable()
export class ScheduledRetriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Stores each delivery's latest retry. A message that does not supersede what the row holds
   * (pending or fired) is a redelivered or stale copy and changes nothing. The earliest due time
   * stored is announced on RETRY_DUE_CHANNEL when the statement commits, so a replica sleeping
   * past it wakes up.
   */
  async upsert(retries: readonly PendingRetry[]): Promise<void> {
    const latest = new Map<string, PendingRetry>();
    for (const r of retries) {
      const prev = latest.get(r.message.delivery.delivery_id);
      if (!prev || supersedesRetry(r.message, prev.message)) latest.set(r.message.delivery.delivery_id, r);
    }
    for (const part of chunk([...latest.values()], 1000)) {
      const rows = part.map((r) => {
        const d = r.message.delivery;
        return { delivery_id: d.delivery_id, tenant_id: d.tenant_id, subscription_id: d.subscription_id, generation: d.generation, attempt: d.attempt, due_at: r.message.due_at, expires_at: r.message.expires_at, message: r.message, traceparent: r.traceparent };
      });
      // Plain JSON: the message carries the tenant's payload, which the gateway has validated.
      await queryPrepared<unknown>(this.db, UPSERT_RETRIES, [JSON.stringify(rows)]);
    }
  }

  /**
   * Claims due rows with FOR UPDATE SKIP LOCKED (so replicas never share a row), lets `work`
   * produce them, and marks them fired in the same transaction: a retry leaves the pending set
   * only once its message is acknowledged by Kafka. Returns how many were handled.
   */
  async claimDue(limit: number, work: (due: DueRetry[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (em) => {
      const rows: DueRetry[] = await em.query(
        `SELECT delivery_id, message, traceparent FROM scheduled_retries
          WHERE fired_at IS NULL AND due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await work(rows);
      await em.query('UPDATE scheduled_retries SET fired_at = now(), message = NULL, traceparent = NULL WHERE delivery_id = ANY($1::uuid[])', [
        rows.map((r) => r.delivery_id),
      ]);
      return rows.length;
    });
  }

  /**
   * Milliseconds until the earliest pending retry is due (zero or less: due now), by the
   * database's clock, so a skew between hosts never makes a replica wake too early and spin.
   */
  async nextDueInMs(): Promise<number | null> {
    const rows: { ms: number | null }[] = await this.db.query(
      'SELECT (extract(epoch FROM min(due_at) - clock_timestamp()) * 1000)::float8 AS ms FROM scheduled_retries WHERE fired_at IS NULL',
    );
    return rows[0]?.ms ?? null;
  }

  async pendingCount(): Promise<number> {
    const rows: { n: string }[] = await this.db.query('SELECT count(*) AS n FROM scheduled_retries WHERE fired_at IS NULL');
    return Number(rows[0]?.n ?? 0);
  }

  /** Removes up to `limit` tombstones fired more than `retentionSeconds` ago; returns how many. */
  async sweepFired(retentionSeconds: number, limit: number): Promise<number> {
    const n = await execute(
      this.db,
      `DELETE FROM scheduled_retries WHERE delivery_id IN (
         SELECT delivery_id FROM scheduled_retries WHERE fired_at < now() - make_interval(secs => $1)
          ORDER BY fired_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [retentionSeconds, limit],
    );
    return n;
  }
}
