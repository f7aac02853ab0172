import { type EventEnvelope, eventEnvelopeSchema, type FieldError, HEADERS } from '@hookstream/contracts';
import { reservedEventProblems } from '@hookstream/domain';
import { type BatchContext, type BatchHandler, type ConsumedMessage, TopicConsumer } from '@hookstream/kafka';
import { TenantSettings, type TenantSettingsView } from '../tenants/tenant-settings.js';
import { CatalogValidator } from './catalog.validator.js';
import { IntakeService } from './intake.service.js';

/**
 * `hookstream.ingest`: the same validation as the HTTP API, a batch at a time. A message the
 * tenant's rules refuse (size, strict catalog) is handed back to the consumer host, which
 * quarantines it on `hookstream.ingest.rejected` with its reason, as it does with messages that
 * fail the envelope schema; the batch moves on, so one bad producer never blocks a partition.
 */
@TopicConsumer({ topic: 'ingest', groupId: 'ingress-gateway', schema: eventEnvelopeSchema, inspectText: true, partitionsConsumedConcurrently: 3 })
export class IngestConsumer implements BatchHandler<EventEnvelope> {
  constructor(
    private readonly intake: IntakeService,
    private readonly catalog: CatalogValidator,
    private readonly tenants: TenantSettings,
  ) {}

  async handleBatch(batch: ConsumedMessage<EventEnvelope>[], ctx: BatchContext): Promise<void> {
    const refuse = (m: ConsumedMessage<EventEnvelope>, code: 'validation_failed' | 'payload_too_large' | 'reserved_for_callbacks', errors: FieldError[]) => ctx.quarantine(m, code, errors);
    // Partner types and callback ids come only from verified callbacks (libs/domain reserved-events).
    const unreserved = batch.filter((m) => {
      const reserved = reservedEventProblems(m.value);
      if (reserved.length) refuse(m, 'reserved_for_callbacks', reserved);
      return reserved.length === 0;
    });
    // The same size limit as over HTTP: the tenant's, measured as compact JSON.
    const settings = await this.tenants.get(unreserved.map((m) => m.value.tenant_id));
    const sized = unreserved.filter((m) => {
      const limit = (settings.get(m.value.tenant_id) as TenantSettingsView).limits.maxEventBytes;
      const size = Buffer.byteLength(JSON.stringify(m.value));
      if (size > limit) refuse(m, 'payload_too_large', [{ path: '(root)', message: `the event is ${size} bytes; the limit is ${limit}` }]);
      return size <= limit;
    });
    // A strict tenant's catalog refuses unknown types and payloads that fail the type's schema.
    const refused = await this.catalog.validate(sized.map((m) => m.value));
    for (const [i, errors] of refused) refuse(sized[i], 'validation_failed', errors);
    const messages = sized.filter((_, i) => !refused.has(i));
    if (messages.length) {
      await ctx.heartbeat();
      await this.intake.accept(
        messages.map((m) => ({ envelope: m.value, traceparent: m.headers[HEADERS.traceparent] ?? null })),
        'kafka',
      );
    }
  }
}
