import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { backoffDelayMs, ReplayPacer } from '@hookstream/domain';
import { APP_CONFIG, instanceId, LeasedJobPool, type Logger, LOGGER, Metrics, type StepResult } from '@hookstream/platform';
import type { InspectorConfig } from '../config.js';
import { LetterReplayer } from '../replays/letter-replayer.service.js';
import { type BatchStep, type JobRow, ReplayJobsRepository } from './replay-jobs.repository.js';

/** How often a job waiting for its replays to reach the dispatcher looks again. */
const LANDING_POLL_MS = 50;
/** A batch that failed (Postgres or Kafka down) is tried again after 0.5 s, doubling to 30 s. */
const BATCH_BACKOFF = { initialMs: 250, maxMs: 30_000 };

/** A job this process runs, with its pacing. */
interface RunningReplay {
  job: JobRow;
  /** Made on the job's first step here, from what its previous holder produced lately. */
  pacer: ReplayPacer | null;
  failures: number;
}

/**
 * Runs replay jobs: up to REPLAY_JOBS_PER_REPLICA at once in this process, tenants in turn, each
 * claimed with a lease (FOR UPDATE SKIP LOCKED, so replicas never run one job twice) and renewed
 * while held (LeasedJobPool). A process that dies stops renewing, and another takes the job over
 * when the lease lapses; one that stops gracefully hands its jobs back at once.
 */
@Injectable()
export class ReplayJobsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  /** Names this process in replay_jobs.lease_owner; a restarted process is a new owner. */
  readonly owner = instanceId();
  private readonly pool: LeasedJobPool<RunningReplay>;

  constructor(
    private readonly repo: ReplayJobsRepository,
    private readonly replayer: LetterReplayer,
    @Inject(APP_CONFIG) private readonly config: InspectorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    const active = metrics.gauge('hookstream_replay_jobs_running', 'Replay jobs this process is running');
    const lease = config.REPLAY_JOB_LEASE_MS;
    this.pool = new LeasedJobPool<RunningReplay>({
      concurrency: config.REPLAY_JOBS_PER_REPLICA,
      maxHeld: config.REPLAY_JOBS_PER_REPLICA,
      // An operator's job across every tenant takes its turns as one more group.
      tenantOf: (r) => r.job.tenant_id ?? '*',
      keyOf: (r) => r.job.id,
      step: (r) => this.step(r),
      claim: { everyMs: config.REPLAY_JOB_POLL_MS, run: (room) => this.claim(room) },
      renew: { everyMs: Math.floor(lease / 3), run: (held) => this.renew(held) },
      release: (held) => Promise.all(held.map((r) => this.repo.release(r.job.id, this.owner))).then(() => undefined),
      onError: (err, r, during) => {
        if (during === 'step') this.logger.error({ err, job: r?.job.id }, 'replay job runner failed; another process resumes it when the lease lapses');
        else this.logger.error({ err }, `${during === 'claim' ? 'looking for' : during === 'renew' ? 'renewing' : 'handing back'} replay jobs failed`);
      },
      onSize: (size) => active.set(size),
    });
  }

  onApplicationBootstrap(): void {
    this.pool.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.pool.stop();
  }

  /** A job was created: look for work now rather than at the next poll. */
  wake(): void {
    this.pool.wake();
  }

  private async claim(room: number): Promise<RunningReplay[]> {
    const claimed: RunningReplay[] = [];
    while (claimed.length < room) {
      const job = await this.repo.claim(this.owner, this.config.REPLAY_JOB_LEASE_MS);
      if (!job) break;
      this.logger.info({ job: job.id, total: job.total, sent: job.sent, skipped: job.skipped, rate: job.rate_per_second }, job.sent + job.skipped > 0 ? 'replay job resumed' : 'replay job started');
      claimed.push({ job, pacer: null, failures: 0 });
    }
    return claimed;
  }

  private async renew(held: RunningReplay[]): Promise<ReadonlySet<string>> {
    const lease = this.config.REPLAY_JOB_LEASE_MS;
    const kept = await Promise.all(held.map(async (r) => ((await this.repo.renew(r.job.id, this.owner, lease)) ? r.job.id : null)));
    return new Set(kept.filter((id): id is string => id !== null));
  }

  /** One paced batch of a job, or the wait until the pace allows one. */
  private async step(r: RunningReplay): Promise<StepResult> {
    const { job } = r;
    const inFlightTimeoutMs = this.config.REPLAY_IN_FLIGHT_TIMEOUT_MS;
    const pacer = r.pacer ?? (r.pacer = await this.pacerFor(job));
    if (pacer.inFlightCount > 0 && inFlightTimeoutMs > 0) {
      for (const l of await this.repo.landings(job.id, pacer.pending())) pacer.landed(l.delivery_id, l.started_at ? new Date(l.started_at).getTime() : null);
    }
    const verdict = pacer.next(Date.now());
    if (verdict.allowed === 0) return { waitMs: Math.min(verdict.waitMs ?? LANDING_POLL_MS, 1000) };
    let step: BatchStep;
    try {
      step = await this.repo.runBatch(job.id, this.owner, verdict.allowed, this.config.REPLAY_JOB_LEASE_MS, (em, ids) =>
        this.replayer.replay(em, ids, { tenantId: job.tenant_id, force: false, via: 'job', onProduced: (sent, at) => pacer.produced(sent, at) }),
      );
    } catch (err) {
      r.failures++;
      const delayMs = backoffDelayMs(r.failures, BATCH_BACKOFF);
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn({ err, job: job.id, delayMs }, 'replay batch failed; nothing of it was recorded as sent; retrying');
      const kept = await this.repo.renew(job.id, this.owner, this.config.REPLAY_JOB_LEASE_MS, `a batch failed (${message}); retrying`).catch(() => true);
      return kept ? { waitMs: delayMs } : 'over';
    }
    r.failures = 0;
    if (step.state === 'stopped') {
      this.logger.info({ job: job.id }, 'replay job stopped: cancelled, or taken over by another process');
      return 'over';
    }
    if (step.state === 'done') {
      this.logger.info({ job: job.id }, 'replay job completed');
      return 'over';
    }
    return 'more';
  }

  /** Taking a job over: what the previous holder produced lately still counts against the rate. */
  private async pacerFor(job: JobRow): Promise<ReplayPacer> {
    const inFlightTimeoutMs = this.config.REPLAY_IN_FLIGHT_TIMEOUT_MS;
    const pacer = new ReplayPacer({ ratePerSecond: job.rate_per_second, inFlightTimeoutMs });
    const recent = await this.repo.recentlySent(job.id, inFlightTimeoutMs);
    for (const s of recent.sort((a, b) => new Date(a.sent_at).getTime() - new Date(b.sent_at).getTime())) pacer.produced([s.delivery_id], new Date(s.sent_at).getTime());
    return pacer;
  }
}
