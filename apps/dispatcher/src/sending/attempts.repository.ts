import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryOutcome, ErrorClass } from '@hookstream/contracts';
import { chunk, jsonbParam, preparedStatement, queryPrepared } from '@hookstream/db';
import { compareAttempts, foldAttempts, type PlannedAttempt, type RecordedProgress } from '@hookstream/domain';
import type { DataSource } from 'typeorm';
import { type LeaseKey, sortedKeys } from '../leases/leases.repository.js';
import { OrderedEntriesRepository, type OrderedSettlement, type ReleasedHead } from '../ordering/ordered-entries.repository.js';

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

/**
 * Each delivery's progress and the leases other live dispatchers hold on it (a lease is live
 * while its owner's heartbeat row is, or, written before migration 0025, its own expiry). The leases are read in one
 * pass for the whole batch, by `delivery_id = ANY($1)`, and grouped before the join:
 * - A correlated subquery per delivery ran on whatever plan the connection made first. Made
 *   while the lease table held a few rows, that plan scanned the whole table once per delivery
 *   (27 ms a call in hostile_tenant, once thousands of leases were held).
 * - The lease conditions sit in the aggregate's FILTER, so the primary key (delivery_id first) is
 *   the only index that serves the scan. With `expires_at > now()` in WHERE, Postgres chose the
 *   expiry index and read every live lease (887 ms for a batch of 700 with 3,600 leases held).
 * At worst, a stale plan now reads the lease table once per batch.
 */
export const DELIVERY_PROGRESS = preparedStatement(
  'delivery_progress',
  `SELECT d.id, d.generation, d.attempts, d.status, l.leased
     FROM deliveries d
     LEFT JOIN (
       SELECT l.delivery_id, json_agg(json_build_object('generation', l.generation, 'attempt', l.attempt))
                FILTER (WHERE l.owner <> $2 AND (o.expires_at > now() OR l.expires_at > now())) AS leased
         FROM delivery_leases l
         LEFT JOIN dispatcher_owners o ON o.owner = l.owner
        WHERE l.delivery_id = ANY($1::uuid[])
        GROUP BY l.delivery_id
     ) l ON l.delivery_id = d.id
    WHERE d.id = ANY($1::uuid[])`,
);

/** delivery_attempts (immutable), the deliveries summary and lease release, one statement per batch. */
@Injectable()
export class AttemptsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ordered: OrderedEntriesRepository,
  ) {}

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
   * Ordered deliveries' entries settle in the same transaction, which answers the heads their
   * keys move on to (to be produced once it has committed).
   */
  async record(attempts: readonly AttemptRow[], updates: readonly DeliveryUpdate[], released: { owner: string; keys: readonly LeaseKey[] }, ordered: readonly OrderedSettlement[] = []): Promise<ReleasedHead[]> {
    if (attempts.length === 0 && updates.length === 0 && released.keys.length === 0) return [];
    const latest = latestPerDelivery(updates).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // foldAttempts answers in key order already.
    const buckets = foldAttempts(attempts);
    if (ordered.length === 0 && attempts.length <= ATTEMPTS_PER_STATEMENT && buckets.length <= BUCKETS_PER_STATEMENT) {
      const values = recordValues(attempts, buckets, latest, released);
      if (values) await queryPrepared<unknown>(this.db, RECORD_OUTCOMES, values);
      return [];
    }
    return this.db.transaction(async (em) => {
      const attemptParts = chunk(attempts, ATTEMPTS_PER_STATEMENT);
      const bucketParts = chunk(buckets, BUCKETS_PER_STATEMENT);
      for (let i = 0; i < Math.max(attemptParts.length, bucketParts.length); i++) {
        const values = recordValues(attemptParts[i] ?? [], bucketParts[i] ?? [], [], { owner: released.owner, keys: [] });
        if (values) await queryPrepared<unknown>(em, RECORD_OUTCOMES, values);
      }
      const values = recordValues([], [], latest, released);
      if (values) await queryPrepared<unknown>(em, RECORD_OUTCOMES, values);
      return this.ordered.settle(em, ordered);
    });
  }
}

/** A batch larger than this goes in several statements, in one transaction, to keep each one's text modest. */
const ATTEMPTS_PER_STATEMENT = 1000;
const BUCKETS_PER_STATEMENT = 500;

type Bucket = ReturnType<typeof foldAttempts>[number];

const columnList = (cols: readonly (readonly [string, string])[]) => cols.map(([c]) => c).join(', ');
const recordType = (cols: readonly (readonly [string, string])[]) => cols.map(([c, t]) => `${c} ${t}`).join(', ');

