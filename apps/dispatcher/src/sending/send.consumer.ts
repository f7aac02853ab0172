import { Inject, type OnModuleDestroy } from '@nestjs/common';
import { type DeliveryMessage, deliveryMessageSchema, HEADERS } from '@hookstream/contracts';
import { backoffDelayMs, compareAttempts, judgePlannedAttempt } from '@hookstream/domain';
import { type BatchContext, type BatchHandler, type ConsumedMessage, ConsumerHost, TopicConsumer } from '@hookstream/kafka';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { HttpSender } from '@hookstream/webhook-http';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';
import { AttemptsRepository } from './attempts.repository.js';
import { DeliveryScheduler } from './delivery-scheduler.js';
import { DeliveryTask, taskKey } from './delivery-task.js';
import { DeliveryLeases } from '../leases/delivery-leases.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { OrderedEntriesRepository } from '../ordering/ordered-entries.repository.js';
import { HTTP_SENDER } from './sending.tokens.js';
import { TenantStatesWorker } from '../tenant-states/tenant-states.worker.js';

/** Leasing a batch's unfinished deliveries is tried again this long after a failure, doubling. */
const LEASE_RETRY_BACKOFF = { initialMs: 200, maxMs: 5000 };

/**
 * `hookstream.deliveries` → signed POSTs, without letting one endpoint hold the partition.
 * A batch's planned attempts that were already acted on are skipped (one query); the rest go to
 * the scheduler. The batch waits at most SEND_BATCH_WAIT_MS for them; whatever is still queued
 * or in flight then is leased in Postgres (one statement) and the offsets are committed, while
 * those attempts finish in the background and record themselves.
 */
@TopicConsumer({ topic: 'deliveries', groupId: 'dispatcher-send', schema: deliveryMessageSchema, partitionsConsumedConcurrently: 3 })
export class SendConsumer implements BatchHandler<DeliveryMessage>, OnModuleDestroy {
  private stopRequested!: () => void;
  private stopped = false;
  private readonly stopping = new Promise<void>((resolve) => {
    this.stopRequested = () => {
      this.stopped = true;
      resolve();
    };
  });
  private readonly skipped;

  constructor(
    private readonly index: SubscriptionIndexService,
    private readonly attempts: AttemptsRepository,
    private readonly scheduler: DeliveryScheduler,
    private readonly leases: DeliveryLeases,
    private readonly recorder: OutcomeRecorder,
    private readonly consumers: ConsumerHost,
    private readonly tenants: TenantStatesWorker,
    private readonly ordered: OrderedEntriesRepository,
    @Inject(HTTP_SENDER) private readonly sender: HttpSender,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.skipped = metrics.counter('hookstream_delivery_duplicates_skipped_total', 'Planned attempts not sent because they were already acted on or are held elsewhere', ['reason']);
  }

