import { childTraceparent, HEADERS, physicalTopic, SCHEMA_VERSION, TOPICS } from '@hookstream/contracts';
import { CompressionTypes, Kafka, type KafkaConfig, logLevel, Partitioners, type Producer, type ProducerRecord } from 'kafkajs';
import { isKafkaContentError, produceRetryDelayMs } from '@hookstream/domain';
import type { StampedEvent } from './envelope.js';
import type { BatchResult, Transport } from './transport.js';

export interface KafkaTransportOptions {
  brokers: string[];
  /** Prepended to `hookstream.ingest`, as the services' KAFKA_TOPIC_PREFIX. */
  topicPrefix?: string;
  clientId?: string;
  /** TLS, SASL, timeouts: passed to kafkajs as they are. */
  kafka?: Omit<KafkaConfig, 'brokers' | 'clientId'>;
}

/** Most events per produce request; larger batches go in several. */
const MAX_MESSAGES_PER_REQUEST = 1000;

/**
 * Produces envelopes to `hookstream.ingest`, keyed by tenant, with acks from every in-sync
 * replica: a send resolves once the broker has the events durably. Invalid events the gateway
 * refuses later land on `hookstream.ingest.rejected` with the reason.
 *
 * A failed request is sent again whole, as PRODUCE_RETRY says, by this code rather than by
 * kafkajs, and kafkajs's idempotent mode is off: both lose acknowledged events while partition
 * leaders move (docs/adr/0007-kafka-producer-retries.md). An event sent twice is harmless: the
 * gateway keeps one per id.
 */
export class KafkaTransport implements Transport {
  private readonly producer: Producer;
  private readonly topic: string;
  private connected: Promise<void> | null = null;

  constructor(options: KafkaTransportOptions) {
    const kafka = new Kafka({
      logLevel: logLevel.ERROR,
      ...options.kafka,
      brokers: options.brokers,
      clientId: options.clientId ?? 'hookstream-publisher',
    });
    // Named so kafkajs does not warn; the same murmur2 partitioning as Hookstream's own producers.
    this.producer = kafka.producer({ idempotent: false, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 0 } });
    this.topic = physicalTopic(options.topicPrefix ?? '', TOPICS.ingest);
  }

  async send(events: readonly StampedEvent[]): Promise<BatchResult[]> {
    this.connected ??= this.producer.connect().catch((err: unknown) => {
      this.connected = null;
      throw err;
    });
    await this.connected;
    for (let i = 0; i < events.length; i += MAX_MESSAGES_PER_REQUEST) {
      const part = events.slice(i, i + MAX_MESSAGES_PER_REQUEST);
      await this.sendPart({
        topic: this.topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: part.map((e) => ({
          key: e.envelope.tenant_id,
          value: JSON.stringify(e.envelope),
          headers: { [HEADERS.schemaVersion]: String(SCHEMA_VERSION), [HEADERS.traceparent]: childTraceparent(e.traceparent) },
        })),
      });
    }
    return events.map((e) => ({ id: e.envelope.id, status: 'queued' }));
  }

  /** One request, sent again whole (PRODUCE_RETRY) unless the broker refused its content. */
  private async sendPart(record: ProducerRecord): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.send(record);
        return;
      } catch (err) {
        const delayMs = produceRetryDelayMs(attempt);
        if (delayMs === null || isKafkaContentError(err)) throw err;
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.connected.catch(() => undefined);
    await this.producer.disconnect();
  }
}
