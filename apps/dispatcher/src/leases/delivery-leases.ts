import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { KafkaProducer } from '@hookstream/kafka';
import { APP_CONFIG, BackgroundLoop, instanceId, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import type { DeliveryTask } from '../sending/delivery-task.js';
import { LeasesRepository, OwnerLostError } from './leases.repository.js';

/**
 * Leases in Postgres for attempts that outlive their Kafka batch. A lease is written once and
 * deleted once (with its outcome, or when handed back); it lives as long as this process's row
 * in dispatcher_owners, which a heartbeat extends every third of LEASE_TTL_MS. When a process
 * dies its row expires, and any dispatcher's ExpiredLeasesWorker puts the messages of its leases
 * back on hookstream.deliveries, where the duplicate check lets through only what was never
 * recorded.
 *
 * A process whose heartbeat was late by more than the TTL (a long pause, Postgres out of reach)
 * finds its row expired: a sweeper may be re-driving its leases. It then leases under a new name
 * from there on, and its queued attempts under the old name are dropped (lost), since another
 * dispatcher sends them; attempts already in flight finish and are recorded.
 */
@Injectable()
export class DeliveryLeases implements OnApplicationBootstrap {
  private current = instanceId();
  private readonly held = new Map<string, DeliveryTask>();
  private readonly heartbeat: BackgroundLoop<void>;
  private joined: Promise<void> | null = null;
  private readonly heldGauge;
  private readonly lost;
  private readonly ownerLost;

  constructor(
    private readonly repo: LeasesRepository,
    private readonly producer: KafkaProducer,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.heldGauge = metrics.gauge('hookstream_delivery_leases_held', 'Attempts this process holds leases on (queued or in flight past their batch)');
    this.lost = metrics.counter('hookstream_delivery_leases_lost_total', 'Queued attempts dropped because their lease expired before they started');
    this.ownerLost = metrics.counter('hookstream_delivery_lease_owner_lost_total', "Times this process found its heartbeat row expired and took a new owner name");
    this.heartbeat = new BackgroundLoop<void>({
      intervalMs: Math.floor(config.LEASE_TTL_MS / 3),
      work: () => this.beat(),
      onError: (err) => this.logger.error({ err }, 'could not extend the delivery lease heartbeat'),
    });
  }

  /** The name this process's leases are written under now. */
  get owner(): string {
    return this.current;
  }

  onApplicationBootstrap(): void {
    void this.join().catch(() => undefined);
    this.heartbeat.start(Math.floor(this.config.LEASE_TTL_MS / 3));
  }

  /** Leases the tasks (one statement per thousand) before their batch's offsets are committed. */
  async hold(tasks: readonly DeliveryTask[]): Promise<void> {
    if (tasks.length === 0) return;
    const owner = this.current;
    const written = this.join().then(() =>
      this.repo.hold(
        owner,
        tasks.map((t) => ({ message: t.msg, traceparent: t.traceparent })),
      ),
    );
    const settled = written.catch(() => undefined);
    for (const t of tasks) {
      t.lease = { written: settled, lost: false };
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
      if (err instanceof OwnerLostError) this.rename(owner);
      throw err;
    }
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
    await this.repo.release(this.current, tasks.map((t) => t.msg));
    for (const t of tasks) this.forget(t);
  }

  /** Beats no more (shutdown: the row expires, and a sweeper re-drives whatever is still leased). */
  stop(): Promise<void> {
    return this.heartbeat.stop();
  }

  /** This process's row exists (written once; a failed write is tried again by the next caller). */
  private join(): Promise<void> {
    this.joined ??= this.repo.join(this.current, this.config.LEASE_TTL_MS).catch((err: unknown) => {
      this.joined = null;
      throw err;
    });
    return this.joined;
  }

  private async beat(): Promise<void> {
    await this.join();
    const owner = this.current;
    if (!(await this.repo.beat(owner, this.config.LEASE_TTL_MS))) this.rename(owner);
  }

  /**
   * `owner`'s row expired, so its leases may be re-driven elsewhere: queued tasks leased under it
   * must not start here too. New leases go under a new name, registered before they are written.
   */
  private rename(owner: string): void {
    if (this.current !== owner) return;
    this.current = `${instanceId()}:${randomBytes(2).toString('hex')}`;
    this.joined = null;
    this.ownerLost.inc();
    let dropped = 0;
    for (const task of this.held.values()) {
      if (task.state !== 'queued' || !task.lease || task.lease.lost) continue;
      task.lease.lost = true;
      this.lost.inc();
      dropped++;
    }
    this.logger.warn({ owner, now: this.current, dropped }, 'lease heartbeat expired; queued attempts are left to the dispatcher that re-drives them, and new leases go under a new name');
  }
}
