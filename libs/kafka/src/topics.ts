import { physicalTopic, TOPIC_SPECS, type TopicKey } from '@hookstream/contracts';
import type { Kafka } from 'kafkajs';

export interface EnsureTopicsOptions {
  prefix: string;
  /** Overrides of each topic's default partition count. */
  partitions?: Partial<Record<TopicKey, number>>;
}

/** Answers of a cluster whose brokers have not all learned of topics just created. */
const NOT_PROPAGATED = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Creates every topic of docs/architecture.md that is missing (kafkajs stumbles on auto-created
 * topics under KRaft, so nothing relies on auto-creation). Existing topics are left as they are.
 * On a cluster, a broker asked about a topic the controller has just created may not know it
 * yet; kafkajs gives up at that answer, so the whole check runs again (it creates only what is
 * still missing), a few times.
 */
export async function ensureTopics(kafka: Kafka, options: EnsureTopicsOptions): Promise<string[]> {
  const created: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      created.push(...(await createMissingTopics(kafka, options)));
      return created;
    } catch (err) {
      const type = (err as { type?: unknown }).type;
      if (attempt >= 10 || typeof type !== 'string' || !NOT_PROPAGATED.has(type)) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function createMissingTopics(kafka: Kafka, options: EnsureTopicsOptions): Promise<string[]> {
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
