import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { KafkaProducer } from '@hookstream/kafka';
import { APP_CONFIG, BackgroundLoop, instanceId, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import type { DeliveryTask } from '../sending/delivery-task.js';
import { taskKey } from '../sending/delivery-task.js';
import { LeasesRepository } from './leases.repository.js';

/**
 * Leases in Postgres for attempts that outlive their Kafka batch. Every third of LEASE_TTL_MS
 * this process extends those with less than two thirds left, so no other dispatcher re-drives them;
 * when a process dies its leases expire and any dispatcher's ExpiredLeasesWorker puts their
 * messages back on hookstream.deliveries, where the duplicate check lets through only what was
 * never recorded.
 */
@Injectable()
export class DeliveryLeases implements OnApplicationBootstrap {
  readonly owner = instanceId();
  private readonly held = new Map<string, DeliveryTask>();
  private readonly renewals: BackgroundLoop<void>;
  private readonly heldGauge;
  private readonly lost;

  constructor(
    private readonly repo: LeasesRepository,
    private readonly producer: KafkaProducer,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.heldGauge = metrics.gauge('hookstream_delivery_leases_held', 'Attempts this process holds leases on (queued or in flight past their batch)');
    this.lost = metrics.counter('hookstream_delivery_leases_lost_total', 'Queued attempts dropped because their lease expired before they started');
    this.renewals = new BackgroundLoop<void>({
      intervalMs: Math.floor(config.LEASE_TTL_MS / 3),
      work: () => this.renew(),
      onError: (err) => this.logger.error({ err }, 'could not renew delivery leases'),
    });
  }

  onApplicationBootstrap(): void {
    this.renewals.start(Math.floor(this.config.LEASE_TTL_MS / 3));
  }

  /** Leases the tasks (one statement per thousand) before their batch's offsets are committed. */
  async hold(tasks: readonly DeliveryTask[]): Promise<void> {
    if (tasks.length === 0) return;
    const written = this.repo.hold(
      this.owner,
      this.config.LEASE_TTL_MS,
      tasks.map((t) => ({ message: t.msg, traceparent: t.traceparent })),
    );
    const settled = written.catch(() => undefined);
    for (const t of tasks) {
      t.lease = { written: settled, since: null, lost: false };
      this.held.set(t.key, t);
    }
    this.heldGauge.set(this.held.size);
    try {
      await written;
    } catch (err) {
      // No row was written: the batch fails and is fetched again, and must lease these anew.
      for (const t of tasks) {
        t.lease = null;
        this.held.delete(t.key);
      }
      this.heldGauge.set(this.held.size);
      throw err;
    }
    const since = Date.now();
    for (const t of tasks) if (t.lease) t.lease.since = since;
  }

  /** The task's outcome is recorded (its lease deleted with it) or it was handed back. */
  forget(task: DeliveryTask): void {
    if (this.held.delete(task.key)) this.heldGauge.set(this.held.size);
  }

  /** Puts queued tasks back on Kafka and gives their leases up, so another dispatcher sends them now (shutdown). */
  async handBack(tasks: readonly DeliveryTask[]): Promise<void> {
    if (tasks.length === 0) return;
    await this.producer.send(
      'deliveries',
      tasks.map((t) => ({ key: t.msg.subscription_id, value: t.msg, traceparent: t.traceparent })),
    );
    await this.repo.release(this.owner, tasks.map((t) => t.msg));
    for (const t of tasks) this.forget(t);
  }

  /** Renews no more (shutdown: what is still held is handed back or expires). */
  stop(): Promise<void> {
    return this.renewals.stop();
  }

  /** Renews what needs it (see LeasesRepository.renew); a queued task whose lease a sweeper took meanwhile must not start here too. */
  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const asked = Date.now();
    const kept = new Set((await this.repo.renew(this.owner, this.config.LEASE_TTL_MS)).map(taskKey));
    for (const [key, task] of this.held) {
      // Only a lease whose row existed before the renewal can be missing from its answer.
      if (kept.has(key) || task.lease?.since == null || task.lease.since >= asked) continue;
      if (task.state === 'queued') {
        task.lease.lost = true;
        this.lost.inc();
        this.logger.warn({ delivery: task.msg.delivery_id, attempt: task.msg.attempt }, 'lease expired before the attempt started; leaving it to the dispatcher that re-drives it');
      }
    }
  }
}
