import { randomBytes } from 'node:crypto';
import { parseWith, tenantIdSchema } from '@hookstream/contracts';
import { type EventMap, type EventOf, type StampedEvent, stampEvent } from './envelope.js';
import { HookstreamPublishError, HookstreamValidationError } from './errors.js';
import { HttpTransport, type HttpTransportOptions } from './http-transport.js';
import { EventIdGenerator } from './ids.js';
import { KafkaTransport, type KafkaTransportOptions } from './kafka-transport.js';
import type { BatchResult, PublishResult, Transport } from './transport.js';

interface CommonOptions {
  /** The tenant every event of this publisher belongs to. */
  tenantId: string;
  /** Refuse larger events before sending them; the gateway's default limit is 256 KiB. */
  maxEventBytes?: number;
}

/** Kafka mode (`brokers`) produces to hookstream.ingest; HTTP mode (`url`) posts to the gateway. */
export type PublisherOptions = CommonOptions & (KafkaTransportOptions | HttpTransportOptions);

/**
 * The producer SDK for internal services.
 *
 *   const hooks = new HookstreamPublisher<OrderEvents>({ brokers, tenantId: 'acme' });
 *   await hooks.publish({ type: 'order.placed', data: { order_id: 'ord_1' } });
 *   await hooks.close();
 *
 * Events are validated here against the gateway's envelope schema, get a sortable id (or keep
 * yours: the id is the idempotency key, so publishing the same id twice delivers once), and are
 * sent durably: a resolved publish means the broker (or the gateway) has them.
 */
export class HookstreamPublisher<E extends EventMap = Record<string, Record<string, unknown>>> {
  private readonly transport: Transport;
  private readonly ids = new EventIdGenerator((n) => randomBytes(n));
  private readonly tenantId: string;
  private readonly maxEventBytes: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | null = null;

  constructor(options: PublisherOptions) {
    const tenant = parseWith(tenantIdSchema, options.tenantId);
    if (!tenant.ok) throw new HookstreamValidationError('invalid tenantId', tenant.errors.map((e) => ({ ...e, path: 'tenantId', index: -1 })));
    this.tenantId = tenant.value;
    this.maxEventBytes = options.maxEventBytes ?? 256 * 1024;
    this.transport = 'brokers' in options ? new KafkaTransport(options) : new HttpTransport(options);
  }

  /** Publishes one event; resolves with its id once it is durably taken. */
  async publish(event: EventOf<E>): Promise<PublishResult> {
    const [result] = await this.publishBatch([event]);
    if (!result) throw new HookstreamPublishError('internal', 'no result for the event');
    if (result.status === 'rejected') throw new HookstreamPublishError(result.error.code, result.error.message, null, result.error.details);
    return result;
  }

  /**
   * Publishes events in order, a result per event. Every event is validated first: one invalid
   * event fails the call and sends nothing. In HTTP mode the gateway may still reject single
   * events (a strict catalog, say): those come back as `rejected` with the reason.
   */
  async publishBatch(events: ReadonlyArray<EventOf<E>>): Promise<BatchResult[]> {
    if (this.closing) throw new HookstreamPublishError('closed', 'this publisher has been closed');
    const now = new Date();
    const stamped: StampedEvent[] = [];
    const errors: Array<{ index: number; path: string; message: string }> = [];
    events.forEach((e, index) => {
      const r = stampEvent(e, this.tenantId, this.ids, now, this.maxEventBytes);
      if (r.ok) stamped.push(r.event);
      else errors.push(...r.errors.map((err) => ({ ...err, index })));
    });
    if (errors.length) {
      throw new HookstreamValidationError(`invalid event${events.length > 1 ? 's' : ''}: ${errors.map((e) => `${events.length > 1 ? `[${e.index}].` : ''}${e.path}: ${e.message}`).join('; ')}`, errors);
    }
    if (stamped.length === 0) return [];
    const sending = this.transport.send(stamped);
    this.inFlight.add(sending);
    try {
      return await sending;
    } finally {
      this.inFlight.delete(sending);
    }
  }

  /** Waits for publishes under way, then disconnects. Later publishes fail with `closed`. */
  close(): Promise<void> {
    this.closing ??= Promise.allSettled([...this.inFlight]).then(() => this.transport.close());
    return this.closing;
  }
}
