import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DeadLetterMessage } from '@hookstream/contracts';
import { KafkaProducer, type OutgoingMessage } from '@hookstream/kafka';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { SchedulerConfig } from '../config.js';
import { type DueRetry, ScheduledRetriesRepository } from './scheduled-retries.repository.js';

/**
 * Fires due retries. It sleeps until the earliest due time (bounded by MAX_IDLE_SLEEP_MS) and
 * is woken early when a retry due sooner is stored, so nothing polls while nothing is due.
 */
@Injectable()
export class RetryTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private wakeAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly fired;
  private readonly expired;
  private readonly lateness;
  private readonly pending;

  constructor(
    private readonly repo: ScheduledRetriesRepository,
    private readonly producer: KafkaProducer,
    @Inject(APP_CONFIG) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.fired = metrics.counter('hookstream_retries_fired_total', 'Retries sent back to hookstream.deliveries');
    this.expired = metrics.counter('hookstream_retries_expired_total', 'Retries dead-lettered because the delivery outlived its age limit');
    this.lateness = metrics.histogram('hookstream_retry_lateness_seconds', 'How late a retry fired after its due time', [], [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30]);
    this.pending = metrics.gauge('hookstream_retries_pending', 'Retries waiting in Postgres');
  }

  onApplicationBootstrap(): void {
    this.wake(Date.now());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Something is due at `at`: make sure we are awake by then. */
  wake(at: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (at >= this.wakeAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - Date.now()));
  }

  private tick(): void {
    this.timer = null;
    this.wakeAt = Number.POSITIVE_INFINITY;
    this.again = false;
    this.running = this.fireDue()
      .catch((err: unknown) => {
        this.logger.error({ err }, 'firing retries failed; trying again shortly');
        return Date.now() + 1000;
      })
      .then((next) => {
        this.running = null;
        this.wake(this.again ? Date.now() : next);
      });
  }

  /** Fires everything due now; returns when to look next. */
  private async fireDue(): Promise<number> {
    for (;;) {
      const n = await this.repo.claimDue(this.config.CLAIM_BATCH_SIZE, (due) => this.produce(due));
      if (n < this.config.CLAIM_BATCH_SIZE) break;
    }
    const next = await this.repo.nextDueAt();
    this.pending.set(await this.repo.pendingCount());
    const idle = Date.now() + this.config.MAX_IDLE_SLEEP_MS;
    return next ? Math.min(next.getTime(), idle) : idle;
  }

  private async produce(due: DueRetry[]): Promise<void> {
    const now = Date.now();
    const deliveries: OutgoingMessage[] = [];
    const dead: OutgoingMessage[] = [];
    for (const r of due) {
      const { delivery, failure, expires_at: expiresAt, due_at: dueAt } = r.message;
      if (expiresAt && Date.parse(expiresAt) <= now) {
        const letter: DeadLetterMessage = {
          delivery,
          reason: `the delivery outlived its age limit (${expiresAt}); last: ${failure.message}`,
          failure,
          attempts: delivery.attempt - 1,
          dead_at: new Date(now).toISOString(),
        };
        dead.push({ key: delivery.subscription_id, value: letter, traceparent: r.traceparent });
        continue;
      }
      this.lateness.observe(Math.max(0, now - Date.parse(dueAt)) / 1000);
      deliveries.push({ key: delivery.subscription_id, value: delivery, traceparent: r.traceparent });
    }
    await this.producer.sendMany([
      { topic: 'deliveries', messages: deliveries },
      { topic: 'dlq', messages: dead },
    ]);
    this.fired.inc(deliveries.length);
    this.expired.inc(dead.length);
  }
}
