import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeadLetterMessage } from '@hookstream/contracts';
import { chunk, valuesPlaceholders } from '@hookstream/db';
import type { DataSource } from 'typeorm';

export interface DeadLetterRow {
  delivery_id: string;
  tenant_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  reason: string;
  error_class: string;
  last_status_code: number | null;
  attempts: number;
  message: DeadLetterMessage;
  dead_at: Date;
  replayed_at: Date | null;
  replay_count: number;
}

export interface ListFilter {
  tenantId: string | null;
  subscriptionId?: string;
  limit: number;
  /** Opaque cursor: the (dead_at, delivery_id) of the last row of the previous page. */
  after?: { deadAt: string; deliveryId: string };
}

export interface ReplayRecord {
  id: string;
  tenant_id: string;
  delivery_id: string;
  requested_by: string;
  idempotency_key: string;
  requested_at: Date;
  status: string;
}

/** dead_letters and replays, owned by the dlq-inspector. */
@Injectable()
export class DeadLettersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A delivery that dies again after a replay replaces its earlier letter. */
  async upsert(letters: readonly DeadLetterMessage[]): Promise<void> {
    for (const part of chunk(letters, 1000)) {
      await this.db.query(
        `INSERT INTO dead_letters (delivery_id, tenant_id, subscription_id, event_id, event_type, reason, error_class, last_status_code, attempts, message, dead_at)
         VALUES ${valuesPlaceholders(part.length, 11, ['uuid', 'text', 'uuid', 'text', 'text', 'text', 'text', 'int', 'int', 'jsonb', 'timestamptz'])}
         ON CONFLICT (delivery_id) DO UPDATE SET
           reason = EXCLUDED.reason, error_class = EXCLUDED.error_class, last_status_code = EXCLUDED.last_status_code,
           attempts = EXCLUDED.attempts, message = EXCLUDED.message, dead_at = EXCLUDED.dead_at
         WHERE dead_letters.dead_at < EXCLUDED.dead_at`,
        part.flatMap((l) => [
          l.delivery.delivery_id,
          l.delivery.tenant_id,
          l.delivery.subscription_id,
          l.delivery.event_id,
          l.delivery.event_type,
          l.reason,
          l.failure.error_class,
          l.failure.status_code,
          l.attempts,
          JSON.stringify(l),
          l.dead_at,
        ]),
      );
    }
  }

  async list(filter: ListFilter): Promise<DeadLetterRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.tenantId !== null) add('tenant_id = ?', filter.tenantId);
    if (filter.subscriptionId) add('subscription_id = ?::uuid', filter.subscriptionId);
    if (filter.after) {
      params.push(filter.after.deadAt, filter.after.deliveryId);
      where.push(`(dead_at, delivery_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    return this.db.query(
      `SELECT * FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY dead_at DESC, delivery_id DESC LIMIT $${params.length}`,
      params,
    );
  }

  async get(tenantId: string | null, deliveryId: string): Promise<DeadLetterRow | null> {
    const rows: DeadLetterRow[] =
      tenantId === null
        ? await this.db.query('SELECT * FROM dead_letters WHERE delivery_id = $1', [deliveryId])
        : await this.db.query('SELECT * FROM dead_letters WHERE delivery_id = $1 AND tenant_id = $2', [deliveryId, tenantId]);
    return rows[0] ?? null;
  }

  /**
   * Records a replay request once per idempotency key. Returns the record and whether this
   * call created it (false: the same request was made before and must not send again).
   */
  async recordReplay(tenantId: string, deliveryId: string, requestedBy: string, idempotencyKey: string): Promise<{ replay: ReplayRecord; created: boolean }> {
    const inserted: ReplayRecord[] = await this.db.query(
      `INSERT INTO replays (id, tenant_id, delivery_id, requested_by, idempotency_key, status)
       VALUES ($1, $2, $3, $4, $5, 'requested')
       ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING *`,
      [randomUUID(), tenantId, deliveryId, requestedBy, idempotencyKey],
    );
    if (inserted[0]) return { replay: inserted[0], created: true };
    const existing: ReplayRecord[] = await this.db.query('SELECT * FROM replays WHERE tenant_id = $1 AND idempotency_key = $2', [tenantId, idempotencyKey]);
    return { replay: existing[0], created: false };
  }

  async markReplayed(replayId: string, deliveryId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.query(`UPDATE replays SET status = 'sent' WHERE id = $1`, [replayId]);
      await em.query('UPDATE dead_letters SET replayed_at = now(), replay_count = replay_count + 1 WHERE delivery_id = $1', [deliveryId]);
    });
  }

  async markReplayFailed(replayId: string): Promise<void> {
    await this.db.query(`UPDATE replays SET status = 'failed' WHERE id = $1`, [replayId]);
  }
}
