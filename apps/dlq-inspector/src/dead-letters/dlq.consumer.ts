import { type DeadLetterMessage, deadLetterMessageSchema, HEADERS } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, type InvalidMessage, TopicConsumer } from '@hookstream/kafka';
import { Inject } from '@nestjs/common';
import { type Logger, LOGGER, Metrics, startHopSpan, withHopSpans } from '@hookstream/platform';
import { DeadLettersRepository } from './dead-letters.repository.js';

/** `hookstream.dlq` → dead_letters, so on-call can find out why a delivery died. */
@TopicConsumer({ topic: 'dlq', groupId: 'dlq-inspector', schema: deadLetterMessageSchema })
export class DlqConsumer implements BatchHandler<DeadLetterMessage> {
  private readonly stored;

  constructor(
    private readonly repo: DeadLettersRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.stored = metrics.counter('hookstream_dead_letters_total', 'Dead letters stored, by tenant', ['tenant']);
  }

  async handleBatch(messages: ConsumedMessage<DeadLetterMessage>[], invalid: InvalidMessage[]): Promise<void> {
    for (const m of invalid) this.logger.error({ offset: m.offset, partition: m.partition, errors: m.errors, raw: m.raw.slice(0, 2000) }, 'unreadable dead letter skipped');
    if (messages.length === 0) return;
    // A `dlq store` span per letter; the letter keeps its context, so that a replay continues the trace.
    await withHopSpans(
      messages,
      (m) =>
        startHopSpan('dlq store', m.headers[HEADERS.traceparent], {
          'hookstream.delivery_id': m.value.delivery.delivery_id,
          'hookstream.tenant_id': m.value.delivery.tenant_id,
          'hookstream.error_class': m.value.failure.error_class,
        }),
      (traceparents) => this.repo.upsert(messages.map((m, i) => ({ letter: m.value, traceparent: traceparents[i] ?? null }))),
    );
    for (const m of messages) this.stored.inc({ tenant: m.value.delivery.tenant_id });
  }
}
