import { Inject, Injectable } from '@nestjs/common';
import type { AttemptFailure, DeadLetterMessage, RetryMessage } from '@hookstream/contracts';
import { KafkaProducer, type OutgoingMessage } from '@hookstream/kafka';
import { APP_CONFIG, BackgroundWorker, type Logger, LOGGER, Metrics, startHopSpan, withHopSpans } from '@hookstream/platform';
import type { SchedulerConfig } from '../config.js';
import { retryAttributes } from './retry-spans.js';
import { type DueRetry, ScheduledRetriesRepository } from './scheduled-retries.repository.js';

/** Rows due yet not claimable are held by another replica's transaction: look again this soon. */
const CONTENDED_BACKOFF_MS = 50;
const ERROR_BACKOFF_MS = 1000;

/**
 * Fires due retries. It sleeps until the earliest due time, by the database's clock, and is woken
 * early (wake(at)) when a retry due sooner is stored, by this replica or another
 * (RetryDueListener), so nothing polls while nothing is due.
 */
@Injectable()
export class DueRetriesWorker extends BackgroundWorker<number> {
  private readonly fired;
  private readonly expired;
  private readonly lateness;
  private readonly rounds;
  /** When the last round of firing ended (ms since the epoch); rounds start FIRE_BATCH_MS apart. */
  private lastRoundAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly repo: ScheduledRetriesRepository,
    private readonly producer: KafkaProducer,
    @Inject(APP_CONFIG) private readonly config: SchedulerConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    super(config.MAX_IDLE_SLEEP_MS, (err) => logger.error({ err }, 'firing retries failed; trying again shortly'));
    this.fired = metrics.counter('hookstream_retries_fired_total', 'Retries sent back to hookstream.deliveries');
    this.expired = metrics.counter('hookstream_retries_expired_total', 'Retries dead-lettered because the delivery outlived its age limit');
    this.rounds = metrics.counter('hookstream_retry_fire_rounds_total', 'Rounds of firing that found retries due (FIRE_BATCH_MS apart at the closest)');
    this.lateness = metrics.histogram('hookstream_retry_lateness_seconds', 'How late a retry fired after its due time', [], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30]);
  }

  protected async work(): Promise<number> {
    try {
      return await this.fireDue();
    } finally {
      this.lastRoundAt = Date.now();
    }
  }

  /** A wake-up for a retry due sooner: never sooner than FIRE_BATCH_MS after the last round. */
  override wake(at = Date.now()): void {
    super.wake(Math.max(at, this.lastRoundAt + this.config.FIRE_BATCH_MS));
  }

  /** A run answers how long to sleep: until the next row is due. */
  protected override nextDelayMs(sleepMs: number): number {
    return sleepMs;
  }

  protected override failureDelayMs(): number {
    return ERROR_BACKOFF_MS;
  }

  /** Fires everything due now; returns how long to sleep. */
  private async fireDue(): Promise<number> {
    let claimed: number;
    let any = false;
    do {
      claimed = await this.repo.claimDue(this.config.CLAIM_BATCH_SIZE, (due) => this.produce(due));
      any ||= claimed > 0;
    } while (claimed === this.config.CLAIM_BATCH_SIZE);
    if (any) this.rounds.inc();
    const next = await this.repo.nextDueInMs();
    if (next === null) return this.config.MAX_IDLE_SLEEP_MS;
    // Due already: either it came due during this round (it goes with the next, FIRE_BATCH_MS
    // on; a backlog was drained by the loop above) or, when the last claim found nothing,
    // another replica holds it right now (if that replica dies, its transaction aborts and the
    // rows are claimable again).
    const sleepMs = next > 0 ? Math.max(next, this.config.FIRE_BATCH_MS) : claimed > 0 ? this.config.FIRE_BATCH_MS : CONTENDED_BACKOFF_MS;
    return Math.min(sleepMs, this.config.MAX_IDLE_SLEEP_MS);
  }

  /** A `retry fire` span per row, a child of its `retry schedule` span; what it produces carries the fire span's context. */
  private async produce(due: DueRetry[]): Promise<void> {
    const now = Date.now();
    const deliveries: OutgoingMessage[] = [];
    const dead: OutgoingMessage[] = [];
    await withHopSpans(
      due,
      (r) => startHopSpan('retry fire', r.traceparent, retryAttributes(r.message)),
      async (traceparents, spans) => {
        due.forEach((r, i) => {
          const traceparent = traceparents[i] ?? null;
          const { delivery, expires_at: expiresAt, due_at: dueAt } = r.message;
          if (expiresAt && Date.parse(expiresAt) <= now) {
            spans[i]?.setAttribute('hookstream.expired', true);
            dead.push({ key: delivery.subscription_id, value: expiredLetter(r.message, new Date(now)), traceparent });
            return;
          }
          this.lateness.observe(Math.max(0, now - Date.parse(dueAt)) / 1000);
          deliveries.push({ key: delivery.subscription_id, value: delivery, traceparent });
        });
        await this.producer.sendMany([
          { topic: 'deliveries', messages: deliveries },
          { topic: 'dlq', messages: dead },
        ]);
      },
    );
    this.fired.inc(deliveries.length);
    this.expired.inc(dead.length);
  }
}

/** The dead letter of a retry whose delivery outlived its age limit before the retry came due. */
function expiredLetter(retry: RetryMessage, now: Date): DeadLetterMessage {
  const { delivery, failure, expires_at: expiresAt } = retry;
  const attempts = delivery.attempt - 1;
  return {
    delivery,
    reason:
      `the delivery outlived its age limit: ${attempts} attempt${attempts === 1 ? '' : 's'} since ${delivery.first_attempt_at} failed, ` +
      `and attempt ${delivery.attempt} (due ${retry.due_at}) came after the limit (${expiresAt}); last: ${describeFailure(failure)}`,
    failure,
    attempts,
    dead_at: now.toISOString(),
  };
}

function describeFailure(f: AttemptFailure): string {
  return `${f.message} (${f.error_class}${f.status_code === null ? '' : `, status ${f.status_code}`})`;
}
