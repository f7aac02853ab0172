import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, eventId, freePort, seedTenantKey, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';

/**
 * Redis dies in the middle of a publishing run and comes back empty. The gateway's own Redis
 * is a private redis-server on a free port, so stopping it touches nothing else.
 */
describe('ingress-gateway through a Redis outage', () => {
  let stack: TestStack;
  let redisPort: number;
  let redis: ChildProcess | null = null;
  let gateway: ServiceProcess;
  let key: string;
  let published: TopicCollector<string>;

  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = connect(redisPort, '127.0.0.1', () => {
            socket.end();
            resolve(true);
          });
          socket.on('error', () => resolve(false));
        }),
      10_000,
      'redis to listen',
    );
  };
  const killRedis = async () => {
    const r = redis;
    redis = null;
    if (!r) return;
    r.kill('SIGKILL');
    await new Promise((resolve) => r.once('exit', resolve));
  };

  beforeAll(async () => {
    stack = await createTestStack('redisoutage');
    redisPort = await freePort();
    await startRedis();
    gateway = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    gateway.start();
    await gateway.waitReady();
    key = await seedTenantKey(stack, 'outage-acme');
    published = await collectTopic(stack, 'hookstream.events', eventId);
  }, 120_000);

  afterAll(async () => {
    await published?.stop();
    await gateway?.stop();
    await killRedis();
    await stack?.close();
  });

  const publish = async (id: string) => {
    const res = await fetch(`${gateway.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id, type: 'order.placed', occurred_at: '2026-11-22T10:00:00Z', data: { id } }),
    });
    return res.status;
  };

  it('accepts every event once and publishes none twice while Redis stops and returns empty', async () => {
    const ids = Array.from({ length: 150 }, () => `evt_${randomUUID()}`);
    const statuses: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      if (i === 50) await killRedis();
      if (i === 100) await startRedis();
      // Each event twice: the second is a producer's retry and must be a duplicate.
      const id = ids[i] ?? '';
      statuses.push(await publish(id), await publish(id));
    }
    // And once more, all of them, against the now-empty Redis.
    for (const id of ids) statuses.push(await publish(id));

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 202)).toHaveLength(ids.length);
    await waitFor(() => ids.every((id) => published.count(id) > 0), 30_000, 'every event on hookstream.events');
    await new Promise((r) => setTimeout(r, 1500));
    expect(ids.filter((id) => published.count(id) !== 1)).toEqual([]);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/hookstream_dedup_redis_fallback_total [1-9]/);
  }, 120_000);
});
