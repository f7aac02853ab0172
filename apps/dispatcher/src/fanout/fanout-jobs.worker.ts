import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, instanceId, LeasedJobPool, type Logger, LOGGER, Metrics, type StepResult } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { FanoutEmitter } from './fanout-emitter.js';
import { type FanoutJob, FanoutJobsRepository } from './fanout-jobs.repository.js';
import { FairShares } from '../sending/fair-shares.js';

/** A job this process continues, with where it stands. */
interface RunningJob {
  job: FanoutJob;
  after: string;
  firstAttemptAt: string;
}

// JSON keeps ("a/b", "c") and ("a", "b/c") apart.
const jobKey = (tenantId: string, eventId: string): string => JSON.stringify([tenantId, eventId]);

/** Jobs whose owner died are resumed this many at a time per sweep. */
const RESUME_PAGE = 100;

/** How often a job of a tenant far above its fair share looks again (see chunk). */
const OVER_SHARE_RECHECK_MS = 1000;

/**
 * Continues large fan-outs after their event's offset is committed, FANOUT_CHUNK_SIZE
 * subscriptions at a time, so a 10,000-way event never holds its partition (and the tenants
 * behind it) for the whole fan-out. Chunks run FANOUT_JOB_CONCURRENCY at a time, tenants in turn
 * (LeasedJobPool): a tenant with a hundred big fan-outs going gets one chunk per round like a
 * tenant with one. Each chunk advances the job's row; every job held here, waiting or running, is
 * renewed every third of LEASE_TTL_MS. A job whose owner died expires and any dispatcher resumes
 * it from its cursor. Redoing a chunk creates nothing twice (delivery ids are derived, inserts
 * idempotent).
 */
