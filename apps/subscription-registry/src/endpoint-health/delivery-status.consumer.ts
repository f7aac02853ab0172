import { Inject } from '@nestjs/common';
import { type DeliveryStatusMessage, deliveryStatusMessageSchema } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, type InvalidMessage, TopicConsumer } from '@hookstream/kafka';
import { type Logger, LOGGER } from '@hookstream/platform';
import { EndpointHealthService } from './endpoint-health.service.js';

/**
 * `hookstream.delivery-status` → each subscription's failure streak, a batch per statement; a
 * gone or long-failing subscription is disabled before the offsets are committed.
 */
@TopicConsumer({ topic: 'deliveryStatus', groupId: 'subscription-registry-health', schema: deliveryStatusMessageSchema, partitionsConsumedConcurrently: 3 })
export class DeliveryStatusConsumer implements BatchHandler<DeliveryStatusMessage> {
  constructor(
    private readonly health: EndpointHealthService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async handleBatch(messages: ConsumedMessage<DeliveryStatusMessage>[], invalid: InvalidMessage[]): Promise<void> {
    for (const m of invalid) this.logger.error({ offset: m.offset, partition: m.partition, errors: m.errors, raw: m.raw.slice(0, 2000) }, 'unreadable delivery status skipped');
    if (messages.length === 0) return;
    await this.health.record(messages.map((m) => m.value));
  }
}
