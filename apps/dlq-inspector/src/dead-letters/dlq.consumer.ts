import { type DeadLetterMessage, deadLetterMessageSchema } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, TopicConsumer } from '@hookstream/kafka';
import { Metrics, startProcessSpan, withHopSpans } from '@hookstream/platform';
import { DeadLettersRepository } from './dead-letters.repository.js';

/** `hookstream.dlq` → dead_letters, so on-call can find out why a delivery died. */
@TopicConsumer({ topic: 'dlq', groupId: 'dlq-inspector', schema: deadLetterMessageSchema })
export class DlqConsumer implements BatchHandler<DeadLetterMessage> {
  private readonly stored;

  constructor(
    private readonly repo: DeadLettersRepository,
    metrics: Metrics,
  ) {
    this.stored = metrics.counter('hookstream_dead_letters_total', 'Dead letters stored, by tenant', ['tenant']);
  }

  async handleBatch(messages: ConsumedMessage<DeadLetterMessage>[]): Promise<void> {
    if (messages.length === 0) return;
    // A `dlq store` span per letter; the letter keeps its context, so that a replay continues the trace.
    await withHopSpans(
      messages,
      (m) =>
        startProcessSpan('dlq store', m, {
          'hookstream.delivery_id': m.value.delivery.delivery_id,
          'hookstream.tenant_id': m.value.delivery.tenant_id,
          'hookstream.error_class': m.value.failure.error_class,
        }),
      (traceparents) => this.repo.upsert(messages.map((m, i) => ({ letter: m.value, traceparent: traceparents[i] ?? null }))),
    );
    for (const m of messages) this.stored.inc({ tenant: m.value.delivery.tenant_id });
  }
}