  async handleBatch(messages: ConsumedMessage<DeliveryMessage>[], ctx: BatchContext): Promise<void> {
    if (messages.length === 0) return;
    await this.index.whenReady(ctx);
    await this.tenants.whenLoaded();
    const beat = setInterval(() => void ctx.heartbeat().catch(() => undefined), 3000);
    try {
      await this.scheduler.whenRoom(messages.map((m) => m.value.tenant_id));
      const { fresh, held } = await this.sort(messages);
      this.scheduler.admit(fresh);
      // The partition's next batch is fetched and admitted while this one settles: a fetch waits
      // for all of its batches, and one waiting on its stragglers and their leases held up every
      // partition's deliveries (the hostile_tenant round's queue stage).
      ctx.settleAfter(this.settleOrLeaseUntilDone([...fresh, ...held]));
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * settleOrLease, again after a backoff while Postgres refuses the leases: the batch's offsets
   * wait for it, and by the time it gives up (the process is stopping) its attempts have been
   * handed back or are covered by the leases' expiry.
   */
  private async settleOrLeaseUntilDone(tasks: readonly DeliveryTask[]): Promise<void> {
    for (let failures = 0; ; failures++) {
      try {
        await this.settleOrLease(tasks);
        return;
      } catch (err) {
        if (this.stopped) throw err;
        this.logger.warn({ err, deliveries: tasks.length, failures }, 'could not lease a batch\'s unfinished deliveries; retrying');
        await new Promise((r) => setTimeout(r, backoffDelayMs(failures, LEASE_RETRY_BACKOFF)));
      }
    }
  }

  /**
   * Shutdown, in the order that loses nothing: batches in hand lease what is unfinished and
   * commit; consumers stop; queued attempts go back to Kafka; attempts in flight finish and are
   * recorded, within the shutdown budget (a lease covers any that do not).
   */
  async onModuleDestroy(): Promise<void> {
    const deadline = Date.now() + Math.max(1000, this.config.SHUTDOWN_TIMEOUT_MS - 3000);
    this.stopRequested();
    await this.consumers.stop();
    const queued = this.scheduler.stop();
    try {
      // Claims first: the next consumer of a handed-back ordered head may then claim it at once.
      await this.ordered.letGo(queued.filter((t) => typeof t.msg.ordering_key === 'string').map((t) => t.msg), this.leases.owner);
      await this.leases.handBack(queued);
      for (const t of queued) t.finish();
    } catch (err) {
      this.logger.error({ err, count: queued.length }, 'could not hand queued deliveries back; their leases will expire and be re-driven');
    }
    await this.scheduler.whenIdle(deadline);
    await Promise.race([this.recorder.idle(), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())]);
    await this.leases.stop();
    this.sender.close();
  }

  /** Splits a batch into attempts to make now and attempts this process already holds; counts the rest as skipped. */
  private async sort(messages: readonly ConsumedMessage<DeliveryMessage>[]): Promise<{ fresh: DeliveryTask[]; held: DeliveryTask[] }> {
    // Only the most advanced planned attempt per delivery: an older one in the same batch is superseded.
    const newest = new Map<string, ConsumedMessage<DeliveryMessage>>();
    for (const m of messages) {
      const prev = newest.get(m.value.delivery_id);
      if (!prev || compareAttempts(m.value, prev.value) > 0) {
        if (prev) this.skipped.inc({ reason: 'in_batch' });
        newest.set(m.value.delivery_id, m);
      } else this.skipped.inc({ reason: 'in_batch' });
    }
    const held: DeliveryTask[] = [];
    const candidates: ConsumedMessage<DeliveryMessage>[] = [];
    for (const m of newest.values()) {
      const task = this.scheduler.holding(taskKey(m.value));
      if (task) {
        this.skipped.inc({ reason: 'in_process' });
        held.push(task);
      } else candidates.push(m);
    }
    if (candidates.length === 0) return { fresh: [], held };
    const progress = await this.attempts.progress(
      candidates.map((m) => m.value.delivery_id),
      this.leases.owner,
    );
    const fresh: DeliveryTask[] = [];
    for (const m of candidates) {
      const known = progress.get(m.value.delivery_id);
      const verdict = judgePlannedAttempt(m.value, known?.recorded, known?.leasedElsewhere);
      if (verdict === 'new') fresh.push(new DeliveryTask(m.value, m.headers[HEADERS.traceparent] ?? null));
      else this.skipped.inc({ reason: verdict });
    }
    return { fresh: await this.claimOrdered(fresh), held };
  }

  /**
   * Of the tasks, those that may go: every unordered one, and each ordered one whose key's head
   * this process has claimed for it. The rest wait in Postgres, not here: their entry's release
   * produces them again when their turn comes (docs/adr/0009).
   */
  private async claimOrdered(tasks: DeliveryTask[]): Promise<DeliveryTask[]> {
    const ordered = tasks.filter((t) => typeof t.msg.ordering_key === 'string');
    if (ordered.length === 0) return tasks;
    // A disabled ordered subscription is paused, not emptied into the dead-letter queue: its
    // entries wait in order until it is enabled again (the release sweep then sends them).
    const paused = ordered.filter((t) => this.index.index.get(t.msg.subscription_id)?.enabled === false);
    if (paused.length > 0) {
      await this.ordered.park(paused.map((t) => t.msg.delivery_id), this.leases.owner);
      this.skipped.inc({ reason: 'ordered_paused' }, paused.length);
    }
    const allowed = await this.ordered.claim(
      ordered.filter((t) => !paused.includes(t)).map((t) => ({
        delivery_id: t.msg.delivery_id,
        generation: t.msg.generation,
        attempt: t.msg.attempt,
        skip_dead: this.index.index.get(t.msg.subscription_id)?.on_dead_letter !== 'block',
      })),
      this.leases.owner,
    );
    return tasks.filter((t) => {
      if (typeof t.msg.ordering_key !== 'string' || allowed.has(t.msg.delivery_id)) return true;
      if (!paused.includes(t)) this.skipped.inc({ reason: 'ordered_behind' });
      return false;
    });
  }

  /**
   * Leases at once what is expected to be slow, waits briefly for the rest, then leases whatever
   * is still unfinished: the batch is committed as soon as everything in it is recorded or leased.
   */
  private async settleOrLease(tasks: readonly DeliveryTask[]): Promise<void> {
    if (tasks.length === 0) return;
    const wait = this.config.SEND_BATCH_WAIT_MS;
    const early = tasks.filter((t) => t.unfinished && t.lease === null && this.scheduler.expectsSlow(t, wait));
    const earlyLeases = this.leases.hold(early);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(tasks.filter((t) => !early.includes(t)).map((t) => t.done)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, wait))),
      this.stopping,
    ]);
    clearTimeout(timer);
    await earlyLeases;
    await this.leases.hold(tasks.filter((t) => t.unfinished && t.lease === null));
    // Outcomes being written right now are about to be durable; leased tasks already are.
    await Promise.all(tasks.filter((t) => t.state === 'recording' && t.lease === null).map((t) => t.done));
  }
}
