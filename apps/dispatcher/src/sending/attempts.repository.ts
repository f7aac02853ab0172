import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryOutcome, ErrorClass } from '@hookstream/contracts';
import { chunk, preparedStatement, queryPrepared, SqlParams } from '@hookstream/db';
import { compareAttempts, foldAttempts, type PlannedAttempt, type RecordedProgress } from '@hookstream/domain';
import type { DataSource } from 'typeorm';
import { deleteLeases, type LeaseKey } from '../leases/leases.repository.js';

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

const DELIVERY_PROGRESS = preparedStatement(
  'delivery_progress',
  `SELECT d.id, d.generation, d.attempts, d.status,
              (SELECT json_agg(json_build_object('generation', l.generation, 'attempt', l.attempt))
                 FROM delivery_leases l
                WHERE l.delivery_id = d.id AND l.owner <> $2 AND l.expires_at > now()) AS leased
         FROM deliveries d WHERE d.id = ANY($1::uuid[])`,
);

/** delivery_attempts (immutable), the deliveries summary and lease release, one statement per batch. */
@Injectable()
export class AttemptsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One query for a whole batch: each delivery's last recorded attempt and others' live leases. */
  async progress(deliveryIds: readonly string[], owner: string): Promise<Map<string, DeliveryProgress>> {
    const rows = await queryPrepared<{ id: string; generation: number; attempts: number; status: RecordedProgress['status']; leased: PlannedAttempt[] | null }[]>(this.db, DELIVERY_PROGRESS, [deliveryIds, owner]);
    return new Map(rows.map((r) => [r.id, { recorded: { generation: r.generation, attempts: r.attempts, status: r.status }, leasedElsewhere: r.leased ?? [] }]));
  }

  /**
   * Records outcomes and drops the leases of the attempts they conclude, all or nothing, in one
   * statement (one round trip: on a quiet system most batches hold one outcome, and BEGIN, four
   * statements and COMMIT cost six). Its parts are data-modifying CTEs, which Postgres runs once
   * each and in the order written whether or not the query reads them; each part's rows are
   * sorted by key, so two recorders lock the same rows in the same order and cannot deadlock.
   * A batch too large for one statement's parameters goes in several, in one transaction.
   */
  async record(attempts: readonly AttemptRow[], updates: readonly DeliveryUpdate[], released: { owner: string; keys: readonly LeaseKey[] }): Promise<void> {
    if (attempts.length === 0 && updates.length === 0 && released.keys.length === 0) return;
    const latest = latestPerDelivery(updates).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // foldAttempts answers in key order already.
    const buckets = foldAttempts(attempts);
    if (attempts.length <= ATTEMPTS_PER_STATEMENT && buckets.length <= BUCKETS_PER_STATEMENT) {
      const p = new SqlParams();
      const sql = recordStatement(p, attempts, buckets, latest, released);
      if (sql) await this.db.query(sql, p.values);
      return;
    }
    await this.db.transaction(async (em) => {
      const attemptParts = chunk(attempts, ATTEMPTS_PER_STATEMENT);
      const bucketParts = chunk(buckets, BUCKETS_PER_STATEMENT);
      for (let i = 0; i < Math.max(attemptParts.length, bucketParts.length); i++) {
        const p = new SqlParams();
        const sql = recordStatement(p, attemptParts[i] ?? [], bucketParts[i] ?? [], [], { owner: released.owner, keys: [] });
        if (sql) await em.query(sql, p.values);
      }
      const p = new SqlParams();
      const sql = recordStatement(p, [], [], latest, released);
      if (sql) await em.query(sql, p.values);
    });
  }
}

/** Parameters per statement stay far below Postgres' 65,535: 15 per attempt, 16 per bucket. */
const ATTEMPTS_PER_STATEMENT = 1000;
const BUCKETS_PER_STATEMENT = 500;

type Bucket = ReturnType<typeof foldAttempts>[number];

/** One statement recording whatever of the four parts has rows (CTEs under `SELECT 1` when several); null when none has. */
function recordStatement(p: SqlParams, attempts: readonly AttemptRow[], buckets: readonly Bucket[], latest: readonly DeliveryUpdate[], released: { owner: string; keys: readonly LeaseKey[] }): string | null {
  const parts: string[] = [];
  if (attempts.length > 0) {
    parts.push(`INSERT INTO delivery_attempts (${ATTEMPT_COLUMNS.map(([c]) => c).join(', ')})
       VALUES ${p.rows(
         attempts.map((a) => ATTEMPT_COLUMNS.map(([c]) => (c === 'request_headers' && a[c] !== null ? JSON.stringify(a[c]) : a[c]))),
         ATTEMPT_COLUMNS.map(([, t]) => t),
       )}
       ON CONFLICT (id, started_at) DO NOTHING`);
  }
  if (buckets.length > 0) {
    // Endpoint health's aggregates move with the rows they count, in the same statement.
    parts.push(`INSERT INTO endpoint_health_buckets AS b (${BUCKET_COLUMNS.map(([c]) => c).join(', ')})
       VALUES ${p.rows(
         buckets.map((d) => BUCKET_COLUMNS.map(([c]) => d[c])),
         BUCKET_COLUMNS.map(([, t]) => t),
       )}
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
         last_attempt_at = GREATEST(b.last_attempt_at, EXCLUDED.last_attempt_at)`);
  }
  if (latest.length > 0) {
    // Progress only moves forward: an outcome older than what the row holds changes nothing,
    // and a postponement (status null) leaves status and counters alone.
    parts.push(`UPDATE deliveries d SET
          status = COALESCE(u.status, d.status),
          generation = CASE WHEN u.status IS NULL THEN d.generation ELSE u.generation END,
          attempts = CASE WHEN u.status IS NULL THEN d.attempts ELSE u.attempts END,
          last_status_code = COALESCE(u.last_status_code, d.last_status_code),
          last_error = CASE WHEN u.status = 'delivered' THEN NULL ELSE COALESCE(u.last_error, d.last_error) END,
          updated_at = now()
         FROM unnest(${p.one(latest.map((u) => u.id), 'uuid[]')}, ${p.one(latest.map((u) => u.generation), 'int[]')}, ${p.one(latest.map((u) => u.status), 'text[]')},
                     ${p.one(latest.map((u) => u.attempts), 'int[]')}, ${p.one(latest.map((u) => u.last_status_code), 'int[]')}, ${p.one(latest.map((u) => u.last_error), 'text[]')})
           AS u(id, generation, status, attempts, last_status_code, last_error)
        WHERE d.id = u.id AND (u.generation, u.attempts) >= (d.generation, d.attempts)`);
  }
  if (released.keys.length > 0) parts.push(deleteLeases(p, released.keys, released.owner));
  if (parts.length <= 1) return parts[0] ?? null;
  return `WITH ${parts.map((part, i) => `p${i} AS (${part})`).join(',\n')}\nSELECT 1`;
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
