import { Inject } from '@nestjs/common';
import { type DeliveryStatusMessage, deliveryStatusMessageSchema } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, type InvalidMessage, TopicConsumer } from '@hookstream/kafka';
import { type Logger, LOGGER } from '@hookstream/platform';
import { StatusStream } from './status-stream.js';

/**
 * hookstream.delivery-status → live status streams. Every replica has a group of its own and
 * starts at the latest offset: each one must see every outcome (its watchers may be of any
 * tenant), and a stream shows what happens from now on, not history (GET /v1/deliveries has that).
 */
@TopicConsumer({ topic: 'deliveryStatus', groupId: 'dlq-inspector-status-stream', schema: deliveryStatusMessageSchema, groupPerInstance: true, fromBeginning: false })
export class DeliveryStatusConsumer implements BatchHandler<DeliveryStatusMessage> {
  constructor(
    private readonly stream: StatusStream,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  handleBatch(messages: ConsumedMessage<DeliveryStatusMessage>[], invalid: InvalidMessage[]): Promise<void> {
    for (const m of invalid) this.logger.warn({ offset: m.offset, partition: m.partition, errors: m.errors }, 'unreadable delivery status skipped');
    this.stream.publish(messages.map((m) => m.value));
    return Promise.resolve();
  }
}
