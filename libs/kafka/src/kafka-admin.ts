import { KAFKA_PRINCIPALS, type KafkaPrincipal } from '@hookstream/contracts';
import type { Logger } from '@hookstream/platform';
import type { Admin } from 'kafkajs';
import { kafkaAclEntries } from './acls.js';
import { createKafka } from './kafka.client.js';
import { type KafkaSecurity, PLAINTEXT } from './kafka.options.js';
import { createMissingTopics, type EnsureTopicsOptions, NOT_PROPAGATED } from './topics.js';

/** Where a Kafka cluster is and how to reach it, in our terms. */
export interface KafkaConnection {
  clientId: string;
  brokers: string[];
  logger: Logger;
  /** PLAINTEXT unless given. */
  security?: KafkaSecurity;
}

/** One partition's log: its first offset still held and its high watermark. */
export interface PartitionOffsets {
  partition: number;
  low: bigint;
  high: bigint;
}

/**
 * The administration the platform does on Kafka, in its own types: topics, ACLs, offsets, consumer
 * groups. Services, scripts and tests use this, never the client library's admin, so the client
 * stays behind libs/kafka (docs/adr/0008-kafka-client.md). One connection, opened on first use and
 * again after it failed; `close` ends it.
 */
export class KafkaAdmin {
  private readonly admin: Admin;
  private connected: Promise<void> | null = null;

  constructor(connection: KafkaConnection) {
    this.admin = createKafka(connection.clientId, connection.brokers, connection.logger, connection.security ?? PLAINTEXT).admin();
  }

  private async ready(): Promise<Admin> {
    this.connected ??= this.admin.connect().catch((err: unknown) => {
      this.connected = null;
      throw err;
    });
    await this.connected;
    return this.admin;
  }

  /** Answers when a broker does: the readiness probe's check. */
  async ping(): Promise<void> {
    await (await this.ready()).describeCluster();
  }

  /**
   * Creates every topic of docs/architecture.md that is missing (nothing relies on
   * auto-creation); existing topics are left as they are. On a cluster, a broker asked about a
   * topic the controller has just created may not know it yet, and the client gives up at that
   * answer, so the whole check runs again (creating only what is still missing), a few times.
   */
  async ensureTopics(options: EnsureTopicsOptions): Promise<string[]> {
    const created: string[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        created.push(...(await createMissingTopics(await this.ready(), options)));
        return created;
      } catch (err) {
        const type = (err as { type?: unknown }).type;
        if (attempt >= 10 || typeof type !== 'string' || !NOT_PROPAGATED.has(type)) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    if (topics.length > 0) await (await this.ready()).deleteTopics({ topics: [...topics] });
  }

  /**
   * Grants each principal its ACLs (KAFKA_ACCESS) under a topic prefix; this admin must be the
   * broker's super user. Creating an ACL that exists is a no-op on the broker, so this is safe
   * to repeat. Answers how many ACL entries were granted.
   */
  async applyAcls(prefix: string, principals: readonly KafkaPrincipal[] = KAFKA_PRINCIPALS): Promise<number> {
    const acl = kafkaAclEntries(prefix, principals);
    await (await this.ready()).createAcls({ acl });
    return acl.length;
  }

  async topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const offsets = await (await this.ready()).fetchTopicOffsets(topic);
    return offsets.map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) }));
  }

  /** A group's committed offset per partition of a topic; -1 where it has committed nothing. */
  async groupOffsets(groupId: string, topic: string): Promise<Map<number, bigint>> {
    const [answer] = await (await this.ready()).fetchOffsets({ groupId, topics: [topic] });
    return new Map((answer?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  }

  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    if (groupIds.length > 0) await (await this.ready()).deleteGroups([...groupIds]);
  }

  /** Nest calls this after every module's onModuleDestroy (the consumer host deletes its groups there). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const connected = this.connected;
    this.connected = null;
    if (connected) await connected.then(() => this.admin.disconnect()).catch(() => undefined);
  }
}
