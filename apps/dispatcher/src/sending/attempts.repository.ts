import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryOutcome, ErrorClass } from '@hookstream/contracts';
import { chunk, valuesPlaceholders } from '@hookstream/db';
import { compareAttempts, foldAttempts, type PlannedAttempt, type RecordedProgress } from '@hookstream/domain';
import type { DataSource } from 'typeorm';
import { type LeaseKey, releaseLeases } from '../leases/leases.repository.js';

export interface AttemptRow {
  id: string;
  delivery_id: string;
  tenant_id: string;
  subscription_id: string;
  attempt: number;
  origin: string;
  outcome: DeliveryOutcome;
  status_code: number | null;
  error_class: ErrorClass | null;
  error_message: string | null;
  response_body: string | null;
  request_url: string;
  started_at: Date;
  duration_ms: number | null;
  /** As sent, redacted (null: nothing was sent). */
  request_headers: Record<string, string> | null;
}

export interface DeliveryUpdate {
  id: string;
  generation: number;
  /** null: no attempt was made (a postponement), so only the last error changes. */
  status: 'delivered' | 'failing' | 'dead' | null;
  /** The last attempt made in `generation`. */
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
}

/** What Postgres knows of a delivery before its planned attempt is made. */
export interface DeliveryProgress {
  recorded: RecordedProgress;
  /** Attempts other dispatchers hold live leases on. */
  leasedElsewhere: PlannedAttempt[];
}

const ATTEMPT_COLUMNS = [
  ['id', 'uuid'],
  ['delivery_id', 'uuid'],
  ['tenant_id', 'text'],
  ['subscription_id', 'uuid'],
  ['attempt', 'int'],
  ['origin', 'text'],
  ['outcome', 'text'],
  ['status_code', 'int'],
  ['error_class', 'text'],
  ['error_message', 'text'],
  ['response_body', 'text'],
  ['request_url', 'text'],
  ['started_at', 'timestamptz'],
  ['duration_ms', 'int'],
  ['request_headers', 'jsonb'],
] as const;

const BUCKET_COLUMNS = [
  ['subscription_id', 'uuid'],
  ['span', 'text'],
  ['tenant_id', 'text'],
  ['bucket_start', 'timestamptz'],
  ['attempts', 'int'],
  ['successes', 'int'],
  ['failures', 'int'],
  ['postponements', 'int'],
  ['latency_histogram', 'int[]'],
  ['last_success_at', 'timestamptz'],
  ['last_failure_at', 'timestamptz'],
  ['last_failure_status', 'int'],
  ['last_failure_class', 'text'],
  ['last_failure_message', 'text'],
  ['last_breaker_open_at', 'timestamptz'],
  ['last_attempt_at', 'timestamptz'],
] as const;

