import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeadLetterMessage } from '@hookstream/contracts';
import type { DataSource, EntityManager } from 'typeorm';

/** A dead letter as a replay sees it, under its row lock, with its subscription's state. */
export interface LockedLetter {
  delivery_id: string;
  tenant_id: string;
  dead_at: Date;
  replayed_dead_at: Date | null;
  replay_generation: number | null;
  message: DeadLetterMessage;
  /** The context of the letter's `dlq store` span (dead-letters.repository STORED_TRACEPARENT). */
  traceparent: string | null;
  /** null: the subscription does not exist (or was deleted). */
  subscription_enabled: boolean | null;
  subscription_disabled_reason: string | null;
}

export type ReplayStatus = 'requested' | 'pending' | 'sent' | 'skipped' | 'failed';

/** One row of `replays`: who replayed which death, when, as which generation, and what came of it. */
export interface ReplayRecord {
  id: string;
  tenant_id: string;
  delivery_id: string;
  job_id: string | null;
  requested_by: string;
  idempotency_key: string | null;
  requested_at: Date;
  status: ReplayStatus;
  dead_at: Date | null;
  generation: number | null;
  sent_at: Date | null;
  detail: string | null;
}

export interface ReplayResult {
  status: 'sent' | 'skipped';
  dead_at: Date;
  generation: number | null;
  sent_at: Date | null;
  detail: string | null;
}

/**
 * The replay side of dead_letters (generations, which death was replayed) and the `replays`
 * audit, both owned by the dlq-inspector. Reads the registry's subscriptions (never writes them).
 */
@Injectable()
export class ReplaysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Locks the letters (in delivery id order, as every writer of dead_letters does, so two
   * replayers cannot deadlock) for the rest of the transaction.
   */
  async lockLetters(em: EntityManager, deliveryIds: readonly string[], tenantId: string | null): Promise<LockedLetter[]> {
    if (deliveryIds.length === 0) return [];
    return em.query(
      `SELECT d.delivery_id, d.tenant_id, d.dead_at, d.replayed_dead_at, d.replay_generation, d.message,
              d.message->>'traceparent' AS traceparent,
              CASE WHEN s.id IS NULL OR s.deleted_at IS NOT NULL THEN NULL ELSE s.enabled END AS subscription_enabled,
              s.disabled_reason AS subscription_disabled_reason
         FROM dead_letters d
         LEFT JOIN subscriptions s ON s.id = d.subscription_id AND s.tenant_id = d.tenant_id
        WHERE d.delivery_id = ANY($1::uuid[]) AND ($2::text IS NULL OR d.tenant_id = $2)
        ORDER BY d.delivery_id
          FOR UPDATE OF d`,
      [deliveryIds, tenantId],
    );
  }

  /** The latest death of each letter is now replayed, as the given generation. */
  async markReplayed(em: EntityManager, replayed: ReadonlyArray<{ delivery_id: string; generation: number }>): Promise<void> {
    if (replayed.length === 0) return;
    await em.query(
      `UPDATE dead_letters d SET replay_generation = u.generation, replayed_dead_at = d.dead_at,
              replayed_at = now(), replay_count = d.replay_count + 1
         FROM unnest($1::uuid[], $2::int[]) AS u(delivery_id, generation)
        WHERE d.delivery_id = u.delivery_id`,
      [replayed.map((r) => r.delivery_id), replayed.map((r) => r.generation)],
    );
  }

  /**
   * The audit row of a single replay request, created once per idempotency key and locked for
   * this transaction: a concurrent request with the same key waits here, then sees the outcome.
   */
  async openRequest(em: EntityManager, tenantId: string, deliveryId: string, requestedBy: string, idempotencyKey: string): Promise<ReplayRecord> {
    const inserted: ReplayRecord[] = await em.query(
      `INSERT INTO replays (id, tenant_id, delivery_id, requested_by, idempotency_key, status)
       VALUES ($1, $2, $3, $4, $5, 'requested')
       ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING *`,
      [randomUUID(), tenantId, deliveryId, requestedBy, idempotencyKey],
    );
    if (inserted[0]) return inserted[0];
    const existing: ReplayRecord[] = await em.query('SELECT * FROM replays WHERE tenant_id = $1 AND idempotency_key = $2 FOR UPDATE', [tenantId, idempotencyKey]);
    const replay = existing[0];
    if (!replay) throw new Error(`replay request ${idempotencyKey} vanished`);
    return replay;
  }

  async finishRequest(em: EntityManager, replayId: string, result: ReplayResult): Promise<ReplayRecord> {
    const rows: [ReplayRecord[], number] = await em.query(
      `UPDATE replays SET status = $2, dead_at = $3, generation = $4, sent_at = $5, detail = $6 WHERE id = $1 RETURNING *`,
      [replayId, result.status, result.dead_at, result.generation, result.sent_at, result.detail],
    );
    const row = rows[0][0];
    if (!row) throw new Error(`replay ${replayId} vanished`);
    return row;
  }

  /** Audits a request whose transaction failed (Kafka or Postgres unavailable); a retry with the same key sends it. */
  async recordFailure(tenantId: string, deliveryId: string, requestedBy: string, idempotencyKey: string, detail: string): Promise<void> {
    await this.db.query(
      `INSERT INTO replays (id, tenant_id, delivery_id, requested_by, idempotency_key, status, detail)
       VALUES ($1, $2, $3, $4, $5, 'failed', $6)
       ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO UPDATE SET status = 'failed', detail = EXCLUDED.detail
       WHERE replays.status <> 'sent'`,
      [randomUUID(), tenantId, deliveryId, requestedBy, idempotencyKey, detail],
    );
  }

  /** A letter's replays, newest first. */
  async history(tenantId: string, deliveryId: string, limit: number): Promise<ReplayRecord[]> {
    return this.db.query(
      `SELECT * FROM replays WHERE delivery_id = $1 AND tenant_id = $2 AND status <> 'requested'
        ORDER BY requested_at DESC, id DESC LIMIT $3`,
      [deliveryId, tenantId, limit],
    );
  }
}
