import { describe, expect, it } from '@jest/globals';
import { Metrics } from '@hookstream/platform';
import type { Kafka, Producer, ProducerBatch } from 'kafkajs';
import { KafkaProducer, TopicNotWritableError } from './producer.service.js';

/** A client whose producer only records what it would send: the refusal is decided before it. */
function recordingKafka(sent: string[]): Kafka {
  const producer = {
    sendBatch: (batch: ProducerBatch) => {
      for (const t of batch.topicMessages ?? []) sent.push(t.topic);
      return Promise.resolve([]);
    },
  } as unknown as Producer;
  return { producer: () => producer } as unknown as Kafka;
}

describe('KafkaProducer topic grants', () => {
  const options = { clientId: 'retry-scheduler', brokers: [], topicPrefix: 'p.', consumes: ['retries'] as const, produces: ['deliveries', 'dlq'] as const };

  it('sends to its declared topics and the quarantine topic of what it consumes', async () => {
    const sent: string[] = [];
    const producer = new KafkaProducer(recordingKafka(sent), options, new Metrics());
    await producer.sendMany([{ topic: 'deliveries', messages: [{ key: 'k', value: {} }] }, { topic: 'dlq', messages: [{ key: 'k', value: {} }] }]);
    await producer.sendRaw('p.hookstream.retries.quarantine', [{ key: 'k', value: Buffer.from('x') }]);
    expect(sent).toEqual(['p.hookstream.deliveries', 'p.hookstream.dlq', 'p.hookstream.retries.quarantine']);
  });

  it('refuses any other topic before anything is sent, naming the service', async () => {
    const sent: string[] = [];
    const producer = new KafkaProducer(recordingKafka(sent), options, new Metrics());
    await expect(producer.sendMany([{ topic: 'deliveries', messages: [{ key: 'k', value: {} }] }, { topic: 'subscriptions', messages: [{ key: 'k', value: {} }] }])).rejects.toThrow(
      new TopicNotWritableError('p.hookstream.subscriptions', 'retry-scheduler'),
    );
    await expect(producer.sendRaw('p.hookstream.events', [{ key: 'k', value: Buffer.from('x') }])).rejects.toThrow(TopicNotWritableError);
    expect(sent).toEqual([]);
  });

  it('lets a module that declares nothing (tests, tools) send anywhere', async () => {
    const sent: string[] = [];
    const producer = new KafkaProducer(recordingKafka(sent), { clientId: 'tool', brokers: [], topicPrefix: '', consumes: [] }, new Metrics());
    await producer.send('subscriptions', [{ key: 'k', value: null }]);
    expect(sent).toEqual(['hookstream.subscriptions']);
  });
});
