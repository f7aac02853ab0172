import { describe, expect, it } from '@jest/globals';
import type { Batch, KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import type { BatchContext, BatchHandler, ConsumedMessage } from './batch-handler.js';
import { BatchAbandoned, BatchSettler } from './batch-settler.js';

const schema = z.object({ n: z.number().int(), tenant_id: z.string().optional() });
type Msg = z.infer<typeof schema>;

function batchOf(values: Array<string | null>): Batch {
  const messages: KafkaMessage[] = values.map((v, i) => ({ offset: String(100 + i), key: Buffer.from('k'), value: v === null ? null : Buffer.from(v), headers: { h: Buffer.from('x') }, timestamp: '1', attributes: 0, size: 0 }) as unknown as KafkaMessage);
  return { partition: 2, messages, lastOffset: () => String(100 + values.length - 1) } as unknown as Batch;
}

const control = (running = () => true) => ({ heartbeat: () => Promise.resolve(), isRunning: running, onTransient: () => undefined });
const backoff = { initialMs: 1, maxMs: 2 };
const deterministic = () => Object.assign(new Error('date/time field value out of range'), { code: '22008' });

/** A handler that, like a Postgres insert of the whole batch, fails when any message in it is poison. */
class Recorder implements BatchHandler<Msg> {
  calls: number[][] = [];
  done: number[] = [];
  constructor(private readonly fails: (m: Msg) => Error | null) {}
  handleBatch(messages: ConsumedMessage<Msg>[], _ctx: BatchContext): Promise<void> {
    this.calls.push(messages.map((m) => m.value.n));
    const err = messages.map((m) => this.fails(m.value)).find((e) => e !== null);
    if (err) return Promise.reject(err);
    this.done.push(...messages.map((m) => m.value.n));
    return Promise.resolve();
  }
}

const values = (count: number) => Array.from({ length: count }, (_, n) => JSON.stringify({ n, tenant_id: 'acme' }));

describe('BatchSettler', () => {
  it('bisects to the two poison messages of a batch, quarantines only them and handles every other message', async () => {
    const handler = new Recorder((m) => (m.n === 7 || m.n === 9 ? deterministic() : null));
    const poison = await new BatchSettler(handler, { topic: 'events', groupId: 'g', schema }, { topic: 't', group: 'g' }, batchOf(values(20)), control(), backoff).settle();
    expect(poison.map((p) => [p.message.offset, p.code, p.tenantId])).toEqual([
      ['107', 'pg_22008', 'acme'],
      ['109', 'pg_22008', 'acme'],
    ]);
    expect(handler.done).toEqual(Array.from({ length: 20 }, (_, n) => n).filter((n) => n !== 7 && n !== 9));
  });

  it('quarantines undecodable and schema-invalid messages without showing them to the handler', async () => {
    const handler = new Recorder(() => null);
    const poison = await new BatchSettler(handler, { topic: 'events', groupId: 'g', schema }, { topic: 't', group: 'g' }, batchOf(['{"n":0}', 'not json', null, '{"n":"x","tenant_id":"beta"}', '{"n":4}']), control(), backoff).settle();
    expect(poison.map((p) => [p.message.offset, p.code, p.tenantId])).toEqual([
      // hookstream.events is keyed by tenant id: an unreadable value is the key's tenant's.
      ['101', 'malformed_json', 'k'],
      ['102', 'malformed_json', 'k'],
      ['103', 'validation_failed', 'beta'],
    ]);
    expect(handler.calls).toEqual([[0, 4]]);
  });

  it('checks the JSON text of public input before parsing it: depth, duplicate keys, numbers JSON.parse would change', async () => {
    const handler = new Recorder(() => null);
    const deep = `{"n":1,"d":${'['.repeat(100)}${']'.repeat(100)}}`;
    const values = ['{"n":0}', deep, '{"n":2,"n":3}', '{"n":9007199254740993}', '{"n":1e400}', '{"n":5}'];
    const poison = await new BatchSettler(handler, { topic: 'ingest', groupId: 'g', schema, inspectText: true }, { topic: 't', group: 'g' }, batchOf(values), control(), backoff).settle();
    expect(poison.map((p) => [p.message.offset, p.code])).toEqual([
      ['101', 'validation_failed'],
      ['102', 'validation_failed'],
      ['103', 'validation_failed'],
      ['104', 'validation_failed'],
    ]);
    expect(handler.calls).toEqual([[0, 5]]);
    // Without the option (topics our own services produce) the same text is only parsed.
    const lenient = await new BatchSettler(new Recorder(() => null), { topic: 'events', groupId: 'g', schema }, { topic: 't', group: 'g' }, batchOf(['{"n":2,"n":3}']), control(), backoff).settle();
    expect(lenient).toEqual([]);
  });

  it("quarantines a value over the handler's maxValueBytes unread, as payload_too_large, and handles the rest", async () => {
    const handler = Object.assign(new Recorder(() => null), { maxValueBytes: 64 });
    // Over the limit and not JSON either: the size refuses it before anything parses it.
    const big = `{"n":1,"pad":"${'x'.repeat(100)}`;
    const poison = await new BatchSettler(handler, { topic: 'ingest', groupId: 'g', schema, inspectText: true }, { topic: 't', group: 'g' }, batchOf(['{"n":0}', big, '{"n":2}']), control(), backoff).settle();
    expect(poison.map((p) => [p.message.offset, p.code, p.reason])).toEqual([['101', 'payload_too_large', `invalid message: the value is ${big.length} bytes; this topic takes at most 64`]]);
    expect(handler.calls).toEqual([[0, 2]]);
  });

  it('retries a dependency failure in place, in order, quarantining nothing', async () => {
    let failures = 3;
    // The dependency is down for the first three calls, whatever the batch holds.
    const handler = new Recorder((m) => (m.n === 0 && failures-- > 0 ? Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) : null));
    const retries: number[] = [];
    const poison = await new BatchSettler(handler, { topic: 'events', groupId: 'g', schema }, { topic: 't', group: 'g' }, batchOf(values(5)), { ...control(), onTransient: (_f, attempt) => retries.push(attempt) }, backoff).settle();
    expect(poison).toEqual([]);
    expect(retries).toEqual([0, 1, 2]);
    expect(handler.calls).toEqual(Array.from({ length: 4 }, () => [0, 1, 2, 3, 4]));
    expect(handler.done).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives the batch up, uncommitted, when the consumer stops while a dependency is down', async () => {
    const handler = new Recorder(() => new Error('Connection terminated unexpectedly'));
    const settler = new BatchSettler(handler, { topic: 'events', groupId: 'g', schema }, { topic: 't', group: 'g' }, batchOf(values(3)), control(() => false), backoff);
    await expect(settler.settle()).rejects.toBeInstanceOf(BatchAbandoned);
  });

  it('throws a lost group membership on to kafkajs at once, so that it rejoins, instead of retrying in place', async () => {
    // What kafkajs throws from a heartbeat after the group's coordinator moved to another broker.
    const moved = () => Object.assign(new Error('This is not the correct coordinator for this group'), { name: 'KafkaJSProtocolError', type: 'NOT_COORDINATOR_FOR_GROUP', retriable: true });
    const handler = new Recorder(() => moved());
    const retries: number[] = [];
    const settler = new BatchSettler(handler, { topic: 'events', groupId: 'g', schema }, { topic: 't', group: 'g' }, batchOf(values(4)), { ...control(), onTransient: (_f, attempt) => retries.push(attempt) }, backoff);
    await expect(settler.settle()).rejects.toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP' });
    expect(retries).toEqual([]);
    expect(handler.calls).toEqual([[0, 1, 2, 3]]);
  });

  it('stops waiting out a dependency when a heartbeat says the membership is gone', async () => {
    const handler = new Recorder(() => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const rebalancing = Object.assign(new Error('The group is rebalancing'), { name: 'KafkaJSProtocolError', type: 'REBALANCE_IN_PROGRESS' });
    const settler = new BatchSettler(handler, { topic: 'events', groupId: 'g', schema }, { topic: 't', group: 'g' }, batchOf(values(2)), { ...control(), heartbeat: () => Promise.reject(rebalancing) }, { initialMs: 1500, maxMs: 1500 });
    await expect(settler.settle()).rejects.toBe(rebalancing);
    expect(handler.calls).toHaveLength(1);
  });

  it('publishes refusals only from calls that succeed', async () => {
    const handler: BatchHandler<Msg> = {
      handleBatch(messages, ctx) {
        for (const m of messages) if (m.value.n === 1) ctx.quarantine(m, 'payload_too_large', [{ path: '(root)', message: 'too big' }]);
        if (messages.some((m) => m.value.n === 3)) return Promise.reject(deterministic());
        return Promise.resolve();
      },
    };
    const poison = await new BatchSettler(handler, { topic: 'events', groupId: 'g', schema }, { topic: 't', group: 'g' }, batchOf(values(4)), control(), backoff).settle();
    expect(poison.map((p) => [p.message.offset, p.code, p.reason])).toEqual([
      ['101', 'payload_too_large', 'payload_too_large: (root): too big'],
      ['103', 'pg_22008', 'date/time field value out of range'],
    ]);
  });
});
