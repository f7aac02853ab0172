import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { INSTANCE_ID } from '../instance.js';
import { FanoutEmitter } from './fanout-emitter.js';
import { type FanoutJob, FanoutJobsRepository } from './fanout-jobs.repository.js';

/**
 * Continues large fan-outs after their event's offset is committed, FANOUT_CHUNK_SIZE
 * subscriptions at a time, so a 10,000-way event never holds its partition (and the tenants
 * behind it) for the whole fan-out. Each chunk advances and renews the job's row; a job whose
 * owner died expires and any dispatcher resumes it from its cursor. Redoing a chunk creates
 * nothing twice (delivery ids are derived, inserts idempotent).
 */
@Injectable()
export class FanoutRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly jobsGauge;

  constructor(
    private readonly jobs: FanoutJobsRepository,
    private readonly emitter: FanoutEmitter,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.jobsGauge = metrics.gauge('hookstream_fanout_jobs_running', 'Large fan-outs this process is continuing in the background');
  }

  onApplicationBootstrap(): void {
    this.sweepTimer = setInterval(() => void this.resumeExpired(), this.config.LEASE_SWEEP_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    // Jobs stop at their next chunk; their rows expire and are resumed by whoever runs next.
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await Promise.all(this.running.values());
  }

  /** Records the jobs (before their batch commits) and continues them in the background. */
  async start(jobs: readonly FanoutJob[]): Promise<void> {
    await this.jobs.start(INSTANCE_ID, this.config.LEASE_TTL_MS, jobs);
    for (const job of jobs) this.run(job);
  }

  private run(job: FanoutJob): void {
    const key = `${job.event.tenant_id}/${job.event.id}`;
    if (this.running.has(key) || this.stopped) return;
    const done = this.continue(job)
      .catch((err: unknown) => this.logger.error({ err, event: job.event.id }, 'background fan-out failed; its job will be resumed when it expires'))
      .finally(() => {
        this.running.delete(key);
        this.jobsGauge.set(this.running.size);
      });
    this.running.set(key, done);
    this.jobsGauge.set(this.running.size);
  }

  private async continue(job: FanoutJob): Promise<void> {
    const { event } = job;
    const firstAttemptAt = new Date().toISOString();
    let after = job.after_id;
    while (!this.stopped) {
      const chunk = this.emitter.match(event, after).slice(0, this.config.FANOUT_CHUNK_SIZE);
      if (chunk.length === 0) {
        await this.jobs.finish(INSTANCE_ID, event.tenant_id, event.id);
        return;
      }
      await this.emitter.emit(this.emitter.plan(event, chunk, job.traceparent, firstAttemptAt));
      after = chunk[chunk.length - 1]?.id ?? after;
      if (!(await this.jobs.advance(INSTANCE_ID, this.config.LEASE_TTL_MS, event.tenant_id, event.id, after))) {
        this.logger.warn({ event: event.id }, 'fan-out job was taken over; leaving it to its new owner');
        return;
      }
    }
  }

  private async resumeExpired(): Promise<void> {
    try {
      const jobs = await this.jobs.claimExpired(INSTANCE_ID, this.config.LEASE_TTL_MS, 100);
      if (jobs.length > 0) this.logger.warn({ count: jobs.length }, 'resuming fan-outs whose owner stopped');
      for (const job of jobs) this.run(job);
    } catch (err) {
      this.logger.error({ err }, 'looking for abandoned fan-outs failed; trying again next interval');
    }
  }
}
