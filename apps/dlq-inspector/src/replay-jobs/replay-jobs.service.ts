import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CreatedReplayJob, ListPage, ReplayAuditView, ReplayJobDryRun, ReplayJobStatus, ReplayJobView } from '@hookstream/contracts';
import { tenantQuotaOverrides } from '@hookstream/db';
import { DomainError, effectiveQuotas, quotaError } from '@hookstream/domain';
import { APP_CONFIG, decodeCursor, encodeCursor, type Logger, LOGGER, type Principal, quotaDefaults } from '@hookstream/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { InspectorConfig } from '../config.js';
import type { DeadLetterFilter } from '../dead-letters/dead-letter-filter.js';
import { auditView, isoOrNull } from '../replays/replay-audit.js';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository.js';
import type { CreateJobDto, RecoverDto } from './replay-jobs.dto.js';
import { type JobRow, ReplayJobsRepository } from './replay-jobs.repository.js';
import { ReplayJobsWorker } from './replay-jobs.worker.js';

interface JobRequest {
  tenantId: string | null;
  kind: JobRow['kind'];
  filter: DeadLetterFilter;
  ratePerSecond: number;
}

@Injectable()
export class ReplayJobsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: ReplayJobsRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly worker: ReplayJobsWorker,
    @Inject(APP_CONFIG) private readonly config: InspectorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** A bulk replay of every dead letter matching the filter (in the tenant, or every tenant for an admin). */
  async create(tenantId: string | null, dto: CreateJobDto, principal: Principal, idempotencyKey: string | undefined): Promise<CreatedReplayJob | ReplayJobDryRun> {
    if (dto.filter.subscription_id) await this.replayableSubscription(tenantId, dto.filter.subscription_id);
    return this.submit({ tenantId, kind: 'bulk', filter: dto.filter, ratePerSecond: this.rate(dto.rate_per_second) }, dto.dry_run, principal, idempotencyKey);
  }

  /**
   * Re-sends what a subscription failed to deliver since `since`: its dead letters that died at
   * or after that time and whose latest death nobody has replayed, as of now.
   */
  async recover(tenantId: string | null, dto: RecoverDto, principal: Principal, idempotencyKey: string | undefined): Promise<CreatedReplayJob | ReplayJobDryRun> {
    if (Date.parse(dto.since) > Date.now()) throw new DomainError('validation_failed', 'since is in the future', [{ path: 'since', message: 'must not be in the future' }]);
    const sub = await this.replayableSubscription(tenantId, dto.subscription_id);
    return this.submit(
      { tenantId: sub.tenant_id, kind: 'recover', filter: { subscription_id: dto.subscription_id, since: new Date(dto.since).toISOString() }, ratePerSecond: this.rate(dto.rate_per_second) },
      dto.dry_run,
      principal,
      idempotencyKey,
    );
  }

  async get(tenantId: string | null, id: string): Promise<ReplayJobView> {
    const job = await this.repo.get(tenantId, id);
    if (!job) throw new DomainError('not_found', `no replay job ${id}`);
    return jobView(job);
  }

  async list(tenantId: string | null, status: ReplayJobStatus | undefined, limit: number, cursor?: string): Promise<ListPage<ReplayJobView>> {
    const after = cursor ? decodeCursor(cursor, ['micros', 'uuid']) : null;
    const rows = await this.repo.list(tenantId, status, limit, after ? { createdMicros: after[0] ?? '', id: after[1] ?? '' } : null);
    const last = rows[rows.length - 1];
    return { data: rows.map(jobView), next_cursor: last && rows.length === limit ? encodeCursor([last.created_us, last.id]) : null };
  }

  /** Stops a job: nothing is sent after this answers. Cancelling a cancelled job answers it again. */
  async cancel(tenantId: string | null, id: string, principal: Principal): Promise<ReplayJobView> {
    const cancelled = await this.repo.cancel(tenantId, id, principal.keyId);
    if (cancelled) {
      this.logger.info({ job: id, by: principal.keyId, sent: cancelled.sent, total: cancelled.total }, 'replay job cancelled');
      return jobView(cancelled);
    }
    const job = await this.repo.get(tenantId, id);
    if (!job) throw new DomainError('not_found', `no replay job ${id}`);
    if (job.status === 'completed') throw new DomainError('conflict', `replay job ${id} has already completed`, { status: job.status });
    return jobView(job);
  }

  /** The job's audit: one row per dead letter it set out to replay, and what came of it. */
  async replays(tenantId: string | null, id: string, status: 'pending' | 'sent' | 'skipped' | undefined, limit: number, cursor?: string): Promise<ListPage<ReplayAuditView & { delivery_id: string }>> {
    const job = await this.repo.get(tenantId, id);
    if (!job) throw new DomainError('not_found', `no replay job ${id}`);
    const after = cursor ? (decodeCursor(cursor, ['uuid'])[0] ?? null) : null;
    const rows = await this.repo.replays(id, status, limit, after);
    const last = rows[rows.length - 1];
    return {
      data: rows.map((r) => ({ delivery_id: r.delivery_id, ...auditView(r) })),
      next_cursor: last && rows.length === limit ? encodeCursor([last.delivery_id]) : null,
    };
  }

  private async submit(req: JobRequest, dryRun: boolean, principal: Principal, idempotencyKey: string | undefined): Promise<CreatedReplayJob | ReplayJobDryRun> {
    const max = this.config.REPLAY_JOB_MAX_LETTERS;
    if (dryRun) {
      const matched = await this.repo.countMatching(req.tenantId, req.filter, max + 1);
      return { dry_run: true, matched, rate_per_second: req.ratePerSecond, estimated_seconds: Math.ceil(matched / req.ratePerSecond) };
    }
    const hash = requestHash(req);
    const result = await this.db.transaction(async (em) => {
      if (req.tenantId) await this.repo.lockTenantJobs(em, req.tenantId);
      const inserted = await this.repo.insert(em, {
        id: randomUUID(),
        tenantId: req.tenantId,
        kind: req.kind,
        filter: req.filter,
        ratePerSecond: req.ratePerSecond,
        requestedBy: principal.keyId,
        idempotencyKey: idempotencyKey ?? null,
        requestHash: hash,
      });
      if (!inserted) {
        const existing = idempotencyKey ? await this.repo.findByKey(em, req.tenantId, idempotencyKey) : null;
        if (!existing) throw new Error('replay job insert neither inserted nor conflicted');
        if (existing.request_hash !== hash) {
          throw new DomainError('conflict', 'this Idempotency-Key was used for a different replay job', { job_id: existing.id });
        }
        return { job: existing, created: false };
      }
      if (req.tenantId) await this.checkJobQuota(em, req.tenantId);
      const matching = await this.repo.countMatching(req.tenantId, req.filter, max + 1, em);
      if (matching > max) {
        throw new DomainError('validation_failed', `the filter matches more than ${max} dead letters; narrow it (e.g. with since/until) or split the job`, [
          { path: 'filter', message: `matches more than REPLAY_JOB_MAX_LETTERS (${max})` },
        ]);
      }
      return { job: await this.repo.materialise(em, inserted), created: true };
    });
    if (result.created) {
      this.logger.info({ job: result.job.id, kind: req.kind, tenant: req.tenantId, total: result.job.total, rate: req.ratePerSecond, by: principal.keyId }, 'replay job created');
      this.worker.wake();
    }
    return { ...jobView(result.job), created: result.created };
  }

  /** The tenant's replay_jobs quota, counting the job just inserted (under the tenant's job lock). */
  private async checkJobQuota(em: EntityManager, tenantId: string): Promise<void> {
    const limit = effectiveQuotas(quotaDefaults(this.config), (await tenantQuotaOverrides(em, tenantId)) ?? {}).replay_jobs;
    const active = await this.repo.activeJobs(em, tenantId);
    if (active <= limit) return;
    throw quotaError(
      [{ path: '(root)', quota: 'replay_jobs', limit, message: `at most ${limit} replay jobs queued or running at once; wait for one to finish or cancel one` }],
      Math.ceil(this.config.REPLAY_JOB_POLL_MS / 1000) + 4,
    );
  }

  private rate(requested: number | undefined): number {
    const rate = requested ?? this.config.REPLAY_DEFAULT_RATE_PER_SECOND;
    const max = this.config.REPLAY_MAX_RATE_PER_SECOND;
    if (rate > max) throw new DomainError('validation_failed', `rate_per_second is at most ${max}`, [{ path: 'rate_per_second', message: `must be at most ${max} (REPLAY_MAX_RATE_PER_SECOND)` }]);
    return rate;
  }

  /** The subscription must exist in scope and be enabled, or every replay would die again. */
  private async replayableSubscription(tenantId: string | null, id: string) {
    const sub = await this.subscriptions.inScope(tenantId, id);
    if (!sub) throw new DomainError('not_found', `no subscription ${id}`);
    if (!sub.enabled) {
      throw new DomainError('conflict', `subscription ${id} is disabled${sub.disabled_reason ? ` (${sub.disabled_reason})` : ''}; enable it first, or every replay dies again`, {
        subscription_id: id,
        disabled_reason: sub.disabled_reason,
      });
    }
    return sub;
  }
}

/** The same Idempotency-Key names the same request: kind, scope, filter and rate. */
function requestHash(req: JobRequest): string {
  const filter = Object.fromEntries(Object.entries(req.filter).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify([req.kind, req.tenantId, filter, req.ratePerSecond])).digest('hex');
}

function jobView(j: JobRow): ReplayJobView {
  const done = j.sent + j.skipped;
  return {
    id: j.id,
    tenant_id: j.tenant_id,
    kind: j.kind,
    filter: j.filter,
    rate_per_second: j.rate_per_second,
    status: j.status,
    total: j.total,
    sent: j.sent,
    skipped: j.skipped,
    pending: j.total - done,
    progress: j.total === 0 ? 1 : Math.round((done / j.total) * 10_000) / 10_000,
    requested_by: j.requested_by,
    idempotency_key: j.idempotency_key,
    created_at: new Date(j.created_at).toISOString(),
    started_at: isoOrNull(j.started_at),
    finished_at: isoOrNull(j.finished_at),
    cancelled_by: j.cancelled_by,
    last_error: j.last_error,
  };
}
