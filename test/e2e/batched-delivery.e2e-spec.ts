import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { FeedPage } from '@hookstream/contracts';
import { type ReceivedRequest, usePipeline, waitFor } from '@hookstream/testing';
import { runCli } from './cli-process.js';

/**
 * Batched delivery end to end, the five services as processes: the CLI turns batching on, events
 * published over HTTP arrive as signed JSON arrays within the bounds, a failed batch comes back
 * whole, the feed shows each event delivered, and `--off` goes back to one event per request.
 */
describe('batched delivery (five services)', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  /** Batch ids the receiver has failed once. */
  const failed = new Set<string>();
  const fx = usePipeline('batched', {
    receiver: {
      secret,
      respond: (req) => {
        const id = String(req.headers['webhook-id']);
        if (req.path === '/flaky' && !failed.has(id)) {
          failed.add(id);
          return { status: 502, body: 'bad gateway' };
        }
        return { status: 200, body: 'ok' };
      },
    },
    env: { dispatcher: { RETRY_DELAYS: '1s' }, 'retry-scheduler': { MAX_IDLE_SLEEP_MS: '200' } },
  });

  const envelopes = (r: ReceivedRequest) => JSON.parse(r.body) as { id: string; type: string; data: { n: number } }[];
  const at = (path: string) => fx.receiver.requests.filter((r) => r.path === path);

  async function publishMany(apiKey: string, run: string, count: number): Promise<string[]> {
    const events = Array.from({ length: count }, (_, n) => ({ id: `evt_${run}_${n}`, type: 'order.placed', occurred_at: new Date().toISOString(), data: { n } }));
    for (let i = 0; i < events.length; i += 100) {
      const res = await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events/batch', apiKey, { events: events.slice(i, i + 100) });
      expect(res.status).toBeLessThan(300);
    }
    return events.map((e) => e.id);
  }

  it('turns batching on from the CLI, delivers 250 events as signed arrays of at most 100, and back to single requests with --off', async () => {
    const { apiKey } = await fx.pipeline.createTenant();
    const created = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/batched`, event_types: ['order.*'], secret });
    expect(created.status).toBe(201);
    const sub = created.body.id;
    const env = { HOOKSTREAM_API_KEY: apiKey, HOOKSTREAM_DLQ_URL: fx.pipeline.url('dlq-inspector'), HOOKSTREAM_REGISTRY_URL: fx.pipeline.url('subscription-registry') };
    const on = await runCli(['subscriptions', 'batch', sub, '--max-events', '100', '--max-wait-ms', '500'], env);
    expect(on.stderr).toBe('');
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('up to 100 events and 1048576 bytes per signed request');
    const refused = await runCli(['subscriptions', 'batch', sub, '--max-events', '5000'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('batch.max_events');

    // The dispatcher has the setting once a probe arrives as an array.
    await waitFor(async () => {
      const [probe] = await publishMany(apiKey, `probe_${randomUUID().slice(0, 8)}`, 1);
      const r = await fx.receiver.waitForRequests(1, 10_000, (x) => x.body.includes(probe ?? '-'));
      return r.some((x) => x.body.startsWith('[')) || undefined;
    }, 60_000, 'batching to reach the dispatcher', 0);

    const run = randomUUID().slice(0, 8);
    const ids = await publishMany(apiKey, run, 250);
    const mine = (r: ReceivedRequest) => r.body.includes(`evt_${run}_`);
    await waitFor(() => at('/batched').filter(mine).reduce((n, r) => n + envelopes(r).length, 0) >= 250, 60_000, 'all 250 events at the receiver');
    const requests = at('/batched').filter(mine);
    for (const r of requests) {
      expect(r.signatureValid).toBe(true);
      expect(envelopes(r).length).toBeLessThanOrEqual(100);
      expect(Number(r.headers['webhook-batch-size'])).toBe(envelopes(r).length);
    }
    expect(requests.flatMap((r) => envelopes(r).map((e) => e.id)).sort()).toEqual([...ids].sort());
    // 250 in at most a handful of requests, not 250.
    expect(requests.length).toBeLessThanOrEqual(10);

    // The feed lists each event on its own, delivered.
    const items = [];
    let after = '';
    for (;;) {
      const page = await fx.pipeline.call<FeedPage>('dlq-inspector', 'GET', `/v1/subscriptions/${sub}/events?limit=1000${after ? `&after=${after}` : ''}`, apiKey);
      items.push(...page.body.data.filter((i) => i.event.id.startsWith(`evt_${run}_`)));
      after = page.body.next_cursor;
      if (!page.body.has_more) break;
    }
    expect(items).toHaveLength(250);
    expect(items.every((i) => i.delivery.status === 'delivered' && i.delivery.attempts === 1)).toBe(true);

    const off = await runCli(['subscriptions', 'batch', sub, '--off', '--json'], env);
    expect(JSON.parse(off.stdout)).toMatchObject({ id: sub, batch: null });
    await waitFor(async () => {
      const [probe] = await publishMany(apiKey, `single_${randomUUID().slice(0, 8)}`, 1);
      const r = await fx.receiver.waitForRequests(1, 10_000, (x) => x.body.includes(probe ?? '-'));
      return r.some((x) => x.body.startsWith('{')) || undefined;
    }, 60_000, 'single requests again', 0);
  });

  it('retries a failed batch whole, with the same webhook-id, and records two attempts per event', async () => {
    const { apiKey } = await fx.pipeline.createTenant();
    const created = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, {
      url: `${fx.receiver.url}/flaky`,
      event_types: ['order.*'],
      secret,
      batch: { max_events: 20, max_wait_ms: 1000 },
    });
    expect(created.status).toBe(201);
    const run = randomUUID().slice(0, 8);
    const ids = await publishMany(apiKey, run, 20);
    const mine = (r: ReceivedRequest) => r.body.includes(`evt_${run}_`);
    await waitFor(() => at('/flaky').filter(mine).filter((r) => failed.has(String(r.headers['webhook-id']))).length >= 2 || undefined, 60_000, 'the batch and its retry');
    const requests = at('/flaky').filter(mine);
    const byBatch = new Map<string, ReceivedRequest[]>();
    for (const r of requests) byBatch.set(String(r.headers['webhook-id']), [...(byBatch.get(String(r.headers['webhook-id'])) ?? []), r]);
    // Every batch that failed came back once, with the same events; together they carry all 20.
    for (const [, tries] of byBatch) {
      expect(tries).toHaveLength(2);
      expect(envelopes(tries[1]).map((e) => e.id)).toEqual(envelopes(tries[0]).map((e) => e.id));
    }
    expect([...byBatch.values()].flatMap((t) => envelopes(t[0]).map((e) => e.id)).sort()).toEqual([...ids].sort());

    const delivery = await waitFor(async () => {
      const list = await fx.pipeline.call<{ data: { id: string; status: string; attempts: number }[] }>('dlq-inspector', 'GET', `/v1/deliveries?subscription_id=${created.body.id}&limit=100`, apiKey);
      return list.body.data.length === 20 && list.body.data.every((d) => d.status === 'delivered') ? list.body.data : undefined;
    }, 30_000, 'all 20 delivered');
    expect(delivery.every((d) => d.attempts === 2)).toBe(true);
  });
});
