import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { physicalTopic, quarantineTopicOf, TOPICS, type TopicKey } from '@hookstream/contracts';
import { HealthRegistry, instanceId, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { BatchHandler } from './batch-handler.js';
import { BatchAbandoned, BatchSettler } from './batch-settler.js';
import { CommitCoalescer } from './commit-coalescer.js';
import { TOPIC_CONSUMER, type TopicConsumerOptions } from './consumer.decorator.js';
import { isCoordinatorStarting } from './failure-class.js';
import { KafkaAdmin } from './kafka-admin.js';
import { KAFKA_CLIENT } from './kafka.client.js';
import { KAFKA_OPTIONS, type KafkaModuleOptions } from './kafka.options.js';
import { PendingCommits } from './pending-commits.js';
import { KafkaProducer } from './producer.service.js';
import { Quarantiner } from './quarantiner.js';

/** Numbers the per-instance consumer groups one process starts. */
let groupSeq = 0;

/**
 * Batches of one partition that may wait for their handler's remaining work at once
 * (BatchContext.settleAfter): enough that a batch's stragglers never hold up the next fetch,
 * few enough that a stalled dependency stops the partition soon.
 */
const MAX_BATCHES_AWAITING_WORK = 8;

interface Started {
  topic: string;
  groupId: string;
  /** The group as configured, without prefix or instance suffix: a bounded metric label. */
  label: string;
  /**
   * A per-instance group commits nothing to the broker: its offsets mean nothing to the next
   * process, which starts a group of its own. Its position is kept here, for the lag gauge.
   */
  positions: Map<number, bigint> | null;
  /** The group starts at the log's end: before its first batch it is behind by nothing. */
  fromEnd: boolean;
}

interface Registration {
  options: TopicConsumerOptions;
  handler: BatchHandler<unknown>;
  name: string;
}

/** Thrown at boot when the consumer classes do not match the topics the service declares. */
export class ConsumerWiringError extends Error {}

/**
 * Finds every @TopicConsumer class, checks that each declared topic has exactly one, and runs
 * each on its own kafkajs consumer with eachBatch and manual commits.
 */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, OnModuleDestroy {
  /** Each kafkajs consumer with the coalescer of its commits, and its group when that is per instance. */
  private readonly consumers: Array<{ consumer: Consumer; topic: string; commits: CommitCoalescer; pending: PendingCommits; instanceGroup: string | null }> = [];
  private readonly started: Started[] = [];
  private stopping: Promise<void> | null = null;
  private lagTimer: NodeJS.Timeout | null = null;
  private readonly processed;
  private readonly lag;
  private readonly invalidCount;
  private readonly batchSeconds;
  private readonly retried;
  private readonly quarantiner: Quarantiner;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaModuleOptions,
    private readonly admin: KafkaAdmin,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
    producer: KafkaProducer,
    metrics: Metrics,
  ) {
    this.quarantiner = new Quarantiner(producer, logger, metrics);
    this.retried = metrics.counter('hookstream_kafka_batch_retries_total', 'Batches retried in place because a dependency failed', ['topic', 'group', 'reason']);
    this.processed = metrics.counter('hookstream_kafka_messages_consumed_total', 'Messages handled and committed', ['topic', 'group']);
    this.invalidCount = metrics.counter('hookstream_kafka_messages_invalid_total', 'Messages that failed their schema', ['topic', 'group']);
    this.batchSeconds = metrics.histogram('hookstream_kafka_batch_seconds', 'Time to handle one batch', ['topic', 'group']);
    this.lag = metrics.gauge('hookstream_kafka_consumer_lag', 'Messages between the group\'s committed offset (a per-instance group: its position) and the high watermark', ['topic', 'group', 'partition']);
  }

  registrations(): Registration[] {
    return this.discovery
      .getProviders()
      .filter((w) => Boolean(w.metatype && w.instance && (Reflect.getMetadata(TOPIC_CONSUMER, w.metatype) as unknown)))
      .map((w) => ({
        options: Reflect.getMetadata(TOPIC_CONSUMER, w.metatype as object) as TopicConsumerOptions,
        handler: w.instance as BatchHandler<unknown>,
        name: String(w.name),
      }));
  }

  /** One consumer class per topic: a declared topic with none, or two, or an undeclared one stops boot. */
  static checkWiring(declared: readonly TopicKey[], found: ReadonlyArray<{ topic: TopicKey; name: string }>): void {
    const problems: string[] = [];
    for (const topic of declared) {
      const owners = found.filter((f) => f.topic === topic).map((f) => f.name);
      if (owners.length === 0) problems.push(`topic ${TOPICS[topic]} has no consumer class`);
      if (owners.length > 1) problems.push(`topic ${TOPICS[topic]} has ${owners.length} consumer classes: ${owners.join(', ')}`);
    }
    for (const f of found) {
      if (!declared.includes(f.topic)) problems.push(`${f.name} consumes ${TOPICS[f.topic]}, which this service does not declare`);
    }
    if (problems.length) throw new ConsumerWiringError(`consumer wiring is wrong:\n  - ${problems.join('\n  - ')}`);
  }

  onApplicationBootstrap(): void {
    const regs = this.registrations();
    ConsumerHost.checkWiring(
      this.options.consumes,
      regs.map((r) => ({ topic: r.options.topic, name: r.name })),
    );
    // A service's broker ACLs grant its groups by the prefix of its name (kafkaAcls).
    const stray = this.options.produces ? regs.filter((r) => !r.options.groupId.startsWith(this.options.clientId)) : [];
    if (stray.length) throw new ConsumerWiringError(`consumer groups must start with ${this.options.clientId}: ${stray.map((r) => r.options.groupId).join(', ')}`);
    // Joining a group can take a session timeout after a crash (the dead member must expire
    // first), so consumers start in the background: HTTP and liveness come up at once, and
    // readiness waits for every group to be joined.
    const every = this.options.lagIntervalMs;
    if (every) {
      this.lagTimer = setInterval(() => void this.measureLag().catch((err: unknown) => this.logger.warn({ err }, 'could not measure consumer lag')), every);
      this.lagTimer.unref();
    }
    for (const r of regs) {
      this.start(r).catch((err: unknown) => {
        this.logger.fatal({ err, topic: r.options.topic }, 'consumer could not start; exiting so the process is restarted');
        process.exit(1);
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /**
   * Stops every consumer of the process: no batch is fetched after this, and disconnect() waits
   * for the batch in hand to finish and its offsets to be committed. Idempotent, so a service
   * that must stop consuming before its own work drains can call it from its shutdown hook.
   */
  stop(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.stopping ??= Promise.all(
      this.consumers.map(async ({ consumer, topic, commits, pending }) => {
        // Offsets settled but waiting for their interval are committed now, and the batch in
        // hand commits as it ends: disconnect() leaves the group right after it. Batches whose
        // work is still running commit as it ends (their handler ends it when told to stop);
        // nothing more is fetched meanwhile, so that wait has an end.
        commits.commitEveryBatch();
        try {
          consumer.pause([{ topic }]);
        } catch {
          // Not running (it never joined): there is nothing to fetch anyway.
        }
        await pending.idle();
        await commits.flush().catch((err: unknown) => this.logger.warn({ err }, 'committing settled offsets at stop failed; their messages will be read again'));
        await consumer.disconnect();
      }),
    ).then(() => this.deleteInstanceGroups());
    return this.stopping;
  }

  /**
   * A per-instance group ends with its process: deleted at a clean stop, so restarts leave no
   * groups behind. After a crash the group is empty and holds no offsets (nothing is committed),
   * which the broker's periodic clean-up (offsets.retention.check.interval.ms) removes.
   */
  private async deleteInstanceGroups(): Promise<void> {
    const groups = this.consumers.flatMap((c) => (c.instanceGroup ? [c.instanceGroup] : []));
    if (groups.length === 0) return;
    try {
      await this.admin.deleteGroups(groups);
    } catch (err) {
      this.logger.warn({ err, groups }, 'could not delete this process\'s consumer groups; the broker removes them (they hold no offsets)');
    }
  }

  /**
   * Consumer lag per group and partition: the committed offset against the high watermark,
   * read from the broker every `lagIntervalMs` (when the module sets it).
   */
  async measureLag(): Promise<void> {
    if (this.started.length === 0) return;
    for (const s of this.started) {
      const high = await this.admin.topicOffsets(s.topic);
      const done = s.positions ?? (await this.admin.groupOffsets(s.groupId, s.topic));
      for (const p of high) {
        const at = done.get(p.partition) ?? (s.fromEnd ? p.high : -1n);
        // -1: nothing committed yet, so everything still in the log is behind.
        const lag = p.high - (at < 0n ? p.low : at);
        this.lag.set({ topic: s.topic, group: s.label, partition: String(p.partition) }, Number(lag < 0n ? 0n : lag));
      }
    }
  }

  private async start(reg: Registration): Promise<void> {
    const { options } = reg;
    const topic = physicalTopic(this.options.topicPrefix, TOPICS[options.topic]);
    // The topic prefix names an environment: its groups must not mix with another's on a shared
    // broker (one group over different topics stalls both in rebalances).
    const base = `${this.options.topicPrefix}${options.groupId}`;
    // One process may host several such consumers (tests run replicas side by side): number them.
    const groupId = options.groupPerInstance ? `${base}.${instanceId()}.${++groupSeq}` : base;
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3000, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 3)),
      rebalanceTimeout: 60_000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    let crashed: string | null = null;
    let joined = false;
    consumer.on(consumer.events.CRASH, (e) => {
      crashed = String(e.payload.error);
      // kafkajs restarts a consumer after a retriable error. After any other it stays down, and
      // the process would live on without consuming that topic: exit, as a failed start does, so
      // that it is restarted. Uncommitted batches are fetched again by whoever takes over.
      if (!e.payload.restart && !this.stopping) {
        this.logger.fatal({ topic, groupId, err: e.payload.error }, 'consumer crashed and kafkajs will not restart it; exiting so the process is restarted');
        process.exit(1);
      }
      // A coordinator still starting (a broker just started) is expected and passes by itself.
      const level = isCoordinatorStarting(e.payload.error) ? 'info' : 'error';
      this.logger[level]({ topic, groupId, err: e.payload.error, restart: e.payload.restart }, 'consumer crashed; kafkajs restarts it');
    });
    const positions = options.groupPerInstance ? new Map<number, bigint>() : null;
    const coalescer = new CommitCoalescer(
      this.options.commitIntervalMs ?? 0,
      positions
        ? (offsets) => {
            for (const o of offsets) positions.set(o.partition, BigInt(o.offset));
            return Promise.resolve();
          }
        : (offsets) => consumer.commitOffsets(offsets.map((o) => ({ topic, ...o }))),
      (err) => this.logger.warn({ topic, groupId, err }, 'a coalesced offset commit failed; the offsets stay pending for the next commit'),
    );
    // Batches whose handler left work behind (BatchContext.settleAfter) commit in order as it ends.
    const pending = new PendingCommits(
      MAX_BATCHES_AWAITING_WORK,
      (partition, nextOffset) => coalescer.settled(partition, nextOffset),
      (partition, offset, err) => {
        this.logger.error({ topic, groupId, partition, offset, err }, "a batch's remaining work failed; reading the partition again from that batch");
        try {
          consumer.seek({ topic, partition, offset });
        } catch (seekErr) {
          // Not running any more: the batch stays uncommitted, and the partition's next owner reads it.
          this.logger.warn({ topic, groupId, partition, err: seekErr }, 'could not seek back to a batch whose work failed');
        }
      },
      (err) => this.logger.warn({ topic, groupId, err }, 'committing a batch once its remaining work ended failed; the offset stays pending for the next commit'),
    );
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      crashed = null;
      joined = true;
      pending.newGeneration();
      coalescer.retain(new Set(e.payload.memberAssignment[topic] ?? []));
    });
    // Before the partitions move, what was settled here is committed (best effort: a commit that
    // loses the race with the new generation only means the messages are read again).
    consumer.on(consumer.events.REBALANCING, () => {
      pending.newGeneration();
      coalescer.flush().catch((err: unknown) => this.logger.info({ topic, groupId, err }, 'offsets settled before a rebalance were not committed yet; they stay pending while the partition stays here'));
    });
    this.health.register(`kafka:${options.topic}`, () => {
      if (crashed) throw new Error(`consumer crashed: ${crashed}`);
      if (!joined) throw new Error(`joining consumer group ${groupId}`);
    });
    this.consumers.push({ consumer, topic, commits: coalescer, pending, instanceGroup: positions ? groupId : null });
    this.started.push({ topic, groupId, label: options.groupId, positions, fromEnd: options.fromBeginning === false });
    await consumer.connect();
    // A group with no committed offset starts at the earliest message: starting at the latest would
    // skip whatever arrived before this group's first commit (say, before a crash).
    await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? true });
    const labels = { topic, group: options.groupId };
    const quarantineKey = quarantineTopicOf(options.topic);
    const quarantineTopic = quarantineKey ? physicalTopic(this.options.topicPrefix, TOPICS[quarantineKey]) : null;
    const backoff = this.options.retryBackoff ?? { initialMs: 200, maxMs: 30_000 };
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload;
        if (batch.messages.length === 0) return;
        const end = this.batchSeconds.startTimer(labels);
        const settler = new BatchSettler(reg.handler, options, { topic, group: groupId }, batch, {
          heartbeat: () => payload.heartbeat(),
          isRunning: () => payload.isRunning() && !payload.isStale(),
          onTransient: (failure, attempt, delayMs) => {
            this.retried.inc({ ...labels, reason: failure.code });
            this.logger.warn({ topic, partition: batch.partition, first: batch.firstOffset(), attempt, delayMs, code: failure.code, err: failure.message }, 'a dependency failed; retrying the batch in place');
          },
        }, backoff);
        try {
          const poison = await settler.settle();
          const invalid = poison.filter((p) => p.code === 'validation_failed' || p.code === 'malformed_json').length;
          if (invalid) this.invalidCount.inc(labels, invalid);
          // Committing past poison only once its quarantine copy is acknowledged: nothing is dropped.
          await this.quarantiner.quarantine(poison, { topic, group: options.groupId }, quarantineTopic, settler);
        } catch (err) {
          if (err instanceof BatchAbandoned) {
            this.logger.info({ topic, partition: batch.partition }, 'batch left uncommitted: the consumer is stopping or lost the partition');
            return;
          }
          throw err;
        }
        const last = batch.lastOffset();
        const next = (BigInt(last) + 1n).toString();
        // kafkajs fetches from the resolved offset on; what is committed waits for the work.
        payload.resolveOffset(last);
        if (settler.pendingWork.length > 0 || pending.waiting(batch.partition)) {
          pending.add(batch.partition, batch.firstOffset() ?? last, next, settler.pendingWork);
          await pending.room(batch.partition);
        } else await coalescer.settled(batch.partition, next);
        this.logger.debug({ topic, partition: batch.partition, first: batch.firstOffset(), last, count: batch.messages.length }, 'batch settled');
        this.processed.inc(labels, batch.messages.length);
        end();
      },
    });
    this.logger.info({ topic, groupId, consumer: reg.name }, 'consuming');
  }
}
