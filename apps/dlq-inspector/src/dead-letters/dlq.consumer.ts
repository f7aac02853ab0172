import { type DeadLetterMessage, deadLetterMessageSchema } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, type InvalidMessage, TopicConsumer } from '@hookstream/kafka';
import { Inject } from '@nestjs/common';
import { type Logger, LOGGER, Metrics } from '@hookstream/platform';
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
    await this.repo.upsert(messages.map((m) => m.value));
    for (const m of messages) this.stored.inc({ tenant: m.value.delivery.tenant_id });
  }
}
