import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AttemptRow } from '../dead-letters/dead-letters.repository.js';
import { bind, type DeliveryFilter, deliveryConditions, MICROS, microsCondition } from './delivery-filter.js';

export interface DeliveryRow {
  id: string;
  tenant_id: string;
  event_id: string;
  event_type: string;
  subscription_id: string;
  status: 'pending' | 'delivered' | 'failing' | 'dead';
  attempts: number;
  generation: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
  next_retry_at: Date | null;
  /** created_at in microseconds: the page cursor. */
  micros: string;
}

/** An attempt as the dead-letter view reads it, plus the request headers sent (redacted). */
export interface AttemptHistoryRow extends AttemptRow {
  request_headers: Record<string, string> | null;
}

export interface EventRow {
  tenant_id: string;
  id: string;
  type: string;
  occurred_at: Date;
  received_at: Date;
  source: string;
  data: unknown;
  micros: string;
}

/** What a manual retry needs to know about a delivery, read under the retry's advisory lock. */
export interface RetryTarget {
  delivery: DeliveryRow;
  /** The body the receiver got: from the dead letter or the pending retry when one holds it. */
  stored_body: string | null;
  first_attempt_at: Date | null;
  event: { id: string; type: string; occurred_at: Date; received_at: Date; data: Record<string, unknown> } | null;
  /** The highest generation any replay or retry of it was sent as. */
  max_sent_generation: number | null;
  dead_letter_generation: number | null;
  subscription_enabled: boolean | null;
  subscription_disabled_reason: string | null;
}

// next_retry_at: the retry-scheduler's pending row (one per delivery, by its primary key).
// delivered_at: the recorder sets the status and updated_at together, and nothing else moves a
// delivered row until a replay makes it pending again.
const DELIVERY = `d.id, d.tenant_id, d.event_id, d.event_type, d.subscription_id, d.status, d.attempts, d.generation,
  d.last_status_code, d.last_error, d.created_at, d.updated_at, ${MICROS('d.created_at')} AS micros,
  CASE WHEN d.status = 'delivered' THEN d.updated_at END AS delivered_at,
  (SELECT sr.due_at FROM scheduled_retries sr WHERE sr.delivery_id = d.id AND sr.fired_at IS NULL) AS next_retry_at`;

/**
 * Reads the dispatcher's deliveries and delivery_attempts and the gateway's events (never writes
 * them). Every query takes the tenant, or null for an admin reading across tenants.
 */
