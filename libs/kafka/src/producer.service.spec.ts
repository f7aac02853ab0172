import { describe, expect, it } from '@jest/globals';
import { Metrics } from '@hookstream/platform';
import type { Kafka, Producer, ProducerBatch } from 'kafkajs';
import { KafkaProducer, TopicNotWritableError } from './producer.service.js';

/**
 * A client whose producer only records what it would send, failing the sends (counted from 1)
 * that `fail` picks: what the broker would do is not the question here.
 */
function recordingKafka(sent: string[], fail: (n: number) => boolean = () => false): Kafka {
  let sends = 0;
  const producer = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    sendBatch: (batch: ProducerBatch) => {
      if (fail(++sends)) return Promise.reject(Object.assign(new Error('Closed connection'), { name: 'KafkaJSConnectionClosedError' }));
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
    await producer.sendRaw('p.hookstream.retries.quarantine', [{ key: Buffer.from('k'), value: Buffer.from('x'), headers: [] }]);
    expect(sent).toEqual(['p.hookstream.deliveries', 'p.hookstream.dlq', 'p.hookstream.retries.quarantine']);
  });

  it('refuses any other topic before anything is sent, naming the service', async () => {
    const sent: string[] = [];
    const producer = new KafkaProducer(recordingKafka(sent), options, new Metrics());
    await expect(producer.sendMany([{ topic: 'deliveries', messages: [{ key: 'k', value: {} }] }, { topic: 'subscriptions', messages: [{ key: 'k', value: {} }] }])).rejects.toThrow(
      new TopicNotWritableError('p.hookstream.subscriptions', 'retry-scheduler'),
    );
    await expect(producer.sendRaw('p.hookstream.events', [{ key: Buffer.from('k'), value: Buffer.from('x'), headers: [] }])).rejects.toThrow(TopicNotWritableError);
    expect(sent).toEqual([]);
  });

  it('lets a module that declares nothing (tests, tools) send anywhere', async () => {
    const sent: string[] = [];
    const producer = new KafkaProducer(recordingKafka(sent), { clientId: 'tool', brokers: [], topicPrefix: '', consumes: [] }, new Metrics());
    await producer.send('subscriptions', [{ key: 'k', value: null }]);
    expect(sent).toEqual(['hookstream.subscriptions']);
  });
});

describe('KafkaProducer after a failed send', () => {
  const options = { clientId: 'gateway', brokers: [], topicPrefix: '', consumes: [], produceRetry: { attempts: 4, initialMs: 1, maxMs: 2 } };

  it('sends the failed request again, whole', async () => {
    const sent: string[] = [];
    const kafka = recordingKafka(sent, (n) => n === 2);
    const producer = new KafkaProducer(kafka, options, new Metrics());
    await producer.onModuleInit();
    await producer.send('events', [{ key: 'a', value: 1 }]);
    await producer.send('events', [{ key: 'b', value: 2 }]);
    expect(sent).toEqual(['hookstream.events', 'hookstream.events']);
  });

  it('gives up after its tries and tells the caller', async () => {
    let tries = 0;
    const kafka = recordingKafka([], () => {
      tries += 1;
      return true;
    });
    const producer = new KafkaProducer(kafka, options, new Metrics());
    await expect(producer.send('events', [{ key: 'a', value: 1 }])).rejects.toThrow('Closed connection');
    expect(tries).toBe(4);
  });

  it('does not send again what the broker refused for its content', async () => {
    const tooLarge = Object.assign(new Error('too large'), { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE' });
    let tries = 0;
    const kafka = { producer: () => ({ connect: () => Promise.resolve(), sendBatch: () => Promise.reject(Object.assign(tooLarge, { tries: ++tries })) }) } as unknown as Kafka;
    const producer = new KafkaProducer(kafka, options, new Metrics());
    await expect(producer.send('events', [{ key: 'a', value: 1 }])).rejects.toBe(tooLarge);
    expect(tries).toBe(1);
  });
});
