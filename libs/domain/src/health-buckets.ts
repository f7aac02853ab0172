import type { DeliveryOutcome } from '@hookstream/contracts';
import { bucketStart, type BucketSpan, emptyHistogram, latencyBucket } from './latency-histogram.js';

/** What endpoint health needs of one recorded attempt row. */
export interface AttemptFact {
  subscription_id: string;
  tenant_id: string;
  outcome: DeliveryOutcome;
  status_code: number | null;
  error_class: string | null;
  error_message: string | null;
  started_at: Date;
  duration_ms: number | null;
}

/** What a batch of attempts adds to one subscription's minute (or hour). */
export interface BucketDelta {
  subscription_id: string;
  span: BucketSpan;
  tenant_id: string;
  bucket_start: Date;
  attempts: number;
  successes: number;
  failures: number;
  postponements: number;
  latency_histogram: number[];
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_failure_status: number | null;
  last_failure_class: string | null;
  last_failure_message: string | null;
  last_breaker_open_at: Date | null;
  last_attempt_at: Date | null;
}

const later = (a: Date | null, b: Date): Date => (a && a >= b ? a : b);

/**
 * Folds attempt rows into per-subscription deltas of every span (minutes and hours), in
 * (subscription, span, start) order: the order every writer upserts them in, so two dispatchers
 * never deadlock on a bucket. A postponement made no request: it counts as such, and an open
 * breaker is remembered, but it is neither a success nor a failure of the endpoint.
 */
export function foldAttempts(attempts: readonly AttemptFact[], spans: readonly BucketSpan[] = ['minute', 'hour']): BucketDelta[] {
  const byKey = new Map<string, BucketDelta>();
  for (const span of spans) for (const a of attempts) {
    const start = bucketStart(a.started_at, span);
    const key = `${a.subscription_id}|${span}|${start.getTime()}`;
    let d = byKey.get(key);
    if (!d) {
      d = {
        subscription_id: a.subscription_id,
        span,
        tenant_id: a.tenant_id,
        bucket_start: start,
        attempts: 0,
        successes: 0,
        failures: 0,
        postponements: 0,
        latency_histogram: emptyHistogram(),
        last_success_at: null,
        last_failure_at: null,
        last_failure_status: null,
        last_failure_class: null,
        last_failure_message: null,
        last_breaker_open_at: null,
        last_attempt_at: null,
      };
      byKey.set(key, d);
    }
    if (a.outcome === 'postponed') {
      d.postponements++;
      if (a.error_class === 'breaker_open') d.last_breaker_open_at = later(d.last_breaker_open_at, a.started_at);
      continue;
    }
    d.attempts++;
    d.last_attempt_at = later(d.last_attempt_at, a.started_at);
    if (a.duration_ms !== null) {
      const i = latencyBucket(a.duration_ms);
      d.latency_histogram[i] = (d.latency_histogram[i] ?? 0) + 1;
    }
    if (a.outcome === 'delivered') {
      d.successes++;
      d.last_success_at = later(d.last_success_at, a.started_at);
    } else {
      d.failures++;
      if (!d.last_failure_at || a.started_at >= d.last_failure_at) {
        d.last_failure_at = a.started_at;
        d.last_failure_status = a.status_code;
        d.last_failure_class = a.error_class;
        d.last_failure_message = a.error_message;
      }
    }
  }
  return [...byKey.values()].sort(
    (x, y) =>
      (x.subscription_id < y.subscription_id ? -1 : x.subscription_id > y.subscription_id ? 1 : 0) ||
      (x.span < y.span ? -1 : x.span > y.span ? 1 : 0) ||
      x.bucket_start.getTime() - y.bucket_start.getTime(),
  );
}

export type BreakerState = 'open' | 'closed' | 'unknown';

/**
 * The breaker of the subscription's host as its recorded attempts show it: open when the latest
 * thing that happened was a postponement by an open breaker, closed when an attempt was made
 * since (or no breaker ever opened), unknown without either in the aggregates.
 */
export function breakerState(lastBreakerOpenAt: Date | null, lastAttemptAt: Date | null): BreakerState {
  if (lastBreakerOpenAt && (!lastAttemptAt || lastBreakerOpenAt > lastAttemptAt)) return 'open';
  if (lastAttemptAt || lastBreakerOpenAt) return 'closed';
  return 'unknown';
}
