import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
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
export async function collectTopic<T>(stack: TestStack, topic: string, pick: (value: unknown, key: string | null, message: KafkaMessage) => T | undefined): Promise<TopicCollector<T>> {
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
      const picked = pick(value, message.key?.toString() ?? null, message);
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

/** A quarantined message as tests read it: its `hs-quarantine-*` headers (without the prefix) and its original value. */
export interface QuarantinedView {
  code: string;
  reason: string;
  details: unknown;
  source: { topic: string; partition: number; offset: string };
  tenantId: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export function quarantinedView(message: KafkaMessage): QuarantinedView {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
  return {
    code: headers['hs-quarantine-code'] ?? '',
    reason: headers['hs-quarantine-reason'] ?? '',
    details: JSON.parse(headers['hs-quarantine-details'] ?? 'null') as unknown,
    source: { topic: headers['hs-quarantine-source-topic'] ?? '', partition: Number(headers['hs-quarantine-source-partition']), offset: headers['hs-quarantine-source-offset'] ?? '' },
    tenantId: headers['hs-quarantine-tenant-id'] ?? null,
    value: message.value,
    headers,
  };
}
