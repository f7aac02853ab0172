import { type DeliveryStatusMessage, deliveryStatusMessageSchema } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, TopicConsumer } from '@hookstream/kafka';
import { EndpointHealthService } from './endpoint-health.service.js';

/**
 * `hookstream.delivery-status` → each subscription's failure streak, a batch per statement; a
 * gone or long-failing subscription is disabled before the offsets are committed.
 */
@TopicConsumer({ topic: 'deliveryStatus', groupId: 'subscription-registry-health', schema: deliveryStatusMessageSchema, partitionsConsumedConcurrently: 3 })
export class DeliveryStatusConsumer implements BatchHandler<DeliveryStatusMessage> {
  constructor(private readonly health: EndpointHealthService) {}

  async handleBatch(messages: ConsumedMessage<DeliveryStatusMessage>[]): Promise<void> {
    if (messages.length === 0) return;
    await this.health.record(messages.map((m) => m.value));
  }
}
