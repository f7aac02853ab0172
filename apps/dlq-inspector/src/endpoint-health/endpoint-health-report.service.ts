import { Injectable } from '@nestjs/common';
import type { EndpointHealthView } from '@hookstream/contracts';
import { breakerState, bucketStart, DomainError, healthSeries, windowStats } from '@hookstream/domain';
import { type BucketRow, EndpointHealthReportRepository } from './endpoint-health-report.repository.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

const date = (d: Date | string | null | undefined): Date | null => (d ? new Date(d) : null);
const iso = (d: Date | string | null | undefined): string | null => date(d)?.toISOString() ?? null;

/**
 * Endpoint health of one subscription from the aggregates (libs/domain windowStats): the last
 * hour from its 60 minute buckets, the last day from 24 hour buckets (the current hour and the
 * 23 before it, so the oldest part of the day is counted to the hour), and both as series for charts.
 */
@Injectable()
export class EndpointHealthReportService {
  constructor(private readonly repo: EndpointHealthReportRepository) {}

  async get(tenantId: string | null, subscriptionId: string, now = new Date()): Promise<EndpointHealthView> {
    const hourAgo = new Date(now.getTime() - HOUR_MS);
    const dayFrom = new Date(bucketStart(now, 'hour').getTime() - DAY_MS + HOUR_MS);
    const facts = await this.repo.facts(tenantId, subscriptionId, { minutesSince: hourAgo, hoursSince: dayFrom });
    if (!facts) throw new DomainError('not_found', `no subscription ${subscriptionId}`);
    let lastOpen: Date | null = null;
    let lastAttempt: Date | null = null;
    for (const b of facts.minutes.length ? facts.minutes : facts.latest ? [facts.latest] : []) {
      const open = date(b.last_breaker_open_at);
      const attempt = date(b.last_attempt_at);
      if (open && (!lastOpen || open > lastOpen)) lastOpen = open;
      if (attempt && (!lastAttempt || attempt > lastAttempt)) lastAttempt = attempt;
    }
    const failure = facts.last_failure;
    const minutes = facts.minutes.map(healthBucket);
    const hours = facts.hours.map(healthBucket);
    return {
      subscription_id: subscriptionId,
      tenant_id: facts.tenant_id,
      last_hour: windowStats(minutes, hourAgo),
      last_day: windowStats(hours, dayFrom),
      last_success_at: iso(facts.last_success_at),
      last_failure: failure ? { at: iso(failure.at) ?? '', status_code: failure.status, error_class: failure.error_class, reason: failure.message } : null,
      breaker: { state: breakerState(lastOpen, lastAttempt), last_opened_at: lastOpen?.toISOString() ?? null },
      pending_retries: facts.pending_retries,
      dead_letters: facts.dead_letters,
      series: { minutes: healthSeries(minutes, hourAgo, now, 'minute'), hours: healthSeries(hours, dayFrom, now, 'hour') },
      as_of: now.toISOString(),
    };
  }
}

function healthBucket(b: BucketRow) {
  return { start: new Date(b.bucket_start), attempts: b.attempts, successes: b.successes, failures: b.failures, latencyHistogram: b.latency_histogram };
}
