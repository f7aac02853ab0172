import { physicalTopic, TOPIC_SPECS, type TopicKey } from '@hookstream/contracts';
import type { Admin } from 'kafkajs';

export interface EnsureTopicsOptions {
  prefix: string;
  /** Overrides of each topic's default partition count. */
  partitions?: Partial<Record<TopicKey, number>>;
}

/** Answers of a cluster whose brokers have not all learned of topics just created. */
export const NOT_PROPAGATED = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/** One pass of KafkaAdmin.ensureTopics: creates the topics that are missing, answers their names. */
export async function createMissingTopics(admin: Admin, options: EnsureTopicsOptions): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = TOPIC_SPECS.filter((t) => !existing.has(physicalTopic(options.prefix, t.name)));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: physicalTopic(options.prefix, t.name),
      numPartitions: options.partitions?.[t.key] ?? t.defaultPartitions,
      replicationFactor: -1,
      configEntries: [
        ...(t.compacted
          ? [
              { name: 'cleanup.policy', value: 'compact' },
              { name: 'min.compaction.lag.ms', value: '60000' },
            ]
          : []),
        ...(t.maxMessageBytes ? [{ name: 'max.message.bytes', value: String(t.maxMessageBytes) }] : []),
      ],
    })),
  });
  return missing.map((t) => physicalTopic(options.prefix, t.name));
}
