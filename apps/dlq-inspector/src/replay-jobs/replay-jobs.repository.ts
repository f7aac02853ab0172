import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ReplayJobStatus } from '@hookstream/contracts';
import { execute } from '@hookstream/db';
import type { DataSource, EntityManager } from 'typeorm';
import { type DeadLetterFilter, filterConditions, replayedCondition } from '../dead-letters/dead-letter-filter.js';
import type { LetterOutcome } from '../replays/letter-replayer.service.js';
import type { ReplayRecord } from '../replays/replays.repository.js';

export interface JobRow {
  id: string;
  tenant_id: string | null;
  kind: 'bulk' | 'recover';
  filter: DeadLetterFilter;
  rate_per_second: number;
  status: ReplayJobStatus;
  total: number;
  sent: number;
  skipped: number;
  requested_by: string;
  idempotency_key: string | null;
  request_hash: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  cancelled_by: string | null;
  last_error: string | null;
}

export interface NewJob {
  id: string;
  tenantId: string | null;
  kind: 'bulk' | 'recover';
  filter: DeadLetterFilter;
  ratePerSecond: number;
  requestedBy: string;
  idempotencyKey: string | null;
  requestHash: string;
}

export type BatchStep = { state: 'stopped' } | { state: 'done' } | { state: 'progress'; sent: number; skipped: number };

export interface Landing {
  delivery_id: string;
  /** When the dispatcher started the attempt; null when the replay died again without one. */
  started_at: Date | null;
}

const JOB_SCOPE = '($2::text IS NULL OR tenant_id = $2)';

