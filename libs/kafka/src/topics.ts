import { physicalTopic, TOPIC_SPECS, type TopicKey } from '@hookstream/contracts';
import type { Kafka } from 'kafkajs';

export interface EnsureTopicsOptions {
  prefix: string;
  /** Overrides of each topic's default partition count. */
  partitions?: Partial<Record<TopicKey, number>>;
}

/**
 * Creates every topic of docs/architecture.md that is missing (kafkajs stumbles on auto-created
 * topics under KRaft, so nothing relies on auto-creation). Existing topics are left as they are.
 */
export async function ensureTopics(kafka: Kafka, options: EnsureTopicsOptions): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
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
  } finally {
    await admin.disconnect();
  }
}
