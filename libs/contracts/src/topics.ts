/** Logical topic names fixed by docs/architecture.md; the physical name is `<prefix><name>`. */
export const TOPICS = {
  ingest: 'hookstream.ingest',
  ingestRejected: 'hookstream.ingest.rejected',
  events: 'hookstream.events',
  subscriptions: 'hookstream.subscriptions',
  deliveries: 'hookstream.deliveries',
  retries: 'hookstream.retries',
  dlq: 'hookstream.dlq',
  deliveryStatus: 'hookstream.delivery-status',
  eventsQuarantine: 'hookstream.events.quarantine',
  subscriptionsQuarantine: 'hookstream.subscriptions.quarantine',
  deliveriesQuarantine: 'hookstream.deliveries.quarantine',
  retriesQuarantine: 'hookstream.retries.quarantine',
  dlqQuarantine: 'hookstream.dlq.quarantine',
  deliveryStatusQuarantine: 'hookstream.delivery-status.quarantine',
} as const;

export type TopicKey = keyof typeof TOPICS;
export type TopicName = (typeof TOPICS)[TopicKey];

export interface TopicSpec {
  key: TopicKey;
  name: TopicName;
  /** Partitions bound consumer-group parallelism, so they are configurable per topic. */
  defaultPartitions: number;
  compacted: boolean;
  /**
   * The largest message the topic takes (Kafka's `max.message.bytes`), where the broker's 1 MiB
   * default is too small: topics that carry an event's data, which the gateway accepts up to
   * MAX_EVENT_BYTES_CEILING (10 MiB at most) and a delivery message can nearly double (its body
   * is JSON escaped inside JSON).
   */
  maxMessageBytes?: number;
}

export const PAYLOAD_TOPIC_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export const TOPIC_SPECS: readonly TopicSpec[] = [
  { key: 'ingest', name: TOPICS.ingest, defaultPartitions: 6, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  // Ingest's quarantine topic (QUARANTINE_TOPICS): it carries the refused message's original bytes.
  { key: 'ingestRejected', name: TOPICS.ingestRejected, defaultPartitions: 1, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  { key: 'events', name: TOPICS.events, defaultPartitions: 6, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  { key: 'subscriptions', name: TOPICS.subscriptions, defaultPartitions: 1, compacted: true },
  { key: 'deliveries', name: TOPICS.deliveries, defaultPartitions: 6, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  { key: 'retries', name: TOPICS.retries, defaultPartitions: 3, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  { key: 'dlq', name: TOPICS.dlq, defaultPartitions: 3, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  { key: 'deliveryStatus', name: TOPICS.deliveryStatus, defaultPartitions: 3, compacted: false },
  ...(['eventsQuarantine', 'subscriptionsQuarantine', 'deliveriesQuarantine', 'retriesQuarantine', 'dlqQuarantine', 'deliveryStatusQuarantine'] as const).map(
    (key): TopicSpec => ({ key, name: TOPICS[key], defaultPartitions: 1, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES }),
  ),
];

/**
 * Where a consumed topic's poison messages go: `<topic>.quarantine`, except ingest, whose refused
 * input has always gone to `hookstream.ingest.rejected` (the contract operators watch). A
 * quarantine topic has none of its own.
 */
export const QUARANTINE_TOPICS = {
  ingest: 'ingestRejected',
  events: 'eventsQuarantine',
  subscriptions: 'subscriptionsQuarantine',
  deliveries: 'deliveriesQuarantine',
  retries: 'retriesQuarantine',
  dlq: 'dlqQuarantine',
  deliveryStatus: 'deliveryStatusQuarantine',
} as const satisfies Partial<Record<TopicKey, TopicKey>>;

export type QuarantinedTopicKey = keyof typeof QUARANTINE_TOPICS;

export function quarantineTopicOf(topic: TopicKey): TopicKey | null {
  return (QUARANTINE_TOPICS as Partial<Record<TopicKey, TopicKey>>)[topic] ?? null;
}

/**
 * Topics whose Kafka key is the tenant id (docs/architecture.md's topic table): a message there
 * names its tenant by its key even when its value cannot be read.
 */
export const TENANT_KEYED_TOPICS: ReadonlySet<TopicKey> = new Set<TopicKey>(['ingest', 'events', 'deliveryStatus']);

export function physicalTopic(prefix: string, name: TopicName): string {
  return `${prefix}${name}`;
}

/** Kafka header names every Hookstream message carries. */
export const HEADERS = {
  schemaVersion: 'hs-schema-version',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

/**
 * Headers a quarantined message carries besides its original ones (Kafka Connect's dead-letter
 * style): the original value, key and headers stay untouched, so re-driving reproduces them.
 */
export const QUARANTINE_HEADERS = {
  code: 'hs-quarantine-code',
  reason: 'hs-quarantine-reason',
  /** JSON: field errors or whatever the refusal explains. */
  details: 'hs-quarantine-details',
  topic: 'hs-quarantine-source-topic',
  partition: 'hs-quarantine-source-partition',
  offset: 'hs-quarantine-source-offset',
  timestamp: 'hs-quarantine-source-timestamp',
  group: 'hs-quarantine-group',
  quarantinedAt: 'hs-quarantine-at',
  tenantId: 'hs-quarantine-tenant-id',
} as const;

export const QUARANTINE_HEADER_PREFIX = 'hs-quarantine-';
