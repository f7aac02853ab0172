import { Injectable } from '@nestjs/common';
import { type DeliveryMessage, type EventMessage, receiverBody, type SubscriptionSnapshot } from '@hookstream/contracts';
import { deliveryId, orderingKeyFor } from '@hookstream/domain';
import { KafkaProducer, type OutgoingMessage } from '@hookstream/kafka';
import { Metrics } from '@hookstream/platform';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';
import { DeliveriesRepository, type NewDelivery } from './deliveries.repository.js';

export interface Planned {
  row: NewDelivery;
  message: OutgoingMessage;
}

/** Turns an event and its subscriptions into delivery rows and messages, and makes them exist. */
@Injectable()
export class FanoutEmitter {
  private readonly fannedOut;

  constructor(
    private readonly index: SubscriptionIndexService,
    private readonly deliveries: DeliveriesRepository,
    private readonly producer: KafkaProducer,
    metrics: Metrics,
  ) {
    this.fannedOut = metrics.counter('hookstream_fanout_deliveries_total', 'Deliveries created by fan-out');
  }

  /** Whether match() can answer: the subscription index has caught up since this process started. */
  get ready(): boolean {
    return this.index.caughtUp;
  }

  /**
   * The event's subscriptions in id order (the order a background fan-out resumes in), after
   * `afterId` when given. Disabled ones included: every match is recorded, for the catch-up feed
   * and recover (docs/adr/0011). An unordered one's delivery is dead-lettered by the sender
   * (`subscription_disabled`) without a request; an ordered one's waits in its key, as its
   * earlier entries do, until the subscription is enabled.
   */
  match(event: EventMessage, afterId: string | null = null): SubscriptionSnapshot[] {
    const subs = this.index.match(event, true).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return afterId === null ? subs : subs.filter((s) => s.id > afterId);
  }

  /** The key the event is ordered under for `sub`, or null when that delivery is not ordered. */
  orderingKey(event: EventMessage, sub: SubscriptionSnapshot): string | null {
    return orderingKeyFor(sub.ordering, event.ordering_key);
  }

  /** Positions the ordered deliveries of `planned`, in the order given (their events' order). */
  async place(planned: readonly Planned[]): Promise<void> {
    const ordered = planned.flatMap((p) => (p.row.ordered ? [p.row.ordered] : []));
    const positions = await this.deliveries.positions(ordered.length);
    ordered.forEach((o, i) => (o.position = positions[i] ?? 0));
  }

  plan(event: EventMessage, subs: readonly SubscriptionSnapshot[], traceparent: string | null, firstAttemptAt: string): Planned[] {
    const body = receiverBody(event);
    return subs.map((sub) => {
      const id = deliveryId(event.tenant_id, event.id, sub.id);
      const orderingKey = this.orderingKey(event, sub);
      const delivery: DeliveryMessage = {
        delivery_id: id,
        tenant_id: event.tenant_id,
        subscription_id: sub.id,
        event_id: event.id,
        event_type: event.type,
        attempt: 1,
        generation: 0,
        body,
        origin: 'fanout',
        first_attempt_at: firstAttemptAt,
        ...(orderingKey === null ? {} : { ordering_key: orderingKey }),
      };
      const row: NewDelivery = { id, tenant_id: event.tenant_id, event_id: event.id, subscription_id: sub.id, event_type: event.type, event_received_at: event.received_at };
      // Positioned by place() before the row is written.
      if (orderingKey !== null) row.ordered = { ordering_key: orderingKey, position: 0, message: delivery, traceparent };
      return { row, message: { key: sub.id, value: delivery, traceparent } };
    });
  }

  /**
   * Inserts the rows (idempotent) and produces a message for each that still needs its first.
   * Ordered rows must have been placed; a key's message that is not its head is dropped by the
   * sender's claim and produced again when its turn comes.
   */
  async emit(round: readonly Planned[]): Promise<void> {
    const pending = await this.deliveries.insertPending(round.map((p) => p.row));
    const toSend = round.filter((p) => pending.has(p.row.id)).map((p) => p.message);
    await this.producer.send('deliveries', toSend);
    this.fannedOut.inc(toSend.length);
  }
}
