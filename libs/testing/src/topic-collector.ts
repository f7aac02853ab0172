import { randomUUID } from 'node:crypto';
import type { TestStack } from './stack.js';

export interface TopicCollector<T> {
  readonly values: T[];
  /** How many collected values equal `value` (by `===`). */
  count(value: T): number;
  stop(): Promise<void>;
}

/**
 * Reads a topic of the test stack from the beginning in its own consumer group and keeps what
 * `pick` returns for each message (tombstones and unreadable messages give `pick` null).
 */
export async function collectTopic<T>(stack: TestStack, topic: string, pick: (value: unknown, key: string | null) => T | undefined): Promise<TopicCollector<T>> {
  const values: T[] = [];
  // A short fetch wait: disconnect waits out the fetch in hand, 5 s with kafkajs's default.
  const consumer = stack.kafka.consumer({ groupId: `collector-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: `${stack.topicPrefix}${topic}`, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      let value: unknown = null;
      try {
        value = message.value ? (JSON.parse(message.value.toString()) as unknown) : null;
      } catch {
        value = message.value?.toString() ?? null;
      }
      const picked = pick(value, message.key?.toString() ?? null);
      if (picked !== undefined) values.push(picked);
      return Promise.resolve();
    },
  });
  return {
    values,
    count: (v) => values.filter((x) => x === v).length,
    stop: () => consumer.disconnect(),
  };
}

/** The `id` of an event message, for collectors of hookstream.events. */
export const eventId = (value: unknown): string | undefined => (value as { id?: string } | null)?.id;