/**
 * The four parts of recording a batch as data-modifying CTEs, each part's rows one jsonb array
 * ($1 attempts, $2 health buckets, $3 delivery progress, $4 released leases, $5 their owner), and
 * the ids of $3 and $4 again as arrays ($6, $7) for `= ANY`: the planner takes a recordset for 100
 * rows, and on a plan made while deliveries or leases were small it joined those by reading the
 * table whole, once per batch, for as long as the connection lived; `id = ANY` keeps the primary
 * key the way in. The text is the same for every batch, so each connection prepares it once, and
 * a part with no rows changes nothing. Built from VALUES lists of the batch's length, it was planned on every call
 * (929 ms of Postgres planning in hostile_tenant's 60 s attack). jsonb_to_recordset reads the
 * arrays in order, so each part's rows reach their locks in the key order they were sorted in.
 */
const RECORD_OUTCOMES = preparedStatement(
  'record_outcomes',
  `WITH attempts AS (
     INSERT INTO delivery_attempts (${columnList(ATTEMPT_COLUMNS)})
     SELECT ${columnList(ATTEMPT_COLUMNS)} FROM jsonb_to_recordset($1::jsonb) AS a(${recordType(ATTEMPT_COLUMNS)})
     ON CONFLICT (id, started_at) DO NOTHING
   ), buckets AS (
     -- Endpoint health's aggregates move with the rows they count, in the same statement.
     INSERT INTO endpoint_health_buckets AS b (${columnList(BUCKET_COLUMNS)})
     SELECT ${columnList(BUCKET_COLUMNS)} FROM jsonb_to_recordset($2::jsonb) AS x(${recordType(BUCKET_COLUMNS)})
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
       last_attempt_at = GREATEST(b.last_attempt_at, EXCLUDED.last_attempt_at)
   ), locked AS (
     -- The rows' locks in id order, whatever plan the UPDATE below gets: a connection whose
     -- generic plan reached them in heap order deadlocked against one going by the key.
     SELECT id FROM deliveries WHERE id = ANY($6::uuid[]) ORDER BY id FOR UPDATE
   ), progress AS (
     -- Progress only moves forward: an outcome older than what the row holds changes nothing,
     -- and a postponement (status null) leaves status and counters alone.
     UPDATE deliveries d SET
       status = COALESCE(u.status, d.status),
       generation = CASE WHEN u.status IS NULL THEN d.generation ELSE u.generation END,
       attempts = CASE WHEN u.status IS NULL THEN d.attempts ELSE u.attempts END,
       last_status_code = COALESCE(u.last_status_code, d.last_status_code),
       last_error = CASE WHEN u.status = 'delivered' THEN NULL ELSE COALESCE(u.last_error, d.last_error) END,
       updated_at = now()
      FROM jsonb_to_recordset($3::jsonb) AS u(id uuid, generation int, status text, attempts int, last_status_code int, last_error text)
     WHERE d.id = ANY($6::uuid[]) AND d.id IN (SELECT id FROM locked) AND d.id = u.id AND (u.generation, u.attempts) >= (d.generation, d.attempts)
   ), released AS (
     DELETE FROM delivery_leases l
      USING jsonb_to_recordset($4::jsonb) AS k(delivery_id uuid, generation int, attempt int)
      WHERE l.delivery_id = ANY($7::uuid[]) AND l.delivery_id = k.delivery_id AND l.generation = k.generation AND l.attempt = k.attempt AND l.owner = $5
   )
   SELECT 1`,
);

/** RECORD_OUTCOMES's parameters for one part of a batch (exported for the plan test). */
export function recordParameters(attempts: readonly AttemptRow[], latest: readonly DeliveryUpdate[], released: { owner: string; keys: readonly LeaseKey[] }, buckets: readonly Bucket[] = foldAttempts(attempts)): unknown[] {
  const keys = sortedKeys(released.keys);
  return [jsonbParam(attempts), jsonbParam(buckets), jsonbParam(latest), jsonbParam(keys), released.owner, latest.map((u) => u.id), keys.map((k) => k.delivery_id)];
}

/** The parameters of RECORD_OUTCOMES for one part of a batch; null when no part has rows. */
function recordValues(attempts: readonly AttemptRow[], buckets: readonly Bucket[], latest: readonly DeliveryUpdate[], released: { owner: string; keys: readonly LeaseKey[] }): unknown[] | null {
  if (attempts.length + buckets.length + latest.length + released.keys.length === 0) return null;
  return recordParameters(attempts, latest, released, buckets);
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