/** replay_jobs and the job rows of replays, owned by the dlq-inspector. */
@Injectable()
export class ReplayJobsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Letters a job with this filter would replay now: matching, and their latest death not replayed. */
  private selection(tenantId: string | null, filter: DeadLetterFilter, params: unknown[]): string {
    const where = [...filterConditions(filter, params), replayedCondition(false)];
    if (tenantId !== null) {
      params.push(tenantId);
      where.push(`d.tenant_id = $${params.length}`);
    }
    return `FROM dead_letters d WHERE ${where.join(' AND ')}`;
  }

  /** How many letters match, counting no further than `cap`. */
  async countMatching(tenantId: string | null, filter: DeadLetterFilter, cap: number, em: EntityManager = this.db.manager): Promise<number> {
    const params: unknown[] = [];
    const from = this.selection(tenantId, filter, params);
    params.push(cap);
    const rows: { n: string }[] = await em.query(`SELECT count(*) AS n FROM (SELECT 1 ${from} LIMIT $${params.length}) capped`, params);
    return Number(rows[0]?.n ?? 0);
  }

  async findByKey(em: EntityManager, tenantId: string | null, idempotencyKey: string): Promise<JobRow | null> {
    const rows: JobRow[] = await em.query(`SELECT * FROM replay_jobs WHERE COALESCE(tenant_id, '') = COALESCE($1, '') AND idempotency_key = $2`, [tenantId, idempotencyKey]);
    return rows[0] ?? null;
  }

  /**
   * Serialises job creation per tenant until the transaction ends, so the concurrent-jobs quota
   * holds under concurrent requests (an advisory lock: this service does not own tenants).
   */
  async lockTenantJobs(em: EntityManager, tenantId: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('replay-jobs:' || $1))`, [tenantId]);
  }

  /** The tenant's jobs queued or running. */
  async activeJobs(em: EntityManager, tenantId: string): Promise<number> {
    const rows: { n: number }[] = await em.query(`SELECT count(*)::int AS n FROM replay_jobs WHERE tenant_id = $1 AND status IN ('queued', 'running')`, [tenantId]);
    return rows[0]?.n ?? 0;
  }

  /**
   * Inserts the job unless its idempotency key exists (then returns null). A concurrent insert of
   * the same key waits for the first transaction and then finds it.
   */
  async insert(em: EntityManager, job: NewJob): Promise<JobRow | null> {
    const rows: JobRow[] = await em.query(
      `INSERT INTO replay_jobs (id, tenant_id, kind, filter, rate_per_second, status, requested_by, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8)
       ON CONFLICT ((COALESCE(tenant_id, '')), idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING *`,
      [job.id, job.tenantId, job.kind, JSON.stringify(job.filter), job.ratePerSecond, job.requestedBy, job.idempotencyKey, job.requestHash],
    );
    return rows[0] ?? null;
  }

  /**
   * Fixes the job's target set: a pending `replays` row per matching letter, in one statement.
   * A job with nothing to do is complete at once.
   */
  async materialise(em: EntityManager, job: JobRow): Promise<JobRow> {
    const params: unknown[] = [job.id, job.requested_by, job.created_at];
    const from = this.selection(job.tenant_id, job.filter, params);
    const rows: [JobRow[], number] = await em.query(
      `WITH items AS (
         INSERT INTO replays (id, tenant_id, delivery_id, requested_by, requested_at, status, job_id, dead_at)
         SELECT gen_random_uuid(), d.tenant_id, d.delivery_id, $2, $3, 'pending', $1, d.dead_at ${from}
         RETURNING 1),
       n AS (SELECT count(*)::int AS total FROM items)
       UPDATE replay_jobs j SET total = n.total,
              status = CASE WHEN n.total = 0 THEN 'completed' ELSE j.status END,
              finished_at = CASE WHEN n.total = 0 THEN now() END
         FROM n WHERE j.id = $1 RETURNING j.*`,
      params,
    );
    const row = rows[0][0];
    if (!row) throw new Error(`job ${job.id} vanished`);
    return row;
  }

  async get(tenantId: string | null, id: string): Promise<JobRow | null> {
    const rows: JobRow[] = await this.db.query(`SELECT * FROM replay_jobs WHERE id = $1 AND ${JOB_SCOPE}`, [id, tenantId]);
    return rows[0] ?? null;
  }

  /** Newest first; the cursor keeps created_at in microseconds so no row repeats or goes missing. */
  async list(tenantId: string | null, status: ReplayJobStatus | undefined, limit: number, after: { createdMicros: string; id: string } | null): Promise<Array<JobRow & { created_us: string }>> {
    return this.db.query(
      `SELECT * FROM (SELECT *, (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us FROM replay_jobs
         WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR status = $2)) page
        WHERE ($3::bigint IS NULL OR (created_us::bigint, id) < ($3::bigint, $4::uuid))
        ORDER BY created_us::bigint DESC, id DESC LIMIT $5`,
      [tenantId, status ?? null, after?.createdMicros ?? null, after?.id ?? null, limit],
    );
  }

  /**
   * Cancels a job that has not finished. It takes the job's row lock, so it waits for a batch in
   * progress; every later batch sees the job cancelled and sends nothing.
   */
  async cancel(tenantId: string | null, id: string, by: string): Promise<JobRow | null> {
    const rows: [JobRow[], number] = await this.db.query(
      `UPDATE replay_jobs SET status = 'cancelled', finished_at = now(), cancelled_by = $3, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = $1 AND ${JOB_SCOPE} AND status IN ('queued', 'running') RETURNING *`,
      [id, tenantId, by],
    );
    return rows[0][0] ?? null;
  }

  /** A job's replays in delivery id order (stable while the job runs). */
  async replays(jobId: string, status: string | undefined, limit: number, afterDeliveryId: string | null): Promise<ReplayRecord[]> {
    return this.db.query(
      `SELECT * FROM replays WHERE job_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR delivery_id > $3)
        ORDER BY delivery_id LIMIT $4`,
      [jobId, status ?? null, afterDeliveryId, limit],
    );
  }

  // --- running jobs -------------------------------------------------------------------------

  /**
   * Takes a job nobody holds (never run, released, or whose holder stopped renewing), with FOR
   * UPDATE SKIP LOCKED so replicas never take the same one. Tenants take turns: the job goes to
   * the tenant with the fewest jobs running now (operators' all-tenant jobs count as one more
   * tenant), oldest first among equals, so one tenant's 50 queued jobs never hold another
   * tenant's one behind them.
   */
  async claim(owner: string, leaseMs: number): Promise<JobRow | null> {
    const rows: [JobRow[], number] = await this.db.query(
      `UPDATE replay_jobs j SET lease_owner = $1, lease_expires_at = now() + $2 * interval '1 millisecond',
              status = 'running', started_at = COALESCE(j.started_at, now())
        WHERE j.id = (SELECT q.id FROM replay_jobs q
                       WHERE q.status IN ('queued', 'running') AND (q.lease_expires_at IS NULL OR q.lease_expires_at < now())
                       ORDER BY (SELECT count(*) FROM replay_jobs r
                                  WHERE r.tenant_id IS NOT DISTINCT FROM q.tenant_id AND r.status = 'running' AND r.lease_expires_at >= now()),
                                q.created_at
                       LIMIT 1 FOR UPDATE OF q SKIP LOCKED)
        RETURNING j.*`,
      [owner, leaseMs],
    );
    return rows[0][0] ?? null;
  }

  /** Extends the lease; false when the job is no longer this owner's to run (cancelled, taken over). */
  async renew(id: string, owner: string, leaseMs: number, lastError: string | null = null): Promise<boolean> {
    const n = await execute(
      this.db,
      `UPDATE replay_jobs SET lease_expires_at = now() + $3 * interval '1 millisecond', last_error = $4
        WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING id`,
      [id, owner, leaseMs, lastError],
    );
    return n > 0;
  }

  /** Hands the job back (shutdown), so another process resumes it without waiting for the lease. */
  async release(id: string, owner: string): Promise<void> {
    await this.db.query(`UPDATE replay_jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2`, [id, owner]);
  }

  /**
   * One batch of a job, in one transaction under the job's row lock: check it is still this
   * owner's and running, take the next pending letters (oldest death first), let `replay` send
   * them, record each outcome and the counters. The lock serialises batches with cancel and with
   * any other process that took the job over, and a crash before commit leaves the letters
   * pending: a resumed job never marks sent what was not, and never sends again what was.
   */
  async runBatch(
    id: string,
    owner: string,
    limit: number,
    leaseMs: number,
    replay: (em: EntityManager, deliveryIds: string[]) => Promise<LetterOutcome[]>,
  ): Promise<BatchStep> {
    return this.db.transaction(async (em) => {
      const jobs: Array<{ status: string; lease_owner: string | null }> = await em.query('SELECT status, lease_owner FROM replay_jobs WHERE id = $1 FOR UPDATE', [id]);
      const job = jobs[0];
      if (!job || job.status !== 'running' || job.lease_owner !== owner) return { state: 'stopped' };
      const items: Array<{ delivery_id: string }> = await em.query(
        `SELECT delivery_id FROM replays WHERE job_id = $1 AND status = 'pending' ORDER BY dead_at, delivery_id LIMIT $2`,
        [id, limit],
      );
      if (items.length === 0) {
        await em.query(`UPDATE replay_jobs SET status = 'completed', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL, last_error = NULL WHERE id = $1`, [id]);
        return { state: 'done' };
      }
      const ids = items.map((i) => i.delivery_id);
      const outcomes = new Map((await replay(em, ids)).map((o) => [o.delivery_id, o]));
      const rows = ids.map((deliveryId) => {
        const o = outcomes.get(deliveryId);
        if (!o) return { deliveryId, status: 'skipped', deadAt: null, generation: null, sentAt: null, detail: 'the dead letter no longer exists' };
        if (o.kind === 'sent') return { deliveryId, status: 'sent', deadAt: o.dead_at, generation: o.generation, sentAt: o.sent_at, detail: null };
        return { deliveryId, status: 'skipped', deadAt: o.dead_at, generation: null, sentAt: null, detail: o.message };
      });
      await em.query(
        `UPDATE replays r SET status = u.status, dead_at = COALESCE(u.dead_at, r.dead_at), generation = u.generation, sent_at = u.sent_at, detail = u.detail
           FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::int[], $6::timestamptz[], $7::text[]) AS u(delivery_id, status, dead_at, generation, sent_at, detail)
          WHERE r.job_id = $1 AND r.delivery_id = u.delivery_id`,
        [id, rows.map((r) => r.deliveryId), rows.map((r) => r.status), rows.map((r) => r.deadAt), rows.map((r) => r.generation), rows.map((r) => r.sentAt), rows.map((r) => r.detail)],
      );
      const sent = rows.filter((r) => r.status === 'sent').length;
      const skipped = rows.length - sent;
      await em.query(
        `UPDATE replay_jobs SET sent = sent + $2, skipped = skipped + $3, lease_expires_at = now() + $4 * interval '1 millisecond', last_error = NULL WHERE id = $1`,
        [id, sent, skipped, leaseMs],
      );
      return { state: 'progress', sent, skipped };
    });
  }

  /** Replays the job produced within the last `withinMs`: a process taking the job over counts them against the rate. */
  async recentlySent(id: string, withinMs: number): Promise<Array<{ delivery_id: string; sent_at: Date }>> {
    return this.db.query(
      `SELECT delivery_id, sent_at FROM replays WHERE job_id = $1 AND status = 'sent' AND sent_at > now() - $2 * interval '1 millisecond'`,
      [id, withinMs],
    );
  }

  /**
   * Which of the job's produced replays have reached the dispatcher: the first attempt it made
   * of each (origin 'replay', from the dispatcher's delivery_attempts), or a newer death without
   * an attempt (the subscription went away meanwhile). One second of clock skew is allowed.
   */
  async landings(id: string, produced: ReadonlyArray<[deliveryId: string, producedAt: number]>): Promise<Landing[]> {
    if (produced.length === 0) return [];
    return this.db.query(
      `SELECT u.delivery_id, a.started_at
         FROM unnest($2::uuid[], $3::timestamptz[]) AS u(delivery_id, produced_at)
         JOIN replays r ON r.job_id = $1 AND r.delivery_id = u.delivery_id
         JOIN dead_letters d ON d.delivery_id = u.delivery_id
         LEFT JOIN LATERAL (
           SELECT min(started_at) AS started_at FROM delivery_attempts a
            WHERE a.delivery_id = u.delivery_id AND a.origin = 'replay' AND a.started_at >= u.produced_at - interval '1 second') a ON true
        WHERE a.started_at IS NOT NULL OR d.dead_at IS DISTINCT FROM r.dead_at`,
      [id, produced.map(([d]) => d), produced.map(([, at]) => new Date(at))],
    );
  }
}
