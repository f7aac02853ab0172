import { Inject } from '@nestjs/common';
import { type EventEnvelope, eventEnvelopeSchema, HEADERS, type IngestRejectedMessage } from '@hookstream/contracts';
import { type BatchContext, type BatchHandler, type ConsumedMessage, type InvalidMessage, KafkaProducer, TopicConsumer } from '@hookstream/kafka';
import { type Logger, LOGGER } from '@hookstream/platform';
import { CatalogValidator } from './catalog.validator.js';
import { IntakeService } from './intake.service.js';

/**
 * `hookstream.ingest`: the same validation as the HTTP API, a batch at a time. An invalid
 * message is quarantined on `hookstream.ingest.rejected` with its reason and the batch moves
 * on, so one bad producer never blocks a partition.
 */
@TopicConsumer({ topic: 'ingest', groupId: 'ingress-gateway', schema: eventEnvelopeSchema, partitionsConsumedConcurrently: 3 })
export class IngestConsumer implements BatchHandler<EventEnvelope> {
  constructor(
    private readonly intake: IntakeService,
    private readonly producer: KafkaProducer,
    private readonly catalog: CatalogValidator,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async handleBatch(batch: ConsumedMessage<EventEnvelope>[], schemaInvalid: InvalidMessage[], ctx: BatchContext): Promise<void> {
    // A strict tenant's catalog refuses unknown types and payloads that fail the type's schema.
    const refused = await this.catalog.validate(batch.map((m) => m.value));
    const messages = batch.filter((_, i) => !refused.has(i));
    const invalid: InvalidMessage[] = [
      ...schemaInvalid,
      ...[...refused].map(([i, errors]) => {
        const m = batch[i];
        return { topic: m.topic, partition: m.partition, offset: m.offset, key: m.key, headers: m.headers, raw: JSON.stringify(m.value), errors };
      }),
    ];
    if (invalid.length) {
      const now = new Date().toISOString();
      await this.producer.send(
        'ingestRejected',
        invalid.map((m) => {
          const rejected: IngestRejectedMessage = {
            code: 'validation_failed',
            message: `invalid event: ${m.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
            details: m.errors,
            source: { topic: m.topic, partition: m.partition, offset: m.offset },
            raw: m.raw.slice(0, 256 * 1024),
            rejected_at: now,
          };
          return { key: m.key ?? 'unknown', value: rejected, traceparent: m.headers[HEADERS.traceparent] ?? null };
        }),
      );
      this.logger.warn({ count: invalid.length, first: invalid[0]?.errors }, 'quarantined invalid ingest messages');
    }
    if (messages.length) {
      await ctx.heartbeat();
      await this.intake.accept(
        messages.map((m) => ({ envelope: m.value, traceparent: m.headers[HEADERS.traceparent] ?? null })),
        'kafka',
      );
    }
  }
}
