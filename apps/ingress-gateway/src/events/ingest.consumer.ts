import { type EventEnvelope, eventEnvelopeSchema, HEADERS } from '@hookstream/contracts';
import { type BatchContext, type BatchHandler, type ConsumedMessage, TopicConsumer } from '@hookstream/kafka';
import { APP_CONFIG } from '@hookstream/platform';
import { Inject } from '@nestjs/common';
import type { GatewayConfig } from '../config.js';
import { EventAdmission } from './event-admission.service.js';

/**
 * `hookstream.ingest`: the same admission as the HTTP API (EventAdmission), a batch at a time. A
 * message it refuses (size, reserved partner type, strict catalog) is handed back to the consumer
 * host, which quarantines it on `hookstream.ingest.rejected` with its reason, as it does with
 * messages that fail the envelope schema; the batch moves on, so one bad producer never blocks a
 * partition.
 */
@TopicConsumer({ topic: 'ingest', groupId: 'ingress-gateway', schema: eventEnvelopeSchema, inspectText: true, partitionsConsumedConcurrently: 3 })
export class IngestConsumer implements BatchHandler<EventEnvelope> {
  /**
   * No tenant may send an event larger than the ceiling, so a value over it is refused before it
   * is decoded: a 2 MiB value read, inspected, parsed and measured again as compact JSON stalled
   * this process for tens of milliseconds each, every tenant's publishing with it (hostile_tenant).
   */
  readonly maxValueBytes: number;

  constructor(
    private readonly admission: EventAdmission,
    @Inject(APP_CONFIG) config: GatewayConfig,
  ) {
    this.maxValueBytes = config.MAX_EVENT_BYTES_CEILING;
  }

  async handleBatch(batch: ConsumedMessage<EventEnvelope>[], ctx: BatchContext): Promise<void> {
    await ctx.heartbeat();
    const verdicts = await this.admission.admit(
      batch.map((m) => ({ envelope: m.value, traceparent: m.headers[HEADERS.traceparent] ?? null, place: m })),
      { source: 'kafka', principal: null },
    );
    verdicts.forEach((v, i) => {
      const m = batch[i];
      if (m && v.status === 'rejected') ctx.quarantine(m, v.refusal.code, v.refusal.errors);
    });
  }
}
