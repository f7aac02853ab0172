import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HEADERS, physicalTopic, quarantineTopicOf, SCHEMA_VERSION, TOPICS, type TopicKey } from '@hookstream/contracts';
import { PRODUCE_RETRY, produceRetryDelayMs } from '@hookstream/domain';
import { endHopSpan, Metrics, SpanKind, startHopSpan, traceparentOf } from '@hookstream/platform';
import { CompressionTypes, type Kafka, type Message, Partitioners, type Producer, type ProducerBatch } from 'kafkajs';
import { clientMessage, type RawMessage } from './raw-message.js';
import { classifyFailure } from './failure-class.js';
import { KAFKA_CLIENT } from './kafka.client.js';
import { KAFKA_OPTIONS, type KafkaModuleOptions } from './kafka.options.js';

/** Values per produce request; well below the broker's default 1 MiB record batch limit. */
export const MAX_REQUEST_BYTES = 512 * 1024;

export interface OutgoingMessage {
  key: string;
  /** JSON-encoded as is; `null` produces a tombstone. */
  value: unknown;
  /**
   * The W3C context this message continues: the traceparent of the span of the hop that produced
   * it. Without one the message starts a trace of its own (a `publish` span).
   */
  traceparent?: string | null;
  headers?: Record<string, string>;
}

/** A send to a topic outside the service's KAFKA_ACCESS: a wiring bug, refused before the broker would. */
export class TopicNotWritableError extends Error {
  constructor(topic: string, clientId: string) {
    super(`${clientId} may not produce to ${topic} (libs/contracts kafka-access.ts)`);
    this.name = 'TopicNotWritableError';
  }
}

/**
 * The producer (acks=all): a send resolves only once every in-sync replica has the messages,
 * which is what lets consumers commit offsets after it.
 *
 * Retries are ours, not kafkajs's, and kafkajs's idempotent mode is off: the chaos suite's
 * three-node cluster found two defects of kafkajs 2.2 that lose acknowledged messages when
 * partition leaders move (a broker restarting), docs/adr/0007-kafka-producer-retries.md:
 * - its retry of a request spanning several brokers skips every broker that already answered,
 *   so a partition whose leader moved to one of them is never sent, and the send resolves;
 * - its idempotent producer takes a failed batch's sequence numbers back although the broker may
 *   have stored the batch (the connection closed as the broker shut down); the next batch of
 *   other messages reuses them, and the broker acknowledges it as a duplicate without writing it.
 *   kafkajs refuses idempotence without its own retries.
 * So a failed request is sent again whole (PRODUCE_RETRY, about 24 s of tries; a caller that
 * gives up sooner pays for it: a fan-out step that fails waits for its job's lease to expire),
 * unless the broker
 * refused its content. Partitions the failed request did write get a second copy: delivery is at
 * least once, and every consumer here is idempotent.
 */
