import { randomUUID } from 'node:crypto';
import { childTraceparent, type DeliveryMessage, HEADERS, SCHEMA_VERSION } from '@hookstream/contracts';
import { CompressionTypes } from 'kafkajs';
import { epochMs, sleep } from '../harness/clock.ts';
import { bodyOf, makeEnvelope } from '../harness/publisher.ts';
import type { Scenario } from '../harness/scenario.ts';

/**
 * (b) What Kafka and kafkajs alone can do: messages the size of a hookstream.deliveries message,
 * produced as the services produce (idempotent, acks=all, one request in flight, batches of up
 * to 1,000) and consumed as they consume (batches, three partitions at a time, a commit per
 * batch), on a topic with as many partitions as hookstream.deliveries.
 */
export const kafkaCeiling: Scenario = {
  name: 'kafka_ceiling',
  title: '(b) raw Kafka ceiling: kafkajs produce → consume, delivery-message size',
  async run({ system, options }) {
    const { kafka } = system.stack;
    const topic = `${system.stack.topicPrefix}bench.kafka-ceiling`;
    const n = options.sizes.kafkaMessages;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: system.partitions.deliveries, replicationFactor: -1 }] });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    const consumer = kafka.consumer({
      groupId: `bench-ceiling-${randomUUID()}`,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      rebalanceTimeout: 60_000,
      maxBytesPerPartition: 1024 * 1024,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    try {
      const eventPrefix = `evt_${system.runTag}_kafka_`;
      const body = bodyOf(makeEnvelope(`${eventPrefix}0`, 'bench.kafka', 'bench', options.bodyBytes, 0));
      const subscriptions = Array.from({ length: 96 }, () => randomUUID());
      const message = (i: number) => {
        const value: DeliveryMessage = {
          delivery_id: randomUUID(),
          tenant_id: 'bench',
          subscription_id: subscriptions[i % subscriptions.length] ?? '',
          event_id: `${eventPrefix}${i}`,
          event_type: 'bench.kafka',
          attempt: 1,
          generation: 0,
          body,
          origin: 'fanout',
          first_attempt_at: new Date().toISOString(),
        };
        return { key: value.subscription_id, value: JSON.stringify(value), headers: { [HEADERS.schemaVersion]: String(SCHEMA_VERSION), [HEADERS.traceparent]: childTraceparent(null) } };
      };
      const seen = new Uint8Array(n);
      let consumed = 0;
      let duplicates = 0;
      let lastAt = 0;
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 3,
        eachBatch: async (payload) => {
          const { batch } = payload;
          for (const m of batch.messages) {
            const v = JSON.parse(m.value?.toString('utf8') ?? '{}') as DeliveryMessage;
            const i = Number(v.event_id.slice(eventPrefix.length));
            if (seen[i]) duplicates++;
            else consumed++;
            seen[i] = 1;
          }
          lastAt = epochMs();
          const last = batch.lastOffset();
          payload.resolveOffset(last);
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        },
      });
      await joined;
      await producer.connect();
      const window = system.meter.start();
      const started = epochMs();
      for (let from = 0; from < n; from += 1000) {
        const messages = Array.from({ length: Math.min(1000, n - from) }, (_, k) => message(from + k));
        await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
      }
      const produced = epochMs();
      let movedAt = Date.now();
      let last = -1;
      while (consumed < n && Date.now() - movedAt < options.stallMs) {
        if (consumed !== last) {
          last = consumed;
          movedAt = Date.now();
        }
        await sleep(50);
      }
      const usage = window.stop();
      if (consumed < n) throw new Error(`stalled: ${consumed} of ${n} messages consumed, none for ${options.stallMs / 1000} s`);
      return {
        figures: {
          end_to_end_per_s: (n * 1000) / (lastAt - started),
          produce_per_s: (n * 1000) / (produced - started),
          messages: n,
          message_bytes: Buffer.byteLength(message(0).value),
          duplicates,
        },
        usage,
      };
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  },
};