@Injectable()
export class DeliveryHistoryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Newest first. */
  async list(tenantId: string | null, filter: DeliveryFilter, limit: number, after?: { micros: string; id: string }): Promise<DeliveryRow[]> {
    const params: unknown[] = [];
    const where = deliveryConditions(filter, params);
    if (tenantId !== null) where.push(`d.tenant_id = ${bind(params, tenantId)}`);
    if (after) where.push(microsCondition('d.created_at', 'd.id', after.micros, after.id, params, 'uuid'));
    return this.db.query(
      `SELECT ${DELIVERY} FROM deliveries d ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY d.created_at DESC, d.id DESC LIMIT ${bind(params, limit)}`,
      params,
    );
  }

  async get(tenantId: string | null, id: string, em: EntityManager | DataSource = this.db): Promise<DeliveryRow | null> {
    const rows: DeliveryRow[] = await em.query(`SELECT ${DELIVERY} FROM deliveries d WHERE d.id = $1 AND ($2::text IS NULL OR d.tenant_id = $2)`, [id, tenantId]);
    return rows[0] ?? null;
  }

  /** The latest `limit` attempts across every generation, oldest first. */
  async attempts(tenantId: string, deliveryId: string, limit: number): Promise<AttemptHistoryRow[]> {
    return this.db.query(
      `SELECT * FROM (
         SELECT attempt, origin, outcome, status_code, error_class, error_message, response_body, request_url, started_at, duration_ms, request_headers
           FROM delivery_attempts WHERE delivery_id = $1 AND tenant_id = $2
          ORDER BY started_at DESC, id DESC LIMIT $3) latest
        ORDER BY started_at`,
      [deliveryId, tenantId, limit],
    );
  }

  /** The deliveries one event caused, one per subscription it matched. */
  async forEvent(tenantId: string | null, eventId: string, limit: number, after?: string): Promise<DeliveryRow[]> {
    const params: unknown[] = [eventId];
    const where = ['d.event_id = $1'];
    if (tenantId !== null) where.push(`d.tenant_id = ${bind(params, tenantId)}`);
    if (after) where.push(`d.id > ${bind(params, after)}::uuid`);
    return this.db.query(`SELECT ${DELIVERY} FROM deliveries d WHERE ${where.join(' AND ')} ORDER BY d.id LIMIT ${bind(params, limit)}`, params);
  }

  /** Newest received first. */
  async events(
    tenantId: string | null,
    filter: { type?: string | undefined; since?: string | undefined; until?: string | undefined },
    limit: number,
    after?: { micros: string; id: string },
  ): Promise<EventRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (tenantId !== null) where.push(`e.tenant_id = ${bind(params, tenantId)}`);
    const type = filter.type;
    if (type && type !== '*') where.push(type.endsWith('.*') ? `starts_with(e.type, ${bind(params, type.slice(0, -1))})` : `e.type = ${bind(params, type)}`);
    if (filter.since) where.push(`e.received_at >= ${bind(params, filter.since)}::timestamptz`);
    if (filter.until) where.push(`e.received_at < ${bind(params, filter.until)}::timestamptz`);
    if (after) where.push(microsCondition('e.received_at', 'e.id', after.micros, after.id, params, 'text'));
    return this.db.query(
      `SELECT e.tenant_id, e.id, e.type, e.occurred_at, e.received_at, e.source, e.data, ${MICROS('e.received_at')} AS micros
         FROM events e ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY e.received_at DESC, e.id DESC LIMIT ${bind(params, limit)}`,
      params,
    );
  }

  async eventExists(tenantId: string | null, eventId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM events WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) LIMIT 1', [eventId, tenantId]);
    return rows.length > 0;
  }

  /**
   * Everything a retry decides on, after taking the delivery's advisory lock (two retries of one
   * delivery serialise) and its dead letter's row lock, if it has one (a retry and a dead-letter
   * replay serialise), for the rest of `em`'s transaction: the second one sees the generation
   * the first one sent.
   */
  async lockForRetry(em: EntityManager, tenantId: string | null, id: string): Promise<RetryTarget | null> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('delivery-retry:' || $1, 0))`, [id]);
    const delivery = await this.get(tenantId, id, em);
    if (!delivery) return null;
    await em.query('SELECT 1 FROM dead_letters WHERE delivery_id = $1 FOR UPDATE', [id]);
    const rows: Omit<RetryTarget, 'delivery'>[] = await em.query(
      `SELECT COALESCE(dl.message->'delivery'->>'body', sr.message->'delivery'->>'body') AS stored_body,
              COALESCE(dl.message->'delivery'->>'first_attempt_at', sr.message->'delivery'->>'first_attempt_at')::timestamptz AS first_attempt_at,
              (SELECT json_build_object('id', e.id, 'type', e.type, 'occurred_at', e.occurred_at, 'received_at', e.received_at, 'data', e.data)
                 FROM events e WHERE e.tenant_id = $2 AND e.id = $3 LIMIT 1) AS event,
              (SELECT max(r.generation) FROM replays r WHERE r.delivery_id = $1 AND r.tenant_id = $2) AS max_sent_generation,
              GREATEST(dl.replay_generation, (dl.message->'delivery'->>'generation')::int) AS dead_letter_generation,
              CASE WHEN s.id IS NULL OR s.deleted_at IS NOT NULL THEN NULL ELSE s.enabled END AS subscription_enabled,
              s.disabled_reason AS subscription_disabled_reason
         FROM (SELECT 1) one
         LEFT JOIN dead_letters dl ON dl.delivery_id = $1 AND dl.tenant_id = $2
         LEFT JOIN scheduled_retries sr ON sr.delivery_id = $1 AND sr.tenant_id = $2 AND sr.fired_at IS NULL
         LEFT JOIN subscriptions s ON s.id = $4 AND s.tenant_id = $2`,
      [id, delivery.tenant_id, delivery.event_id, delivery.subscription_id],
    );
    const rest = rows[0];
    if (!rest) return null;
    return { delivery, ...rest };
  }

  /** A manual retry already made under this Idempotency-Key, locked for the caller's transaction. */
  async lockRetryByKey(em: EntityManager, tenantId: string, key: string): Promise<RetryRecord | null> {
    const rows: RetryRecord[] = await em.query('SELECT * FROM replays WHERE tenant_id = $1 AND idempotency_key = $2 FOR UPDATE', [tenantId, key]);
    return rows[0] ?? null;
  }

  /** Audits a manual retry as sent (a repeat under the same Idempotency-Key updates its row). */
  async insertRetryAudit(em: EntityManager, d: DeliveryRow, requestedBy: string, opts: { reason: string | null; idempotencyKey?: string }, generation: number, at: Date): Promise<RetryRecord> {
    const rows: RetryRecord[] = await em.query(
      `INSERT INTO replays (id, tenant_id, delivery_id, requested_by, idempotency_key, status, kind, reason, generation, sent_at, requested_at)
       VALUES ($1, $2, $3, $4, $5, 'sent', 'retry', $6, $7, $8, $8)
       ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL
       DO UPDATE SET status = 'sent', generation = EXCLUDED.generation, sent_at = EXCLUDED.sent_at, reason = EXCLUDED.reason, detail = NULL
       RETURNING *`,
      [randomUUID(), d.tenant_id, d.id, requestedBy, opts.idempotencyKey ?? null, opts.reason, generation, at],
    );
    const row = rows[0];
    if (!row) throw new Error(`retry audit of ${d.id} was not written`);
    return row;
  }

  /** The delivery's dead letter (if any) counts as replayed by this generation. */
  async markLetterRetried(em: EntityManager, deliveryId: string, generation: number): Promise<void> {
    await em.query(
      `UPDATE dead_letters SET replay_generation = GREATEST(COALESCE(replay_generation, 0), $2), replayed_dead_at = dead_at,
              replayed_at = now(), replay_count = replay_count + 1
        WHERE delivery_id = $1`,
      [deliveryId, generation],
    );
  }

  /** Replays and manual retries of one delivery, newest first. */
  retryHistory(tenantId: string, deliveryId: string, limit: number): Promise<RetryRecord[]> {
    return this.db.query(
      `SELECT * FROM replays WHERE delivery_id = $1 AND tenant_id = $2 AND status <> 'requested' ORDER BY requested_at DESC, id DESC LIMIT $3`,
      [deliveryId, tenantId, limit],
    );
  }
}

/** A row of `replays` as the delivery history shows it. */
export interface RetryRecord {
  id: string;
  delivery_id: string;
  kind: 'replay' | 'retry';
  requested_by: string;
  requested_at: Date;
  status: string;
  generation: number | null;
  sent_at: Date | null;
  reason: string | null;
  detail: string | null;
}
