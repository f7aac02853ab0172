import { z } from 'zod';
import { eventEnvelopeSchema, tenantIdSchema } from './envelope.js';
import { SCHEMA_VERSION } from './messages.js';
import { HEADERS, QUARANTINE_HEADERS, TOPICS } from './topics.js';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  return rest;
}

const header = (description: string, extra: JsonObject = {}): JsonObject => ({ type: 'string', description, ...extra });

/**
 * The AsyncAPI 3.1 document of Hookstream's Kafka side that other services may use:
 * `hookstream.ingest`, which internal services produce to (the publisher SDK does), and
 * `hookstream.ingest.rejected`, where the gateway puts what it refused, with the reason. Built
 * from the same zod schema the gateway validates with, so it cannot drift; docs/asyncapi.json is
 * this, committed (npm run asyncapi), and a test holds the two together.
 */
export function ingestAsyncApiDocument(version: string): JsonObject {
  const envelope = { ...jsonSchema(eventEnvelopeSchema), title: 'EventEnvelope' };
  const key = { ...jsonSchema(tenantIdSchema), description: 'The tenant id (tenant_id of the value): it picks the partition, so one tenant’s events keep their order' };
  const ingestHeaders = {
    type: 'object',
    properties: {
      [HEADERS.schemaVersion]: header('The envelope’s schema version', { const: String(SCHEMA_VERSION) }),
      [HEADERS.traceparent]: header('W3C trace context of the producer’s span, so the event’s delivery continues its trace (optional)'),
      [HEADERS.tracestate]: header('W3C trace state (optional)'),
    },
  };
  const quarantineHeaders = {
    type: 'object',
    description: 'The original message’s headers, untouched, plus these',
    properties: {
      [QUARANTINE_HEADERS.code]: header('Why it was refused: validation_failed, malformed_json, payload_too_large, pg_22008, …'),
      [QUARANTINE_HEADERS.reason]: header('The reason in words, naming the failing field'),
      [QUARANTINE_HEADERS.details]: header('JSON: each failing field by its path'),
      [QUARANTINE_HEADERS.topic]: header('The topic it was read from'),
      [QUARANTINE_HEADERS.partition]: header('Its partition there'),
      [QUARANTINE_HEADERS.offset]: header('Its offset there'),
      [QUARANTINE_HEADERS.timestamp]: header('Its timestamp there (ms since the epoch)'),
      [QUARANTINE_HEADERS.group]: header('The consumer group that refused it'),
      [QUARANTINE_HEADERS.quarantinedAt]: header('When (ISO 8601)'),
      [QUARANTINE_HEADERS.tenantId]: header('The tenant it names, when it names a valid one'),
    },
  };
  return {
    asyncapi: '3.1.0',
    info: {
      title: 'Hookstream Kafka topics',
      version,
      description: [
        'What internal services produce to Hookstream over Kafka, and where the events the gateway refuses go. The publisher SDK (`@hookstream/publisher`, docs/guides/publishing.md) produces exactly this.',
        'Every other hookstream.* topic (events, subscriptions, deliveries, retries, dlq, delivery-status and the quarantine topics) is internal to Hookstream: its format may change between releases, and the ACLs of docs/runbook.md let no outside principal read or write it.',
        'A topic prefix (KAFKA_TOPIC_PREFIX) goes before every name, when a deployment sets one.',
      ].join('\n\n'),
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: 'hookstream-kafka-bootstrap:9093',
        protocol: 'kafka-secure',
        description: 'The cluster as docs/runbook.md deploys it: TLS, SCRAM-SHA-512, the `publisher` principal may produce to hookstream.ingest only',
        security: [{ $ref: '#/components/securitySchemes/scram' }],
      },
      local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'npm run stack (plain text, no authentication)' },
    },
    channels: {
      ingest: {
        address: TOPICS.ingest,
        title: 'Events in',
        description: 'Produce with acks=all; the send resolves once every in-sync replica has the event. An event sent twice (same tenant and id) is delivered once.',
        messages: { event: { $ref: '#/components/messages/event' } },
        bindings: { kafka: { bindingVersion: '0.5.0' } },
      },
      ingestRejected: {
        address: TOPICS.ingestRejected,
        title: 'Events the gateway refused',
        description: 'Each message as it was produced (key, value and headers untouched), with the reason in hs-quarantine-* headers. `hookstream quarantine ls --topic hookstream.ingest` lists them.',
        messages: { rejected: { $ref: '#/components/messages/rejected' } },
        bindings: { kafka: { bindingVersion: '0.5.0' } },
      },
    },
    operations: {
      publishEvent: {
        action: 'receive',
        title: 'Publish an event',
        summary: 'Hookstream takes events from hookstream.ingest: your service sends them there.',
        channel: { $ref: '#/channels/ingest' },
        messages: [{ $ref: '#/channels/ingest/messages/event' }],
      },
      rejectEvent: {
        action: 'send',
        title: 'Refuse an event',
        summary: 'The gateway puts an event it refuses (invalid, too large, not in a strict catalog) on hookstream.ingest.rejected.',
        channel: { $ref: '#/channels/ingestRejected' },
        messages: [{ $ref: '#/channels/ingestRejected/messages/rejected' }],
      },
    },
    components: {
      securitySchemes: { scram: { type: 'scramSha512', description: 'SCRAM-SHA-512 over TLS, one principal per service (docs/runbook.md, "Who may do what")' } },
      messages: {
        event: {
          name: 'EventEnvelope',
          title: 'An event',
          contentType: 'application/json',
          headers: ingestHeaders,
          payload: envelope,
          bindings: { kafka: { key, bindingVersion: '0.5.0' } },
          examples: [
            {
              name: 'orderPlaced',
              headers: { [HEADERS.schemaVersion]: String(SCHEMA_VERSION) },
              payload: { id: 'evt_01JD7Z6Q8Y2K4M3N5P7R9S1T3V', type: 'order.placed', tenant_id: 'acme', occurred_at: '2026-12-06T10:00:00Z', data: { order_id: 'ord_1', total_cents: 4200 } },
            },
          ],
        },
        rejected: {
          name: 'RejectedEvent',
          title: 'A refused event, as produced',
          contentType: 'application/json',
          headers: quarantineHeaders,
          payload: { description: 'The value as it was produced: usually an attempted envelope, but any bytes (it was refused)' },
          bindings: { kafka: { key: { type: 'string', description: 'The key as it was produced' }, bindingVersion: '0.5.0' } },
        },
      },
    },
  };
}