/** delivery_attempts (immutable), the deliveries summary and lease release, one transaction per batch. */
@Injectable()
export class AttemptsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One query for a whole batch: each delivery's last recorded attempt and others' live leases. */
  async progress(deliveryIds: readonly string[], owner: string): Promise<Map<string, DeliveryProgress>> {
    const rows: { id: string; generation: number; attempts: number; status: RecordedProgress['status']; leased: PlannedAttempt[] | null }[] = await this.db.query(
      `SELECT d.id, d.generation, d.attempts, d.status,
              (SELECT json_agg(json_build_object('generation', l.generation, 'attempt', l.attempt))
                 FROM delivery_leases l
                WHERE l.delivery_id = d.id AND l.owner <> $2 AND l.expires_at > now()) AS leased
         FROM deliveries d WHERE d.id = ANY($1::uuid[])`,
      [deliveryIds, owner],
    );
    return new Map(rows.map((r) => [r.id, { recorded: { generation: r.generation, attempts: r.attempts, status: r.status }, leasedElsewhere: r.leased ?? [] }]));
  }

  /** Records outcomes and drops the leases of the attempts they conclude, all or nothing. */
  async record(attempts: readonly AttemptRow[], updates: readonly DeliveryUpdate[], released: { owner: string; keys: readonly LeaseKey[] }): Promise<void> {
    if (attempts.length === 0 && updates.length === 0 && released.keys.length === 0) return;
    const latest = latestPerDelivery(updates);
    await this.db.transaction(async (em) => {
      for (const part of chunk(attempts, 1000)) {
        await em.query(
          `INSERT INTO delivery_attempts (${ATTEMPT_COLUMNS.map(([c]) => c).join(', ')})
           VALUES ${valuesPlaceholders(part.length, ATTEMPT_COLUMNS.length, ATTEMPT_COLUMNS.map(([, t]) => t))}
           ON CONFLICT (id, started_at) DO NOTHING`,
          part.flatMap((a) => ATTEMPT_COLUMNS.map(([c]) => (c === 'request_headers' && a[c] !== null ? JSON.stringify(a[c]) : a[c]))),
        );
      }
      // Endpoint health's aggregates move with the rows they count, in one transaction.
      for (const part of chunk(foldAttempts(attempts), 500)) {
        await em.query(
          `INSERT INTO endpoint_health_buckets AS b (${BUCKET_COLUMNS.map(([c]) => c).join(', ')})
           VALUES ${valuesPlaceholders(part.length, BUCKET_COLUMNS.length, BUCKET_COLUMNS.map(([, t]) => t))}
           ON CONFLICT (subscription_id, span, bucket_start) DO UPDATE SET
             attempts = b.attempts + EXCLUDED.attempts,
             successes = b.successes + EXCLUDED.successes,
             failures = b.failures + EXCLUDED.failures,
             postponements = b.postponements + EXCLUDED.postponements,
             latency_histogram = ARRAY(SELECT x + y FROM unnest(b.latency_histogram, EXCLUDED.latency_histogram) WITH ORDINALITY AS h(x, y, i) ORDER BY i),
             last_success_at = GREATEST(b.last_success_at, EXCLUDED.last_success_at),
             last_failure_status = CASE WHEN EXCLUDED.last_failure_at >= b.last_failure_at OR b.last_failure_at IS NULL THEN EXCLUDED.last_failure_status ELSE b.last_failure_status END,
             last_failure_class = CASE WHEN EXCLUDED.last_failure_at >= b.last_failure_at OR b.last_failure_at IS NULL THEN EXCLUDED.last_failure_class ELSE b.last_failure_class END,
             last_failure_message = CASE WHEN EXCLUDED.last_failure_at >= b.last_failure_at OR b.last_failure_at IS NULL THEN EXCLUDED.last_failure_message ELSE b.last_failure_message END,
             last_failure_at = GREATEST(b.last_failure_at, EXCLUDED.last_failure_at),
             last_breaker_open_at = GREATEST(b.last_breaker_open_at, EXCLUDED.last_breaker_open_at),
             last_attempt_at = GREATEST(b.last_attempt_at, EXCLUDED.last_attempt_at)`,
          part.flatMap((d) => BUCKET_COLUMNS.map(([c]) => d[c])),
        );
      }
      if (latest.length > 0) {
        // Progress only moves forward: an outcome older than what the row holds changes nothing,
        // and a postponement (status null) leaves status and counters alone.
        await em.query(
          `UPDATE deliveries d SET
              status = COALESCE(u.status, d.status),
              generation = CASE WHEN u.status IS NULL THEN d.generation ELSE u.generation END,
              attempts = CASE WHEN u.status IS NULL THEN d.attempts ELSE u.attempts END,
              last_status_code = COALESCE(u.last_status_code, d.last_status_code),
              last_error = CASE WHEN u.status = 'delivered' THEN NULL ELSE COALESCE(u.last_error, d.last_error) END,
              updated_at = now()
             FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::int[], $6::text[]) AS u(id, generation, status, attempts, last_status_code, last_error)
            WHERE d.id = u.id AND (u.generation, u.attempts) >= (d.generation, d.attempts)`,
          [
            latest.map((u) => u.id),
            latest.map((u) => u.generation),
            latest.map((u) => u.status),
            latest.map((u) => u.attempts),
            latest.map((u) => u.last_status_code),
            latest.map((u) => u.last_error),
          ],
        );
      }
      if (released.keys.length > 0) await em.query(...releaseLeases(released.owner, released.keys));
    });
  }
}

/** One update per delivery for a statement (UPDATE … FROM applies only one): the most advanced, an attempt before a postponement. */
function latestPerDelivery(updates: readonly DeliveryUpdate[]): DeliveryUpdate[] {
  const byId = new Map<string, DeliveryUpdate>();
  for (const u of updates) {
    const prev = byId.get(u.id);
    const order = prev ? compareAttempts({ generation: u.generation, attempt: u.attempts }, { generation: prev.generation, attempt: prev.attempts }) : 1;
    if (!prev || order > 0 || (order === 0 && prev.status === null)) byId.set(u.id, u);
  }
  return [...byId.values()];
}
