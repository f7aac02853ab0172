import { childTraceparent, HEADERS, physicalTopic, SCHEMA_VERSION, TOPICS } from '@hookstream/contracts';
import { CompressionTypes, Kafka, type KafkaConfig, logLevel, Partitioners, type Producer, type ProducerRecord, type SASLOptions } from 'kafkajs';
import { HookstreamValidationError } from './errors.js';
import { isKafkaContentError, produceRetryDelayMs } from '@hookstream/domain';
import type { StampedEvent } from './envelope.js';
import type { BatchResult, Transport } from './transport.js';

export interface KafkaTransportOptions {
  brokers: string[];
  /** Prepended to `hookstream.ingest`, as the services' KAFKA_TOPIC_PREFIX. */
  topicPrefix?: string;
  clientId?: string;
  /**
   * TLS to the brokers, whose name and chain are always verified: `ca` (PEM) replaces the
   * system's CAs (a private CA's brokers), `cert` and `key` (PEM) are a client certificate.
   */
  tls?: { ca?: string; cert?: string; key?: string };
  /** SASL credentials (the `publisher` principal of docs/runbook.md); refused without `tls`, which would send them in clear. */
  sasl?: { mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain'; username: string; password: string };
  /** How long a connection to a broker may take, TLS and SASL included (default 3,000 ms). */
  connectionTimeoutMs?: number;
  /** How long a broker may take to answer a request (default 30,000 ms). */
  requestTimeoutMs?: number;
}

/**
 * The options in the client library's terms, checked first: a mistake throws here, naming the
 * option, rather than failing the first publish. The library's own types stay out of the SDK's
 * API, so a client switch does not change it.
 */
function clientConfig(options: KafkaTransportOptions): KafkaConfig {
  const problems: Array<{ path: string; message: string }> = [];
  if (!Array.isArray(options.brokers) || options.brokers.length === 0 || options.brokers.some((b) => typeof b !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(b))) {
    problems.push({ path: 'brokers', message: 'must be a non-empty list of host:port' });
  }
  for (const key of ['connectionTimeoutMs', 'requestTimeoutMs'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 600_000)) problems.push({ path: key, message: 'must be an integer from 1 to 600000 (ms)' });
  }
  const { tls, sasl } = options;
  if (sasl && !tls) problems.push({ path: 'sasl', message: 'needs tls: SASL credentials are never sent over a plain connection' });
  if (sasl && (!sasl.username || !sasl.password || !['scram-sha-512', 'scram-sha-256', 'plain'].includes(sasl.mechanism))) {
    problems.push({ path: 'sasl', message: 'needs a mechanism (scram-sha-512, scram-sha-256, plain), a username and a password' });
  }
  if (tls && Boolean(tls.cert) !== Boolean(tls.key)) problems.push({ path: 'tls', message: 'cert and key come together' });
  if (problems.length > 0) throw new HookstreamValidationError(`invalid Kafka options: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems.map((p) => ({ ...p, index: -1 })));
  return {
    brokers: options.brokers,
    clientId: options.clientId ?? 'hookstream-publisher',
    logLevel: logLevel.ERROR,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    ...(tls ? { ssl: { rejectUnauthorized: true, ...(tls.ca ? { ca: [tls.ca] } : {}), ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}) } } : {}),
    // kafkajs types each mechanism as an object of its own; ours is the same three shapes as one.
    ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions } : {}),
  };
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
    const kafka = new Kafka(clientConfig(options));
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
