import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ReplayPacer } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { InspectorConfig } from '../config.js';
import { LetterReplayer } from '../replays/letter-replayer.service.js';
import { type BatchStep, type JobRow, ReplayJobsRepository } from './replay-jobs.repository.js';

/** How often a job waiting for its replays to reach the dispatcher looks again. */
const LANDING_POLL_MS = 50;

/**
 * Runs replay jobs: up to REPLAY_JOBS_PER_REPLICA at once in this process, each claimed with a
 * lease (FOR UPDATE SKIP LOCKED, so replicas never run one job twice) and renewed as it runs. A
 * process that dies stops renewing, and another takes the job over when the lease lapses; one
 * that stops gracefully hands its jobs back at once.
 */
@Injectable()
export class ReplayJobsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  /** Names this process in replay_jobs.lease_owner; a restarted process is a new owner. */
  readonly owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private filling: Promise<void> | null = null;
  private again = false;
  private readonly active;

  constructor(
    private readonly repo: ReplayJobsRepository,
    private readonly replayer: LetterReplayer,
    @Inject(APP_CONFIG) private readonly config: InspectorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.active = metrics.gauge('hookstream_replay_jobs_running', 'Replay jobs this process is running');
  }

  onApplicationBootstrap(): void {
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.filling;
    await Promise.all(this.running.values());
  }

  /** A job was created (or one finished): look for work now rather than at the next poll. */
  wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.again = false;
      this.filling = this.claimJobs()
        .catch((err: unknown) => this.logger.error({ err }, 'looking for replay jobs failed'))
        .finally(() => {
          this.filling = null;
          if (!this.stopped) this.schedule(this.again ? 0 : this.config.REPLAY_JOB_POLL_MS);
        });
    }, ms);
  }

  private async claimJobs(): Promise<void> {
    while (!this.stopped && this.running.size < this.config.REPLAY_JOBS_PER_REPLICA) {
      const job = await this.repo.claim(this.owner, this.config.REPLAY_JOB_LEASE_MS);
      if (!job) return;
      this.logger.info({ job: job.id, total: job.total, sent: job.sent, skipped: job.skipped, rate: job.rate_per_second }, job.sent + job.skipped > 0 ? 'replay job resumed' : 'replay job started');
      const run = this.run(job)
        .catch((err: unknown) => this.logger.error({ err, job: job.id }, 'replay job runner failed; another process resumes it when the lease lapses'))
        .finally(() => {
          this.running.delete(job.id);
          this.active.set(this.running.size);
          this.wake();
        });
      this.running.set(job.id, run);
      this.active.set(this.running.size);
    }
  }

  private async run(job: JobRow): Promise<void> {
    const lease = this.config.REPLAY_JOB_LEASE_MS;
    const inFlightTimeoutMs = this.config.REPLAY_IN_FLIGHT_TIMEOUT_MS;
    const pacer = new ReplayPacer({ ratePerSecond: job.rate_per_second, inFlightTimeoutMs });
    // Taking a job over: what the previous holder produced lately still counts against the rate.
    const recent = await this.repo.recentlySent(job.id, inFlightTimeoutMs);
    for (const r of recent.sort((a, b) => new Date(a.sent_at).getTime() - new Date(b.sent_at).getTime())) pacer.produced([r.delivery_id], new Date(r.sent_at).getTime());
    let renewedAt = Date.now();
    let failures = 0;
    while (!this.stopped) {
      if (pacer.inFlightCount > 0 && inFlightTimeoutMs > 0) {
        for (const l of await this.repo.landings(job.id, pacer.pending())) pacer.landed(l.delivery_id, l.started_at ? new Date(l.started_at).getTime() : null);
      }
      const verdict = pacer.next(Date.now());
      if (verdict.allowed === 0) {
        if (Date.now() - renewedAt > lease / 3) {
          if (!(await this.repo.renew(job.id, this.owner, lease))) return;
          renewedAt = Date.now();
        }
        await this.pause(Math.min(verdict.waitMs ?? LANDING_POLL_MS, 1000));
        continue;
      }
      let step: BatchStep;
      try {
        step = await this.repo.runBatch(job.id, this.owner, verdict.allowed, lease, (em, ids) =>
          this.replayer.replay(em, ids, { tenantId: job.tenant_id, force: false, via: 'job', onProduced: (sent, at) => pacer.produced(sent, at) }),
        );
      } catch (err) {
        failures++;
        const delayMs = Math.min(30_000, 250 * 2 ** failures);
        const message = err instanceof Error ? err.message : String(err);
        this.logger.warn({ err, job: job.id, delayMs }, 'replay batch failed; nothing of it was recorded as sent; retrying');
        if (!(await this.repo.renew(job.id, this.owner, lease, `a batch failed (${message}); retrying`).catch(() => true))) return;
        renewedAt = Date.now();
        await this.pause(delayMs);
        continue;
      }
      failures = 0;
      renewedAt = Date.now();
      if (step.state === 'stopped') {
        this.logger.info({ job: job.id }, 'replay job stopped: cancelled, or taken over by another process');
        return;
      }
      if (step.state === 'done') {
        this.logger.info({ job: job.id }, 'replay job completed');
        return;
      }
    }
    await this.repo.release(job.id, this.owner);
  }

  /** Sleeps, but wakes at once on shutdown. */
  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}