@Injectable()
export class KafkaProducer implements OnModuleInit, OnModuleDestroy {
  private readonly producer: Producer;
  private readonly sent;
  private readonly retried;
  /** Physical topics this service may write, when its module declared them; null: any. */
  private readonly writable: ReadonlySet<string> | null;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaModuleOptions,
    metrics: Metrics,
  ) {
    // The default (Java-compatible murmur2) partitioner, named so kafkajs does not warn that its
    // default changed in v2: a key lands on the partition a Java producer would choose.
    this.producer = kafka.producer({ idempotent: false, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 0 } });
    this.sent = metrics.counter('hookstream_kafka_messages_produced_total', 'Messages acknowledged by the broker', ['topic']);
    this.retried = metrics.counter('hookstream_kafka_produce_retries_total', 'Produce requests sent again whole after a failure (a broker or leader moving)');
    const { produces, consumes } = options;
    this.writable = produces
      ? new Set([...produces, ...consumes.map(quarantineTopicOf).filter((t): t is TopicKey => t !== null)].map((t) => physicalTopic(options.topicPrefix, TOPICS[t])))
      : null;
  }

  private checkWritable(topic: string): void {
    if (this.writable && !this.writable.has(topic)) throw new TopicNotWritableError(topic, this.options.clientId);
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.producer.disconnect();
  }

  /** One produce request, sent again whole after a failure that is not about its content. */
  private async produce(batch: ProducerBatch): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.sendBatch(batch);
        return;
      } catch (err) {
        const delayMs = produceRetryDelayMs(attempt, this.options.produceRetry ?? PRODUCE_RETRY);
        if (delayMs === null || classifyFailure(err).kind === 'deterministic') throw err;
        this.retried.inc();
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  topicName(topic: TopicKey): string {
    return physicalTopic(this.options.topicPrefix, TOPICS[topic]);
  }

  async send(topic: TopicKey, messages: readonly OutgoingMessage[]): Promise<void> {
    await this.sendMany([{ topic, messages }]);
  }

  /**
   * Messages exactly as given (bytes, key and headers untouched) to a physical topic: a quarantine
   * keeps the original message, and a re-drive puts it back byte for byte.
   */
  async sendRaw(topic: string, raw: readonly RawMessage[]): Promise<void> {
    this.checkWritable(topic);
    const messages = raw.map(clientMessage);
    // The same request bound as sendMany, for the same reason.
    let start = 0;
    while (start < messages.length) {
      let end = start;
      let bytes = 0;
      do bytes += messages[end++]?.value?.length ?? 0;
      while (end < messages.length && bytes + (messages[end]?.value?.length ?? 0) <= MAX_REQUEST_BYTES);
      const part = messages.slice(start, end);
      await this.produce({ topicMessages: [{ topic, messages: part }], acks: -1, compression: CompressionTypes.None });
      this.sent.inc({ topic }, part.length);
      start = end;
    }
  }

  /**
   * Several topics in as few requests as the broker takes: a request carries at most
   * MAX_REQUEST_BYTES of values (a larger message goes alone), because one partition's share of a
   * request is a single record batch, and the broker refuses a batch over the topic's
   * `max.message.bytes` (1 MiB by default) with an error kafkajs does not retry. Requests go one
   * after another, so each partition keeps its order.
   */
  async sendMany(batches: ReadonlyArray<{ topic: TopicKey; messages: readonly OutgoingMessage[] }>): Promise<void> {
    const requests: Array<Map<string, Message[]>> = [];
    let current = new Map<string, Message[]>();
    let bytes = 0;
    for (const b of batches) {
      const topic = this.topicName(b.topic);
      this.checkWritable(topic);
      for (const m of b.messages) {
        const value = m.value === null ? null : JSON.stringify(m.value);
        const size = value === null ? 0 : Buffer.byteLength(value);
        if (bytes > 0 && bytes + size > MAX_REQUEST_BYTES) {
          requests.push(current);
          current = new Map();
          bytes = 0;
        }
        const traceparent = m.traceparent ?? rootTraceparent(topic);
        const headers: Record<string, string> = { ...m.headers, [HEADERS.schemaVersion]: String(SCHEMA_VERSION) };
        if (traceparent) headers[HEADERS.traceparent] = traceparent;
        let list = current.get(topic);
        if (!list) current.set(topic, (list = []));
        list.push({ key: m.key, value, headers });
        bytes += size;
      }
    }
    if (current.size > 0) requests.push(current);
    for (const request of requests) {
      await this.produce({ topicMessages: [...request].map(([topic, messages]) => ({ topic, messages })), acks: -1, compression: CompressionTypes.None });
      for (const [topic, messages] of request) this.sent.inc({ topic }, messages.length);
    }
  }
}

/** A message nothing traced caused starts its own trace, so that its consumers' spans have a parent. */
function rootTraceparent(topic: string): string | null {
  const span = startHopSpan('publish', null, { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.operation.name': 'send', 'messaging.destination.name': topic }, SpanKind.PRODUCER, `send ${topic}`);
  endHopSpan(span);
  return traceparentOf(span);
}
