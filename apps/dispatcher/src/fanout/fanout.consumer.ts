import { type DeliveryMessage, type EventMessage, eventMessageSchema, HEADERS, receiverBody } from '@hookstream/contracts';
import { deliveryId } from '@hookstream/domain';
import { type BatchContext, type BatchHandler, type ConsumedMessage, type InvalidMessage, KafkaProducer, type OutgoingMessage, TopicConsumer } from '@hookstream/kafka';
import { Inject } from '@nestjs/common';
import { type Logger, LOGGER, Metrics } from '@hookstream/platform';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';
import { DeliveriesRepository, type NewDelivery } from './deliveries.repository.js';

/**
 * `hookstream.events` → one delivery row and one `hookstream.deliveries` message per matching
 * subscription. Rows are inserted once per batch and delivery ids are derived from
 * (tenant, event, subscription), so a batch redone after a crash creates nothing twice.
 */
@TopicConsumer({ topic: 'events', groupId: 'dispatcher-fanout', schema: eventMessageSchema, partitionsConsumedConcurrently: 3 })
export class FanoutConsumer implements BatchHandler<EventMessage> {
  private readonly fannedOut;
  private readonly unmatched;

  constructor(
    private readonly index: SubscriptionIndexService,
    private readonly deliveries: DeliveriesRepository,
    private readonly producer: KafkaProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.fannedOut = metrics.counter('hookstream_fanout_deliveries_total', 'Deliveries created by fan-out');
    this.unmatched = metrics.counter('hookstream_fanout_unmatched_events_total', 'Events no subscription matched');
  }

  async handleBatch(messages: ConsumedMessage<EventMessage>[], invalid: InvalidMessage[], ctx: BatchContext): Promise<void> {
    for (const m of invalid) this.logger.error({ offset: m.offset, partition: m.partition, errors: m.errors }, 'unreadable event skipped');
    await this.index.whenReady(ctx);
    const now = new Date().toISOString();
    const rows: NewDelivery[] = [];
    const outgoing = new Map<string, OutgoingMessage>();
    for (const m of messages) {
      const event = m.value;
      const subs = this.index.index.match(event.tenant_id, event.type);
      if (subs.length === 0) {
        this.unmatched.inc();
        continue;
      }
      const body = receiverBody(event);
      for (const sub of subs) {
        const id = deliveryId(event.tenant_id, event.id, sub.id);
        rows.push({ id, tenant_id: event.tenant_id, event_id: event.id, subscription_id: sub.id, event_type: event.type });
        const delivery: DeliveryMessage = {
          delivery_id: id,
          tenant_id: event.tenant_id,
          subscription_id: sub.id,
          event_id: event.id,
          event_type: event.type,
          attempt: 1,
          body,
          origin: 'fanout',
          first_attempt_at: now,
        };
        outgoing.set(id, { key: sub.id, value: delivery, traceparent: m.headers[HEADERS.traceparent] ?? null });
      }
    }
    if (rows.length === 0) return;
    const pending = await this.deliveries.insertPending(rows);
    await ctx.heartbeat();
    const toSend = [...outgoing].filter(([id]) => pending.has(id)).map(([, msg]) => msg);
    await this.producer.send('deliveries', toSend);
    this.fannedOut.inc(toSend.length);
  }
}
