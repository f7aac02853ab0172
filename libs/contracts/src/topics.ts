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
}

export const TOPIC_SPECS: readonly TopicSpec[] = [
  { key: 'ingest', name: TOPICS.ingest, defaultPartitions: 6, compacted: false },
  { key: 'ingestRejected', name: TOPICS.ingestRejected, defaultPartitions: 1, compacted: false },
  { key: 'events', name: TOPICS.events, defaultPartitions: 6, compacted: false },
  { key: 'subscriptions', name: TOPICS.subscriptions, defaultPartitions: 1, compacted: true },
  { key: 'deliveries', name: TOPICS.deliveries, defaultPartitions: 6, compacted: false },
  { key: 'retries', name: TOPICS.retries, defaultPartitions: 3, compacted: false },
  { key: 'dlq', name: TOPICS.dlq, defaultPartitions: 3, compacted: false },
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
