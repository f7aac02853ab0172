import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { childTraceparent, HEADERS, physicalTopic, SCHEMA_VERSION, TOPICS, type TopicKey } from '@hookstream/contracts';
import { Metrics } from '@hookstream/platform';
import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import { KAFKA_CLIENT } from './kafka.client.js';
import { KAFKA_OPTIONS, type KafkaModuleOptions } from './kafka.options.js';

export interface OutgoingMessage {
  key: string;
  /** JSON-encoded as is; `null` produces a tombstone. */
  value: unknown;
  /** The traceparent of what caused this message, if any; a child span id is derived from it. */
  traceparent?: string | null;
  headers?: Record<string, string>;
}

/**
 * The idempotent producer (acks=all): a send resolves only once the broker has the messages,
 * which is what lets consumers commit offsets after it.
 */
@Injectable()
export class KafkaProducer implements OnModuleInit, OnModuleDestroy {
  private readonly producer: Producer;
  private readonly sent;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaModuleOptions,
    metrics: Metrics,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.sent = metrics.counter('hookstream_kafka_messages_produced_total', 'Messages acknowledged by the broker', ['topic']);
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.producer.disconnect();
  }

  topicName(topic: TopicKey): string {
    return physicalTopic(this.options.topicPrefix, TOPICS[topic]);
  }

  async send(topic: TopicKey, messages: readonly OutgoingMessage[]): Promise<void> {
    await this.sendMany([{ topic, messages }]);
  }

  /** Several topics in one request: fewer round trips for a batch's follow-ups. */
  async sendMany(batches: ReadonlyArray<{ topic: TopicKey; messages: readonly OutgoingMessage[] }>): Promise<void> {
    const topicMessages = batches
      .filter((b) => b.messages.length > 0)
      .map((b) => ({
        topic: this.topicName(b.topic),
        messages: b.messages.map((m) => ({
          key: m.key,
          value: m.value === null ? null : JSON.stringify(m.value),
          headers: {
            ...m.headers,
            [HEADERS.schemaVersion]: String(SCHEMA_VERSION),
            [HEADERS.traceparent]: childTraceparent(m.traceparent),
          },
        })),
      }));
    if (topicMessages.length === 0) return;
    await this.producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
    for (const t of topicMessages) this.sent.inc({ topic: t.topic }, t.messages.length);
  }
}
