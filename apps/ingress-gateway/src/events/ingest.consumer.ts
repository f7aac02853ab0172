import { Inject } from '@nestjs/common';
import { type EventEnvelope, eventEnvelopeSchema, type FieldError, HEADERS, type IngestRejectedMessage } from '@hookstream/contracts';
import { type BatchContext, type BatchHandler, type ConsumedMessage, type InvalidMessage, KafkaProducer, TopicConsumer } from '@hookstream/kafka';
import { type Logger, LOGGER } from '@hookstream/platform';
import { TenantSettings, type TenantSettingsView } from '../tenants/tenant-settings.js';
import { CatalogValidator } from './catalog.validator.js';
import { IntakeService } from './intake.service.js';

type Quarantined = InvalidMessage & { code: 'validation_failed' | 'payload_too_large' };

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
    private readonly tenants: TenantSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async handleBatch(batch: ConsumedMessage<EventEnvelope>[], schemaInvalid: InvalidMessage[], ctx: BatchContext): Promise<void> {
    const invalid: Quarantined[] = schemaInvalid.map((m) => ({ ...m, code: 'validation_failed' }));
    const refuse = (m: ConsumedMessage<EventEnvelope>, code: Quarantined['code'], errors: FieldError[]) =>
      invalid.push({ topic: m.topic, partition: m.partition, offset: m.offset, key: m.key, headers: m.headers, raw: JSON.stringify(m.value), errors, code });
    // The same size limit as over HTTP: the tenant's, measured as compact JSON.
    const settings = await this.tenants.get(batch.map((m) => m.value.tenant_id));
    const sized = batch.filter((m) => {
      const limit = (settings.get(m.value.tenant_id) as TenantSettingsView).limits.maxEventBytes;
      const size = Buffer.byteLength(JSON.stringify(m.value));
      if (size > limit) refuse(m, 'payload_too_large', [{ path: '(root)', message: `the event is ${size} bytes; the limit is ${limit}` }]);
      return size <= limit;
    });
    // A strict tenant's catalog refuses unknown types and payloads that fail the type's schema.
    const refused = await this.catalog.validate(sized.map((m) => m.value));
    for (const [i, errors] of refused) refuse(sized[i], 'validation_failed', errors);
    const messages = sized.filter((_, i) => !refused.has(i));
    if (invalid.length) {
      const now = new Date().toISOString();
      await this.producer.send(
        'ingestRejected',
        invalid.map((m) => {
          const rejected: IngestRejectedMessage = {
            code: m.code,
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
