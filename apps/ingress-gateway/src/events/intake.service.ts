import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope, EventMessage } from '@hookstream/contracts';
import { KafkaProducer } from '@hookstream/kafka';
import { activeTraceparent, APP_CONFIG, kafkaProcessSpan, type Logger, LOGGER, type MessagePlace, Metrics, SpanKind, startHopSpan, withHopSpans } from '@hookstream/platform';
import type { GatewayConfig } from '../config.js';
import { DedupStore } from './dedup.store.js';
import { type EventSource, EventsRepository } from './events.repository.js';

export interface IncomingEvent {
  envelope: EventEnvelope;
  traceparent?: string | null;
  /** Where it was consumed from, when it came from hookstream.ingest (its span follows the messaging conventions). */
  place?: MessagePlace;
}

export type IntakeResult = { id: string; status: 'accepted' | 'duplicate' };

/**
 * Accepts a batch of valid envelopes exactly once each: dedup (Redis, then the Postgres unique
 * key), persist, publish to hookstream.events, and only then report success. A failure anywhere
 * rejects the whole call with nothing half-claimed: Redis claims are released, and an event that
 * was persisted but not published is published by whoever sees it next (a retry of the same id,
 * or the outbox worker (outbox.worker.ts)).
 */
@Injectable()
export class IntakeService {
  private readonly counted;

  constructor(
    private readonly dedup: DedupStore,
    private readonly events: EventsRepository,
    private readonly producer: KafkaProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    metrics: Metrics,
  ) {
    this.counted = metrics.counter('hookstream_events_ingested_total', 'Events by intake result', ['source', 'result']);
  }

  /**
   * One `ingress accept` span per event, a child of the context the event came with (Kafka header
   * or HTTP `traceparent`); the event published to hookstream.events carries the span's context.
   */
  async accept(batch: readonly IncomingEvent[], source: EventSource): Promise<IntakeResult[]> {
    // Served over HTTP with spans exported, the request has a server span (itself the caller's
    // child): each event's hop hangs under it. Otherwise the hop is the server or consumer span.
    const served = activeTraceparent();
    const kind = served ? SpanKind.INTERNAL : source === 'http' ? SpanKind.SERVER : SpanKind.CONSUMER;
    return withHopSpans(
      batch,
      (e) => {
        const consumed = e.place ? kafkaProcessSpan(e.place) : null;
        const attributes = {
          ...consumed?.attributes,
          'hookstream.tenant_id': e.envelope.tenant_id,
          'hookstream.event_id': e.envelope.id,
          'hookstream.event_type': e.envelope.type,
          'hookstream.source': source,
        };
        return startHopSpan('ingress accept', served ?? e.traceparent, attributes, kind, consumed?.name ?? 'ingress accept');
      },
      async (traceparents, spans) => {
        const results = await this.acceptTraced(batch.map((e, i) => ({ envelope: e.envelope, traceparent: traceparents[i] ?? null })), source);
        results.forEach((r, i) => spans[i]?.setAttribute('hookstream.intake_result', r.status));
        return results;
      },
    );
  }

  private async acceptTraced(batch: readonly IncomingEvent[], source: EventSource): Promise<IntakeResult[]> {
    const results: IntakeResult[] = batch.map((e) => ({ id: e.envelope.id, status: 'duplicate' }));
    // The first occurrence of an id in a batch stands for the batch; later ones are duplicates.
    const firstIndex = new Map<string, number>();
    batch.forEach((e, i) => {
      const key = DedupStore.key(e.envelope.tenant_id, e.envelope.id);
      if (!firstIndex.has(key)) firstIndex.set(key, i);
    });
    const keys = [...firstIndex.keys()];
    const states = await this.dedup.claim(keys);
    const candidates = keys.filter((_, i) => states[i] !== 'done');
    const claimed = keys.filter((_, i) => states[i] === 'claimed');
    if (candidates.length === 0) {
      this.counted.inc({ source, result: 'duplicate' }, batch.length);
      return results;
    }
    try {
      const byKey = new Map(candidates.map((k) => [k, batch[firstIndex.get(k) as number]]));
      const inserted = await this.events.insertNew([...byKey.values()].map((e) => e.envelope), source);
      const insertedKeys = new Set(inserted.map((e) => DedupStore.key(e.tenant_id, e.id)));
      const conflicts = candidates.filter((k) => !insertedKeys.has(k)).map((k) => (byKey.get(k) as IncomingEvent).envelope);
      const orphans = await this.events.unpublishedAmong(conflicts);
      const toPublish = [...inserted, ...orphans];
      if (this.config.FAULT_INJECTION === 'crash-after-persist' && inserted.length > 0) process.kill(process.pid, 'SIGKILL');
      await this.publish(toPublish, byKey);
      await this.events.markPublished(toPublish);
      await this.dedup.markDone(candidates);
      for (const key of insertedKeys) results[firstIndex.get(key) as number] = { id: (byKey.get(key) as IncomingEvent).envelope.id, status: 'accepted' };
      this.counted.inc({ source, result: 'accepted' }, inserted.length);
      this.counted.inc({ source, result: 'duplicate' }, batch.length - inserted.length);
      if (orphans.length) this.logger.warn({ count: orphans.length }, 'published events a failed earlier attempt had persisted');
      return results;
    } catch (err) {
      await this.dedup.release(claimed);
      throw err;
    }
  }

  /** Publishes persisted events; also used by the outbox worker (outbox.worker.ts). */
  async publish(events: readonly EventMessage[], causes?: ReadonlyMap<string, IncomingEvent>): Promise<void> {
    await this.producer.send(
      'events',
      events.map((e) => ({
        key: e.tenant_id,
        value: e,
        traceparent: causes?.get(DedupStore.key(e.tenant_id, e.id))?.traceparent ?? null,
      })),
    );
  }
}
