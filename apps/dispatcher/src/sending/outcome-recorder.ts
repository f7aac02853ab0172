import { Inject, Injectable } from '@nestjs/common';
import { backoffDelayMs } from '@hookstream/domain';
import { KafkaProducer, type OutgoingMessage } from '@hookstream/kafka';
import { type Logger, LOGGER, Metrics } from '@hookstream/platform';
import { AttemptsRepository } from './attempts.repository.js';
import type { DeliveryTask } from './delivery-task.js';
import { DeliveryLeases } from '../leases/delivery-leases.js';
import type { Outcome } from './outcomes.js';
import type { OrderedSettlement } from '../ordering/ordered-entries.repository.js';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';

/** Recording waits this long after a failure, doubling: Postgres or Kafka is struggling. */
const RECORD_BACKOFF = { initialMs: 200, maxMs: 5000 };

interface Pending {
  task: DeliveryTask;
  outcome: Outcome;
}

/**
 * Makes outcomes durable in groups: whatever finished while the previous group was being written
 * is written next, as one Kafka request and one Postgres transaction. Follow-ups (retry, dead
 * letter, status) go to Kafka first and the attempt rows last, so a crash in between repeats
 * the attempt (at-least-once) rather than recording an attempt whose retry was never scheduled.
 */
@Injectable()
export class OutcomeRecorder {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** Waiting for what is queued now to be taken into a group (see nextGroupTaken). */
  private readonly takenWaiters: Array<() => void> = [];
  private readonly groupSize;
  private readonly groupSeconds;

  constructor(
    private readonly attempts: AttemptsRepository,
    private readonly producer: KafkaProducer,
    private readonly leases: DeliveryLeases,
    private readonly index: SubscriptionIndexService,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.groupSize = metrics.histogram('hookstream_outcome_group_size', 'Outcomes made durable together in one Kafka request and one Postgres statement', [], [1, 10, 50, 100, 250, 500, 1000, 2500, 5000]);
    this.groupSeconds = metrics.histogram('hookstream_outcome_group_write_seconds', 'Time to make one group of outcomes durable', [], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
  }

  submit(task: DeliveryTask, outcome: Outcome): void {
    task.state = 'recording';
    task.endAttempt({ outcome: outcome.status.outcome, errorClass: outcome.status.error_class, statusCode: outcome.status.status_code });
    this.queue.push({ task, outcome });
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
  }

  /** Outcomes submitted and not yet in a group being written. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Resolves when what is waiting now has been taken into a group being written (at once if
   * nothing waits); after a failed write, when the retry takes it.
   */
  nextGroupTaken(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.takenWaiters.push(resolve));
  }

  /** Resolves once everything submitted so far is durable. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      for (const taken of this.takenWaiters.splice(0)) taken();
      try {
        this.groupSize.observe(group.length);
        const endTimer = this.groupSeconds.startTimer();
        await this.write(group).finally(endTimer);
        failures = 0;
        for (const p of group) {
          this.leases.forget(p.task);
          p.task.finish();
        }
      } catch (err) {
        // Nothing is dropped: the group goes back to the front and is written again.
        this.queue = [...group, ...this.queue];
        failures++;
        this.logger.error({ err, outcomes: group.length }, 'recording delivery outcomes failed; retrying');
        await new Promise((r) => setTimeout(r, backoffDelayMs(failures, RECORD_BACKOFF)));
      }
    }
  }

  private async write(group: readonly Pending[]): Promise<void> {
    const retries: OutgoingMessage[] = [];
    const dead: OutgoingMessage[] = [];
    const statuses: OutgoingMessage[] = [];
    for (const { task, outcome } of group) {
      const traceparent = task.attemptTraceparent();
      if (outcome.retry) retries.push({ key: outcome.retry.delivery.subscription_id, value: outcome.retry, traceparent });
      if (outcome.dead) dead.push({ key: outcome.dead.delivery.subscription_id, value: outcome.dead, traceparent });
      if (!outcome.quiet) statuses.push({ key: outcome.status.tenant_id, value: outcome.status, traceparent });
    }
    await this.producer.sendMany([
      { topic: 'retries', messages: retries },
      { topic: 'dlq', messages: dead },
      { topic: 'deliveryStatus', messages: statuses },
    ]);
    const leased = group.filter((p) => p.task.lease !== null);
    // A lease row still being written must exist before the statement that deletes it runs.
    await Promise.all(leased.flatMap((p) => (p.task.lease ? [p.task.lease.written] : [])));
    const heads = await this.attempts.record(
      group.flatMap((p) => (p.outcome.attempt ? [p.outcome.attempt] : [])),
      group.map((p) => p.outcome.update),
      { owner: this.leases.owner, keys: leased.map((p) => p.task.msg) },
      group.flatMap((p) => this.settlement(p)),
    );
    // The next head of each key that moved on. Lost in a crash here, the release sweep produces it.
    if (heads.length > 0) await this.producer.send('deliveries', heads.map((h) => ({ key: h.message.subscription_id, value: h.message, traceparent: h.traceparent })));
  }

  /** What the outcome means for an ordered delivery's entry (docs/adr/0009); nothing for others. */
  private settlement({ task, outcome }: Pending): OrderedSettlement[] {
    const { msg } = task;
    if (typeof msg.ordering_key !== 'string') return [];
    const status = outcome.update.status;
    return [{
      delivery_id: msg.delivery_id,
      subscription_id: msg.subscription_id,
      ordering_key: msg.ordering_key,
      generation: msg.generation,
      attempt: msg.attempt,
      result: status === 'delivered' || status === 'dead' || status === 'failing' ? status : 'postponed',
      skip_dead: this.index.index.get(msg.subscription_id)?.on_dead_letter !== 'block',
    }];
  }
}
