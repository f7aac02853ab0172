import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RetryMessage } from '@hookstream/contracts';
import { chunk, valuesPlaceholders } from '@hookstream/db';
import type { DataSource } from 'typeorm';

export interface PendingRetry {
  message: RetryMessage;
  traceparent: string | null;
}

export interface DueRetry extends PendingRetry {
  delivery_id: string;
}

/** scheduled_retries, owned by the retry-scheduler: the durable list of what is due when. */
@Injectable()
export class ScheduledRetriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** At most one pending retry per delivery; a redelivered older message never overwrites a newer one. */
  async upsert(retries: readonly PendingRetry[]): Promise<void> {
    const latest = new Map<string, PendingRetry>();
    for (const r of retries) {
      const prev = latest.get(r.message.delivery.delivery_id);
      if (!prev || prev.message.delivery.attempt <= r.message.delivery.attempt) latest.set(r.message.delivery.delivery_id, r);
    }
    for (const part of chunk([...latest.values()], 1000)) {
      await this.db.query(
        `INSERT INTO scheduled_retries (delivery_id, tenant_id, subscription_id, attempt, due_at, expires_at, message, traceparent)
         VALUES ${valuesPlaceholders(part.length, 8, ['uuid', 'text', 'uuid', 'int', 'timestamptz', 'timestamptz', 'jsonb', 'text'])}
         ON CONFLICT (delivery_id) DO UPDATE SET
           attempt = EXCLUDED.attempt, due_at = EXCLUDED.due_at, expires_at = EXCLUDED.expires_at,
           message = EXCLUDED.message, traceparent = EXCLUDED.traceparent
         WHERE scheduled_retries.attempt <= EXCLUDED.attempt`,
        part.flatMap((r) => {
          const d = r.message.delivery;
          return [d.delivery_id, d.tenant_id, d.subscription_id, d.attempt, r.message.due_at, r.message.expires_at, JSON.stringify(r.message), r.traceparent];
        }),
      );
    }
  }

  /**
   * Claims due rows with FOR UPDATE SKIP LOCKED (so replicas never share a row), lets `work`
   * produce them, and deletes them in the same transaction: a row disappears only once its
   * message is acknowledged by Kafka. Returns how many were handled.
   */
  async claimDue(limit: number, work: (due: DueRetry[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (em) => {
      const rows: { delivery_id: string; message: RetryMessage; traceparent: string | null }[] = await em.query(
        `SELECT delivery_id, message, traceparent FROM scheduled_retries
          WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await work(rows);
      await em.query('DELETE FROM scheduled_retries WHERE delivery_id = ANY($1::uuid[])', [rows.map((r) => r.delivery_id)]);
      return rows.length;
    });
  }

  async nextDueAt(): Promise<Date | null> {
    const rows: { due_at: Date | null }[] = await this.db.query('SELECT min(due_at) AS due_at FROM scheduled_retries');
    return rows[0]?.due_at ? new Date(rows[0].due_at) : null;
  }

  async pendingCount(): Promise<number> {
    const rows: { n: string }[] = await this.db.query('SELECT count(*) AS n FROM scheduled_retries');
    return Number(rows[0]?.n ?? 0);
  }
}
