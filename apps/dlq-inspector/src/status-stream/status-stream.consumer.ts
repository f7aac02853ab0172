import { type DeliveryStatusMessage, deliveryStatusMessageSchema } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, TopicConsumer } from '@hookstream/kafka';
import { StatusStream } from './status-stream.js';

/**
 * hookstream.delivery-status → live status streams. Every replica has a group of its own and
 * starts at the latest offset: each one must see every outcome (its watchers may be of any
 * tenant), and a stream shows what happens from now on, not history (GET /v1/deliveries has that).
 */
@TopicConsumer({ topic: 'deliveryStatus', groupId: 'dlq-inspector-status-stream', schema: deliveryStatusMessageSchema, groupPerInstance: true, fromBeginning: false })
export class StatusStreamConsumer implements BatchHandler<DeliveryStatusMessage> {
  constructor(private readonly stream: StatusStream) {}

  handleBatch(messages: ConsumedMessage<DeliveryStatusMessage>[]): Promise<void> {
    this.stream.publish(messages.map((m) => m.value));
    return Promise.resolve();
  }
}
