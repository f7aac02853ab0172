import { type RetryMessage, retryMessageSchema } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, TopicConsumer } from '@hookstream/kafka';
import { startProcessSpan, withHopSpans } from '@hookstream/platform';
import { retryAttributes } from './retry-spans.js';
import { DueRetriesWorker } from './due-retries.worker.js';
import { ScheduledRetriesRepository } from './scheduled-retries.repository.js';

/** `hookstream.retries` → scheduled_retries; the offsets are committed once the rows are stored. */
@TopicConsumer({ topic: 'retries', groupId: 'retry-scheduler', schema: retryMessageSchema, partitionsConsumedConcurrently: 3 })
export class RetriesConsumer implements BatchHandler<RetryMessage> {
  constructor(
    private readonly repo: ScheduledRetriesRepository,
    private readonly timer: DueRetriesWorker,
  ) {}

  async handleBatch(messages: ConsumedMessage<RetryMessage>[]): Promise<void> {
    if (messages.length === 0) return;
    // A `retry schedule` span per retry; the stored row keeps its context for the firing.
    await withHopSpans(
      messages,
      (m) => startProcessSpan('retry schedule', m, retryAttributes(m.value)),
      (traceparents) => this.repo.upsert(messages.map((m, i) => ({ message: m.value, traceparent: traceparents[i] ?? null }))),
    );
    this.timer.wake(Math.min(...messages.map((m) => Date.parse(m.value.due_at))));
  }
}
