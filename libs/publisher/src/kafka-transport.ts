import { childTraceparent, HEADERS, physicalTopic, SCHEMA_VERSION, TOPICS } from '@hookstream/contracts';
import { CompressionTypes, Kafka, type KafkaConfig, logLevel, Partitioners, type Producer, type ProducerRecord } from 'kafkajs';
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

/** Tries of one send before the caller hears of its failure. */
const SEND_ATTEMPTS = 4;

/** Most events per produce request; larger batches go in several. */
const MAX_MESSAGES_PER_REQUEST = 1000;

/**
 * Produces envelopes to `hookstream.ingest`, keyed by tenant, with an idempotent producer and
 * acks from every in-sync replica: a send resolves once the broker has the events durably, and
 * kafkajs's own retries cannot write one twice. Invalid events the gateway refuses later land on
 * `hookstream.ingest.rejected` with the reason.
 *
 * A failed send replaces the producer with a new one (a new producer id), as the services' own
 * producer does (libs/kafka producer.service.ts): kafkajs reuses a failed batch's numbers for the
 * next batch, and a broker that had stored the failed one acknowledges the next without writing it.
 */
export class KafkaTransport implements Transport {
  private readonly kafka: Kafka;
  private producer: Producer;
  private readonly topic: string;
  private connected: Promise<void> | null = null;

  constructor(options: KafkaTransportOptions) {
    const kafka = new Kafka({
      logLevel: logLevel.ERROR,
      ...options.kafka,
      brokers: options.brokers,
      clientId: options.clientId ?? 'hookstream-publisher',
    });
    this.kafka = kafka;
    this.producer = this.newProducer();
    this.topic = physicalTopic(options.topicPrefix ?? '', TOPICS.ingest);
  }

  private newProducer(): Producer {
    // Named so kafkajs does not warn; the same murmur2 partitioning as Hookstream's own producers.
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  async send(events: readonly StampedEvent[]): Promise<BatchResult[]> {
    const producer = this.producer;
    this.connected ??= producer.connect().catch((err: unknown) => {
      this.connected = null;
      throw err;
    });
    await this.connected;
    try {
      await this.produce(producer, events);
    } catch (err) {
      if (this.producer === producer) {
        this.producer = this.newProducer();
        this.connected = null;
        producer.disconnect().catch(() => undefined);
      }
      throw err;
    }
    return events.map((e) => ({ id: e.envelope.id, status: 'queued' }));
  }

  private async produce(producer: Producer, events: readonly StampedEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_MESSAGES_PER_REQUEST) {
      const part = events.slice(i, i + MAX_MESSAGES_PER_REQUEST);
      await producer.send({
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
  }

  private async sendPart(record: ProducerRecord): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.send(record);
        return;
      } catch (err) {
        if (attempt >= SEND_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, 150 * 2 ** (attempt - 1)));
      }
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.connected.catch(() => undefined);
    await this.producer.disconnect();
  }
}
