import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KafkaProducer, MAX_REQUEST_BYTES } from '@hookstream/kafka';
import { Metrics } from '@hookstream/platform';
import { collectTopic, createTestStack, type TestStack, waitFor } from '@hookstream/testing';

/**
 * The producer against the real broker: what a batch-at-a-time service produces after a backlog
 * (thousands of messages with one key, so one partition) and the largest event it may carry.
 */
describe('KafkaProducer', () => {
  let stack: TestStack;
  let producer: KafkaProducer;

  beforeAll(async () => {
    stack = await createTestStack('producer');
    producer = new KafkaProducer(stack.kafka, { clientId: 'producer-test', brokers: stack.brokers, topicPrefix: stack.topicPrefix, consumes: [] }, new Metrics());
    await producer.onModuleInit();
  }, 60_000);

  afterAll(async () => {
    await producer?.onModuleDestroy();
    await stack?.close();
  });

  it('sends a batch far over the broker’s 1 MiB record batch limit, in order, as requests it accepts', async () => {
    const run = randomBytes(4).toString('hex');
    const messages = Array.from({ length: 3000 }, (_, i) => ({ key: 'one-tenant', value: { run, i, pad: 'x'.repeat(1000) } }));
    // 3 MiB for one partition: a single request would be refused as "larger than the max message size".
    expect(3000 * 1000).toBeGreaterThan(2 * 1024 * 1024);
    const seen = await collectTopic(stack, 'hookstream.delivery-status', (v) => ((v as { run?: string }).run === run ? (v as { i: number }).i : undefined));
    try {
      await producer.sendMany([{ topic: 'deliveryStatus', messages }]);
      await waitFor(() => seen.values.length === 3000, 30_000, 'all 3,000 messages');
      expect(seen.values).toEqual(messages.map((_, i) => i));
    } finally {
      await seen.stop();
    }
  });

  it('carries one event larger than a request (a 3 MiB event on hookstream.events)', async () => {
    const big = { id: `big_${randomBytes(4).toString('hex')}`, data: 'y'.repeat(3 * 1024 * 1024) };
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(MAX_REQUEST_BYTES);
    const seen = await collectTopic(stack, 'hookstream.events', (v) => ((v as { id?: string }).id === big.id ? (v as { data: string }).data.length : undefined));
    try {
      await producer.sendMany([{ topic: 'events', messages: [{ key: 't', value: { id: 'small-before' } }, { key: 't', value: big }, { key: 't', value: { id: 'small-after' } }] }]);
      await waitFor(() => seen.values.length === 1, 30_000, 'the 3 MiB event');
      expect(seen.values).toEqual([3 * 1024 * 1024]);
    } finally {
      await seen.stop();
    }
  });
});
