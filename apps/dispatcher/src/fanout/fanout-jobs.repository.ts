import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EventMessage } from '@hookstream/contracts';
import { execute, valuesPlaceholders } from '@hookstream/db';
import type { DataSource } from 'typeorm';

export interface FanoutJob {
  event: EventMessage;
  traceparent: string | null;
  /** Subscriptions up to this id (in id order) have their deliveries. */
  after_id: string;
}

/** The cursor of a fan-out that has created nothing yet: every subscription id is after it. */
export const NOTHING_DONE = '00000000-0000-0000-0000-000000000000';

/** The owner of a held-back job nobody has claimed yet (no process id looks like it, so none renews it). */
const HELD_BACK_OWNER = 'held_back';

/** fanout_jobs, owned by the dispatcher: the durable cursor of each large fan-out still going. */
@Injectable()
export class FanoutJobsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records jobs for `owner`; a job already there (its batch redone) keeps the further cursor. */
  async start(owner: string, ttlMs: number, jobs: readonly FanoutJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.db.query(
      `INSERT INTO fanout_jobs (tenant_id, event_id, event, traceparent, after_id, owner, expires_at)
       SELECT v.tenant_id, v.event_id, v.event, v.traceparent, v.after_id, v.owner, now() + make_interval(secs => v.ttl / 1000.0)
         FROM (VALUES ${valuesPlaceholders(jobs.length, 7, ['text', 'text', 'jsonb', 'text', 'uuid', 'text', 'int'])})
           AS v(tenant_id, event_id, event, traceparent, after_id, owner, ttl)
       ON CONFLICT (tenant_id, event_id) DO UPDATE SET
         owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at, after_id = GREATEST(fanout_jobs.after_id, EXCLUDED.after_id)`,
      jobs.flatMap((j) => [j.event.tenant_id, j.event.id, JSON.stringify(j.event), j.traceparent, j.after_id, owner, ttlMs]),
    );
  }

  /**
   * Parks the fan-outs of events whose tenant is disabled: jobs with nothing done yet, owned by
   * nobody, that claimExpired takes once the tenant is enabled. An event already parked (its
   * batch redone) stays as it is.
   */
  park(events: readonly EventMessage[], traceparents: readonly (string | null)[]): Promise<void> {
    return this.recordUnowned(events, traceparents, { owner: 'parked', parked: true });
  }

  /**
   * Records the fan-outs of events held back while their tenant is far above its fair share:
   * jobs with nothing done yet, owned by nobody and already due, so claimExpired takes them (in
   * order, tenants in turn) as a dispatcher has room. An event already recorded stays as it is.
   */
  holdBack(events: readonly EventMessage[], traceparents: readonly (string | null)[]): Promise<void> {
    return this.recordUnowned(events, traceparents, { owner: HELD_BACK_OWNER, parked: false });
  }

  /** Jobs with nothing done yet, due now, under an owner no process renews (park, holdBack). */
  private async recordUnowned(events: readonly EventMessage[], traceparents: readonly (string | null)[], as: { owner: string; parked: boolean }): Promise<void> {
    if (events.length === 0) return;
    const n = events.length * 4;
    await this.db.query(
      `INSERT INTO fanout_jobs (tenant_id, event_id, event, traceparent, after_id, owner, expires_at, parked)
       SELECT v.tenant_id, v.event_id, v.event, v.traceparent, '${NOTHING_DONE}', $${n + 1}::text, now(), $${n + 2}::boolean
         FROM (VALUES ${valuesPlaceholders(events.length, 4, ['text', 'text', 'jsonb', 'text'])}) AS v(tenant_id, event_id, event, traceparent)
       ON CONFLICT (tenant_id, event_id) DO NOTHING`,
      [...events.flatMap((e, i) => [e.tenant_id, e.id, JSON.stringify(e), traceparents[i] ?? null]), as.owner, as.parked],
    );
  }

  /** Moves the cursor and renews the job; false when `owner` no longer holds it (a sweeper took it). */
  async advance(owner: string, ttlMs: number, tenantId: string, eventId: string, afterId: string): Promise<boolean> {
    const count = await execute(
      this.db,
      `UPDATE fanout_jobs SET after_id = $5, expires_at = now() + make_interval(secs => $2 / 1000.0)
        WHERE owner = $1 AND tenant_id = $3 AND event_id = $4`,
      [owner, ttlMs, tenantId, eventId, afterId],
    );
    return count > 0;
  }

  /**
   * Renews every job `owner` holds (running or waiting its turn) and answers which it still holds:
   * a job missing from the answer was taken over after its lease expired, and must not go on here.
   */
  async renewAll(owner: string, ttlMs: number): Promise<Array<{ tenant_id: string; event_id: string }>> {
    const [rows]: [Array<{ tenant_id: string; event_id: string }>, number] = await this.db.query(
      `UPDATE fanout_jobs SET expires_at = now() + make_interval(secs => $2 / 1000.0) WHERE owner = $1 RETURNING tenant_id, event_id`,
      [owner, ttlMs],
    );
    return rows;
  }

  async owns(owner: string, tenantId: string, eventId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM fanout_jobs WHERE owner = $1 AND tenant_id = $2 AND event_id = $3', [owner, tenantId, eventId]);
    return rows.length > 0;
  }

  async finish(owner: string, tenantId: string, eventId: string): Promise<void> {
    await this.db.query('DELETE FROM fanout_jobs WHERE owner = $1 AND tenant_id = $2 AND event_id = $3', [owner, tenantId, eventId]);
  }

  /**
   * Takes over jobs whose owner stopped renewing them, and parked jobs whose tenant is enabled
   * again (FOR UPDATE SKIP LOCKED: one taker each), tenants in turn: every tenant's oldest due
   * job, then every tenant's second, and so on, so one tenant's pile of abandoned or parked
   * fan-outs never fills the limit ahead of another's one.
   */
  async claimExpired(owner: string, ttlMs: number, limit: number): Promise<FanoutJob[]> {
    const [rows]: [FanoutJob[], number] = await this.db.query(
      `UPDATE fanout_jobs j SET owner = $1, expires_at = now() + make_interval(secs => $2 / 1000.0), parked = false
         FROM (SELECT f.tenant_id, f.event_id
                 FROM fanout_jobs f
                 JOIN (SELECT tenant_id, event_id, row_number() OVER (PARTITION BY tenant_id ORDER BY expires_at, event_id) AS turn
                         FROM fanout_jobs WHERE expires_at < now() AND (NOT parked OR EXISTS (SELECT 1 FROM tenants tn WHERE tn.id = fanout_jobs.tenant_id AND tn.enabled))) t
                   USING (tenant_id, event_id)
                WHERE f.expires_at < now() AND (NOT f.parked OR EXISTS (SELECT 1 FROM tenants tn WHERE tn.id = f.tenant_id AND tn.enabled))
                ORDER BY t.turn, f.expires_at LIMIT $3 FOR UPDATE OF f SKIP LOCKED) due
        WHERE j.tenant_id = due.tenant_id AND j.event_id = due.event_id
        RETURNING j.event, j.traceparent, j.after_id`,
      [owner, ttlMs, limit],
    );
    return rows;
  }
}