@Injectable()
export class FanoutJobsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly pool: LeasedJobPool<RunningJob>;
  private readonly owner = instanceId();
  private readonly parkedTotal;

  constructor(
    private readonly jobs: FanoutJobsRepository,
    private readonly emitter: FanoutEmitter,
    private readonly shares: FairShares,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    const running = metrics.gauge('hookstream_fanout_jobs_running', 'Large fan-outs this process is continuing in the background');
    this.parkedTotal = metrics.counter('hookstream_fanout_parked_total', 'Events whose fan-out was parked because their tenant was disabled');
    this.pool = new LeasedJobPool<RunningJob>({
      concurrency: config.FANOUT_JOB_CONCURRENCY,
      // Bounds what claims bring in: a tenant held back for an hour must not fill memory with events.
      maxHeld: config.FANOUT_JOBS_MAX_HELD,
      tenantOf: (r) => r.job.event.tenant_id,
      keyOf: (r) => jobKey(r.job.event.tenant_id, r.job.event.id),
      step: (r) => this.chunk(r),
      claim: { everyMs: config.LEASE_SWEEP_INTERVAL_MS, run: (room) => this.resumeExpired(room) },
      renew: { everyMs: Math.floor(config.LEASE_TTL_MS / 3), run: (held) => this.renew(held) },
      onError: (err, r, during) => {
        if (during === 'step') this.logger.error({ err, event: r?.job.event.id }, 'background fan-out failed; its job will be resumed when it expires');
        else if (during === 'claim') this.logger.error({ err }, 'looking for abandoned fan-outs failed; trying again next interval');
        else this.logger.error({ err }, 'renewing fan-out job leases failed; trying again next interval');
      },
      onSize: (size) => running.set(size),
    });
  }

  onApplicationBootstrap(): void {
    this.pool.start();
  }

  /** Jobs stop at their next chunk; their rows expire and are resumed by whoever runs next. */
  onModuleDestroy(): Promise<void> {
    return this.pool.stop();
  }

  /** Records the jobs (before their batch commits) and continues them in the background. */
  async start(jobs: readonly FanoutJob[]): Promise<void> {
    await this.jobs.start(this.owner, this.config.LEASE_TTL_MS, jobs);
    for (const job of jobs) this.add(job);
  }

  /**
   * Records the fan-outs of events held back for their over-share tenant (before their batch
   * commits). They are claimed like abandoned jobs, as this process (or another) has room
   * (FANOUT_JOBS_MAX_HELD), so the events waiting for an over-share tenant live in Postgres,
   * not in memory.
   */
  async holdBack(held: readonly { event: FanoutJob['event']; traceparent: string | null }[]): Promise<void> {
    if (held.length === 0) return;
    await this.jobs.holdBack(held.map((h) => h.event), held.map((h) => h.traceparent));
    this.pool.wake();
  }

  /** Parks the fan-outs of a disabled tenant's events (before their batch commits). */
  async park(parked: readonly { event: FanoutJob['event']; traceparent: string | null }[]): Promise<void> {
    if (parked.length === 0) return;
    await this.jobs.park(parked.map((p) => p.event), parked.map((p) => p.traceparent));
    this.parkedTotal.inc(parked.length);
  }

  private add(job: FanoutJob): void {
    this.pool.add({ job, after: job.after_id, firstAttemptAt: new Date().toISOString() });
  }

  /**
   * One chunk of a job: its next FANOUT_CHUNK_SIZE subscriptions get their deliveries. Not while
   * its tenant holds far more than its fair share of held deliveries: they would only be deferred
   * through hookstream.retries one by one, so the job waits (leased, costing nothing) instead.
   */
  private async chunk(r: RunningJob): Promise<StepResult> {
    const { event } = r.job;
    if (this.shares.overShare(event.tenant_id)) return { waitMs: OVER_SHARE_RECHECK_MS };
    const chunk = this.emitter.match(event, r.after).slice(0, this.config.FANOUT_CHUNK_SIZE);
    if (chunk.length === 0) {
      await this.jobs.finish(this.owner, event.tenant_id, event.id);
      return 'over';
    }
    // Ordered subscriptions were fanned out with the event's batch, unless the job was parked; their
    // rows exist then, keep the positions they have, and are not produced again (insertPending).
    const planned = this.emitter.plan(event, chunk, r.job.traceparent, r.firstAttemptAt);
    await this.emitter.place(planned);
    await this.emitter.emit(planned);
    r.after = chunk[chunk.length - 1]?.id ?? r.after;
    if (!(await this.jobs.advance(this.owner, this.config.LEASE_TTL_MS, event.tenant_id, event.id, r.after))) {
      this.logger.warn({ event: event.id }, 'fan-out job was taken over; leaving it to its new owner');
      return 'over';
    }
    return 'more';
  }

  /** Keeps the leases of every job held here, running or waiting its turn; answers those still ours. */
  private async renew(held: RunningJob[]): Promise<ReadonlySet<string>> {
    const kept = new Set((await this.jobs.renewAll(this.owner, this.config.LEASE_TTL_MS)).map((j) => jobKey(j.tenant_id, j.event_id)));
    for (const { job } of held) {
      const { tenant_id: tenantId, id } = job.event;
      // A job recorded after the renewal's snapshot may be missing from it without being lost:
      // it is given up only if its row no longer names this process.
      if (!kept.has(jobKey(tenantId, id)) && (await this.jobs.owns(this.owner, tenantId, id))) kept.add(jobKey(tenantId, id));
    }
    return kept;
  }

  private async resumeExpired(room: number): Promise<RunningJob[]> {
    // A restarted process may find its predecessor's jobs expired before it has read the
    // subscription changelog; claiming one then would match nothing and end it half done.
    if (!this.emitter.ready) return [];
    const jobs = await this.jobs.claimExpired(this.owner, this.config.LEASE_TTL_MS, Math.min(RESUME_PAGE, room));
    if (jobs.length > 0) this.logger.info({ count: jobs.length }, 'resuming fan-outs whose owner stopped or whose tenant was enabled again');
    return jobs.map((job) => ({ job, after: job.after_id, firstAttemptAt: new Date().toISOString() }));
  }
}
