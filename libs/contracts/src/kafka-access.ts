import { physicalTopic, QUARANTINE_TOPICS, quarantineTopicOf, type TopicKey, TOPICS } from './topics.js';

/**
 * Who may do what on Kafka: one principal per service, plus `publisher` for internal producers of
 * events. This table is the single source of the services' Kafka wiring: each service consumes
 * exactly its `consumes` (boot fails otherwise), its producer refuses a topic outside its
 * `produces` (and the quarantine topics of what it consumes), and the broker ACLs (the local
 * stack's, the tests', and the Strimzi KafkaUsers') are derived from it by `kafkaAcls`.
 */
export const KAFKA_PRINCIPALS = ['ingress-gateway', 'subscription-registry', 'dispatcher', 'retry-scheduler', 'dlq-inspector', 'publisher'] as const;
export type KafkaPrincipal = (typeof KAFKA_PRINCIPALS)[number];

/** The topics whose quarantined messages the dlq-inspector can re-drive to their source. */
export const REDRIVE_SOURCES = Object.keys(QUARANTINE_TOPICS) as ReadonlyArray<keyof typeof QUARANTINE_TOPICS>;

export interface KafkaAccess {
  consumes: readonly TopicKey[];
  /** Topics it produces to, besides the quarantine topics of those it consumes. */
  produces: readonly TopicKey[];
}

export const KAFKA_ACCESS: Readonly<Record<KafkaPrincipal, KafkaAccess>> = {
  // Events in over Kafka; out to the event log.
  'ingress-gateway': { consumes: ['ingest'], produces: ['events'] },
  // Endpoint health from delivery outcomes; out: the subscription changelog, and the system
  // events (endpoint disabled) that it publishes as any producer would.
  'subscription-registry': { consumes: ['deliveryStatus'], produces: ['subscriptions', 'ingest'] },
  'dispatcher': { consumes: ['subscriptions', 'events', 'deliveries'], produces: ['deliveries', 'retries', 'dlq', 'deliveryStatus'] },
  'retry-scheduler': { consumes: ['retries'], produces: ['deliveries', 'dlq'] },
  // Replays produce deliveries; re-driving a quarantined message writes it back to its source,
  // which is the one wide grant here (and needs the `deliveries:retry` scope over HTTP).
  'dlq-inspector': {
    consumes: ['dlq', 'deliveryStatus', ...Object.values(QUARANTINE_TOPICS)],
    produces: ['deliveries', ...REDRIVE_SOURCES],
  },
  // Internal services producing events: hookstream.ingest and nothing else.
  publisher: { consumes: [], produces: ['ingest'] },
};

/** Every topic a principal may write: its `produces` and the quarantine topic of each it consumes. */
export function writableTopics(principal: KafkaPrincipal): TopicKey[] {
  const { consumes, produces } = KAFKA_ACCESS[principal];
  const quarantine = consumes.map(quarantineTopicOf).filter((t): t is TopicKey => t !== null);
  return [...new Set([...produces, ...quarantine])].sort();
}

export type AclOperation = 'Read' | 'Write' | 'Describe' | 'Delete';

/** One ACL entry, allowed to the principal `User:<principal>` from any host. */
export interface KafkaAcl {
  resourceType: 'topic' | 'group';
  /** A literal name, or for `prefixed` the name every matching resource starts with. */
  name: string;
  patternType: 'literal' | 'prefixed';
  operation: AclOperation;
}

/**
 * The ACLs a principal needs, under a topic prefix (the same prefix names its groups). A service's
 * consumer groups all start with its name (ConsumerHost checks it), so one prefixed entry covers
 * its shared and per-instance groups; Delete lets a process remove its per-instance groups.
 */
export function kafkaAcls(principal: KafkaPrincipal, prefix = ''): KafkaAcl[] {
  const topic = (key: TopicKey) => physicalTopic(prefix, TOPICS[key]);
  const acls: KafkaAcl[] = [];
  for (const key of [...KAFKA_ACCESS[principal].consumes].sort()) acls.push({ resourceType: 'topic', name: topic(key), patternType: 'literal', operation: 'Read' });
  for (const key of writableTopics(principal)) acls.push({ resourceType: 'topic', name: topic(key), patternType: 'literal', operation: 'Write' });
  // Describe: metadata and offsets (the lag gauge reads the high watermarks of what it consumes).
  const described = new Set([...KAFKA_ACCESS[principal].consumes, ...writableTopics(principal)].map(topic));
  for (const name of [...described].sort()) acls.push({ resourceType: 'topic', name, patternType: 'literal', operation: 'Describe' });
  if (KAFKA_ACCESS[principal].consumes.length > 0) {
    for (const operation of ['Read', 'Describe', 'Delete'] as const) acls.push({ resourceType: 'group', name: `${prefix}${principal}`, patternType: 'prefixed', operation });
  }
  return acls;
}
