/** Logical topic names fixed by ARCHITECTURE.md; the physical name is `<prefix><name>`. */
export const TOPICS = {
  ingest: 'hookstream.ingest',
  ingestRejected: 'hookstream.ingest.rejected',
  events: 'hookstream.events',
  subscriptions: 'hookstream.subscriptions',
  deliveries: 'hookstream.deliveries',
  retries: 'hookstream.retries',
  dlq: 'hookstream.dlq',
  deliveryStatus: 'hookstream.delivery-status',
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
  { key: 'ingestRejected', name: TOPICS.ingestRejected, defaultPartitions: 1, compacted: false },
  { key: 'events', name: TOPICS.events, defaultPartitions: 6, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  { key: 'subscriptions', name: TOPICS.subscriptions, defaultPartitions: 1, compacted: true },
  { key: 'deliveries', name: TOPICS.deliveries, defaultPartitions: 6, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  { key: 'retries', name: TOPICS.retries, defaultPartitions: 3, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  { key: 'dlq', name: TOPICS.dlq, defaultPartitions: 3, compacted: false, maxMessageBytes: PAYLOAD_TOPIC_MAX_MESSAGE_BYTES },
  { key: 'deliveryStatus', name: TOPICS.deliveryStatus, defaultPartitions: 3, compacted: false },
];

export function physicalTopic(prefix: string, name: TopicName): string {
  return `${prefix}${name}`;
}

/** Kafka header names every Hookstream message carries. */
export const HEADERS = {
  schemaVersion: 'hs-schema-version',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;
