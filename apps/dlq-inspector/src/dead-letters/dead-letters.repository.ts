import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeadLetterMessage } from '@hookstream/contracts';
import { chunk, valuesPlaceholders } from '@hookstream/db';
import type { DataSource } from 'typeorm';
import { type DeadLetterFilter, filterConditions, replayedCondition } from './dead-letter-filter.js';

/** A dead letter as listed: everything but the stored message (whose body may be large). */
export interface DeadLetterSummaryRow {
  delivery_id: string;
  tenant_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  reason: string;
  error_class: string;
  last_status_code: number | null;
  attempts: number;
  generation: number;
  dead_at: Date;
  replayed_at: Date | null;
  replay_count: number;
  replayed: boolean;
  /** The delivery's status now, from the dispatcher's deliveries table (null if it has no row). */
  delivery_status: string | null;
}

export interface DeadLetterRow extends DeadLetterSummaryRow {
  message: DeadLetterMessage;
}

/** One HTTP attempt (or postponement) of a delivery, from the dispatcher's delivery_attempts. */
export interface AttemptRow {
  attempt: number;
  origin: string;
  outcome: string;
  status_code: number | null;
  error_class: string | null;
  error_message: string | null;
  response_body: string | null;
  request_url: string;
  started_at: Date;
  duration_ms: number | null;
}

export interface ListQuery {
  /** null: every tenant (admin). */
  tenantId: string | null;
  filter: DeadLetterFilter;
  replayed?: boolean;
  limit: number;
  /** The (dead_at, delivery_id) of the last row of the previous page. */
  after?: { deadAt: string; deliveryId: string };
}

const SUMMARY = `d.delivery_id, d.tenant_id, d.subscription_id, d.event_id, d.event_type, d.reason, d.error_class,
  d.last_status_code, d.attempts, COALESCE((d.message->'delivery'->>'generation')::int, 0) AS generation, d.dead_at,
  d.replayed_at, d.replay_count, d.replayed_dead_at IS NOT DISTINCT FROM d.dead_at AS replayed, del.status AS delivery_status`;

/** The key of the stored message under which a letter keeps the W3C context of its `dlq store` span. */
export const STORED_TRACEPARENT = 'traceparent';

/** dead_letters, owned by the dlq-inspector; reads the dispatcher's deliveries and delivery_attempts. */
@Injectable()
export class DeadLettersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A delivery that dies again after a replay replaces its earlier letter (keeping the replay
   * bookkeeping). One statement cannot update a row twice, so a batch holding two deaths of one
   * delivery keeps the later; rows go in delivery id order, as every writer locks them.
   */
  async upsert(stored: ReadonlyArray<{ letter: DeadLetterMessage; traceparent: string | null }>): Promise<void> {
    const latest = new Map<string, { letter: DeadLetterMessage; traceparent: string | null }>();
    for (const s of stored) {
      const prev = latest.get(s.letter.delivery.delivery_id);
      if (!prev || Date.parse(prev.letter.dead_at) < Date.parse(s.letter.dead_at)) latest.set(s.letter.delivery.delivery_id, s);
    }
    const ordered = [...latest.values()].sort((a, b) => (a.letter.delivery.delivery_id < b.letter.delivery.delivery_id ? -1 : 1));
    for (const part of chunk(ordered, 1000)) {
      await this.db.query(
        `INSERT INTO dead_letters (delivery_id, tenant_id, subscription_id, event_id, event_type, reason, error_class, last_status_code, attempts, message, dead_at)
         VALUES ${valuesPlaceholders(part.length, 11, ['uuid', 'text', 'uuid', 'text', 'text', 'text', 'text', 'int', 'int', 'jsonb', 'timestamptz'])}
         ON CONFLICT (delivery_id) DO UPDATE SET
           reason = EXCLUDED.reason, error_class = EXCLUDED.error_class, last_status_code = EXCLUDED.last_status_code,
           attempts = EXCLUDED.attempts, message = EXCLUDED.message, dead_at = EXCLUDED.dead_at
         WHERE dead_letters.dead_at < EXCLUDED.dead_at`,
        part.flatMap(({ letter: l, traceparent }) => [
          l.delivery.delivery_id,
          l.delivery.tenant_id,
          l.delivery.subscription_id,
          l.delivery.event_id,
          l.delivery.event_type,
          l.reason,
          l.failure.error_class,
          l.failure.status_code,
          l.attempts,
          // The letter's trace context rides in the stored message (STORED_TRACEPARENT), for replays.
          JSON.stringify(traceparent ? { ...l, [STORED_TRACEPARENT]: traceparent } : l),
          l.dead_at,
        ]),
      );
    }
  }

  /** Newest deaths first. */
  async list(q: ListQuery): Promise<DeadLetterSummaryRow[]> {
    const params: unknown[] = [];
    const where = filterConditions(q.filter, params);
    if (q.tenantId !== null) {
      params.push(q.tenantId);
      where.push(`d.tenant_id = $${params.length}`);
    }
    if (q.replayed !== undefined) where.push(replayedCondition(q.replayed));
    if (q.after) {
      params.push(q.after.deadAt, q.after.deliveryId);
      where.push(`(d.dead_at, d.delivery_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit);
    return this.db.query(
      `SELECT ${SUMMARY} FROM dead_letters d LEFT JOIN deliveries del ON del.id = d.delivery_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY d.dead_at DESC, d.delivery_id DESC LIMIT $${params.length}`,
      params,
    );
  }

  async get(tenantId: string | null, deliveryId: string): Promise<DeadLetterRow | null> {
    const rows: DeadLetterRow[] = await this.db.query(
      `SELECT ${SUMMARY}, d.message FROM dead_letters d LEFT JOIN deliveries del ON del.id = d.delivery_id
        WHERE d.delivery_id = $1 AND ($2::text IS NULL OR d.tenant_id = $2)`,
      [deliveryId, tenantId],
    );
    return rows[0] ?? null;
  }

  /** The delivery's latest `limit` attempts across every generation, oldest first. */
  async attempts(tenantId: string, deliveryId: string, limit: number): Promise<AttemptRow[]> {
    return this.db.query(
      `SELECT * FROM (
         SELECT attempt, origin, outcome, status_code, error_class, error_message, response_body, request_url, started_at, duration_ms
           FROM delivery_attempts WHERE delivery_id = $1 AND tenant_id = $2
          ORDER BY started_at DESC, id DESC LIMIT $3) latest
        ORDER BY started_at`,
      [deliveryId, tenantId, limit],
    );
  }
}
