import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface BucketRow {
  bucket_start: Date;
  attempts: number;
  successes: number;
  failures: number;
  latency_histogram: number[];
  last_breaker_open_at: Date | null;
  last_attempt_at: Date | null;
}

export interface HealthFacts {
  tenant_id: string;
  /** The last hour's minute buckets, oldest first. */
  minutes: BucketRow[];
  /** The last day's hour buckets, oldest first. */
  hours: BucketRow[];
  last_success_at: Date | null;
  last_failure: { at: Date; status: number | null; error_class: string | null; message: string | null } | null;
  /** The newest hour bucket of all (for the breaker's state when the last hour had nothing). */
  latest: { last_breaker_open_at: Date | null; last_attempt_at: Date | null } | null;
  pending_retries: number;
  dead_letters: number;
}

/**
 * Reads endpoint_health_buckets (kept by the dispatcher with the attempts), and counts from the
 * retry-scheduler's pending retries and the dead letters, each by an index on the subscription:
 * the cost is an hour of minutes and a day of hours (under a hundred rows), never the attempts
 * table.
 */
const BUCKET = `json_build_object('bucket_start', b.bucket_start, 'attempts', b.attempts, 'successes', b.successes, 'failures', b.failures,
  'latency_histogram', b.latency_histogram, 'last_breaker_open_at', b.last_breaker_open_at, 'last_attempt_at', b.last_attempt_at)`;

@Injectable()
export class EndpointHealthReportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** null: no such subscription for this tenant (an admin: for any tenant). */
  async facts(tenantId: string | null, subscriptionId: string, windows: { minutesSince: Date; hoursSince: Date }): Promise<HealthFacts | null> {
    const rows: Array<Omit<HealthFacts, 'minutes' | 'hours'> & { minutes: BucketRow[] | null; hours: BucketRow[] | null }> = await this.db.query(
      `SELECT s.tenant_id,
              (SELECT json_agg(${BUCKET} ORDER BY b.bucket_start)
                 FROM endpoint_health_buckets b WHERE b.subscription_id = s.id AND b.span = 'minute' AND b.bucket_start >= $3) AS minutes,
              (SELECT json_agg(${BUCKET} ORDER BY b.bucket_start)
                 FROM endpoint_health_buckets b WHERE b.subscription_id = s.id AND b.span = 'hour' AND b.bucket_start >= $4) AS hours,
              (SELECT b.last_success_at FROM endpoint_health_buckets b
                WHERE b.subscription_id = s.id AND b.span = 'hour' AND b.successes > 0 ORDER BY b.bucket_start DESC LIMIT 1) AS last_success_at,
              (SELECT json_build_object('at', b.last_failure_at, 'status', b.last_failure_status, 'error_class', b.last_failure_class, 'message', b.last_failure_message)
                 FROM endpoint_health_buckets b WHERE b.subscription_id = s.id AND b.span = 'hour' AND b.failures > 0 ORDER BY b.bucket_start DESC LIMIT 1) AS last_failure,
              (SELECT json_build_object('last_breaker_open_at', b.last_breaker_open_at, 'last_attempt_at', b.last_attempt_at)
                 FROM endpoint_health_buckets b WHERE b.subscription_id = s.id AND b.span = 'hour' ORDER BY b.bucket_start DESC LIMIT 1) AS latest,
              (SELECT count(*)::int FROM scheduled_retries r WHERE r.subscription_id = s.id AND r.fired_at IS NULL) AS pending_retries,
              (SELECT count(*)::int FROM dead_letters d WHERE d.subscription_id = s.id AND d.replayed_dead_at IS DISTINCT FROM d.dead_at) AS dead_letters
         FROM subscriptions s
        WHERE s.id = $1 AND s.deleted_at IS NULL AND ($2::text IS NULL OR s.tenant_id = $2)`,
      [subscriptionId, tenantId, windows.minutesSince, windows.hoursSince],
    );
    const row = rows[0];
    if (!row) return null;
    return { ...row, minutes: row.minutes ?? [], hours: row.hours ?? [] };
  }
}
