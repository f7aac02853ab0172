import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { CreatedReplayJob, FeedItem, FeedPage, ReplayJobView } from '@hookstream/contracts';
import { type ReceivedRequest, usePipeline, waitFor } from '@hookstream/testing';
import { runCli } from './cli-process.js';

/**
 * The catch-up feed and recover end to end, the five services as processes: what matched while a
 * subscription was disabled is in its feed, recover re-sends it, and an ordered subscription's
 * events wait in their keys while it is disabled and go out in order once it is enabled.
 */
describe('the catch-up feed and recover (five services)', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  // The ordered endpoint is slow, so draining its backlog spans several backlog checks.
  const fx = usePipeline('catchup', {
    receiver: { secret, respond: async (req) => (req.path === '/ordered' ? new Promise((r) => setTimeout(() => r({ status: 200, body: 'ok' }), 300)) : { status: 200, body: 'ok' }) },
    env: {
      dispatcher: { ORDERED_RELEASE_AFTER_MS: '500', LEASE_SWEEP_INTERVAL_MS: '250' },
      'subscription-registry': { ORDERING_BACKLOG_CHECK_MS: '200' },
      'dlq-inspector': { REPLAY_JOB_POLL_MS: '200' },
    },
  });

  async function subscribe(apiKey: string, path: string, fields: Record<string, unknown> = {}): Promise<string> {
    const res = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}${path}`, event_types: ['order.*'], secret, ...fields });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function setEnabled(apiKey: string, id: string, enabled: boolean): Promise<void> {
    expect((await fx.pipeline.call('subscription-registry', 'PATCH', `/v1/subscriptions/${id}`, apiKey, { enabled })).status).toBe(200);
  }

  async function publish(apiKey: string, id: string, data: Record<string, unknown>, orderingKey?: string): Promise<string> {
    const res = await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, { id, type: 'order.placed', occurred_at: new Date().toISOString(), data, ...(orderingKey ? { ordering_key: orderingKey } : {}) });
    expect(res.status).toBe(202);
    return id;
  }

  async function feed(apiKey: string, subscriptionId: string): Promise<FeedItem[]> {
    const items: FeedItem[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await fx.pipeline.call<FeedPage>('dlq-inspector', 'GET', `/v1/subscriptions/${subscriptionId}/events?limit=3${after ? `&after=${after}` : ''}`, apiKey);
      expect(page.status).toBe(200);
      items.push(...page.body.data);
      after = page.body.next_cursor;
      if (!page.body.has_more) return items;
    }
  }

  /** Publishes probes until one is in the feed with `status`: the dispatcher has seen the subscription's change. */
  async function probeUntil(apiKey: string, subscriptionId: string, status: FeedItem['delivery']['status'], probes: string[]): Promise<void> {
    await waitFor(
      async () => {
        const id = await publish(apiKey, `evt_probe_${randomUUID()}`, { probe: true });
        probes.push(id);
        return (await waitFor(async () => (await feed(apiKey, subscriptionId)).find((i) => i.event.id === id && i.delivery.status !== 'pending'), 10_000, 'the probe to settle', 100)).delivery.status === status || undefined;
      },
      60_000,
      `a probe to end ${status}`,
      0,
    );
  }

  const ids = (requests: readonly ReceivedRequest[], path: string) => requests.filter((r) => r.path === path).map((r) => String(r.headers['webhook-id']));

  it('records what matched while disabled as dead letters in the feed, and recover re-sends them once enabled', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const sub = await subscribe(apiKey, '/plain');
    const run = randomUUID().slice(0, 8);
    const before = [await publish(apiKey, `evt_a_${run}`, { n: 1 }), await publish(apiKey, `evt_b_${run}`, { n: 2 })];
    await fx.receiver.waitForRequests(2, 30_000, (r) => r.path === '/plain');

    const disabledAt = new Date().toISOString();
    await setEnabled(apiKey, sub, false);
    const probes: string[] = [];
    await probeUntil(apiKey, sub, 'dead', probes);
    const during: string[] = [];
    for (let n = 3; n <= 5; n++) during.push(await publish(apiKey, `evt_c${n}_${run}`, { n }));

    // In the feed, in the order published, with why they were not sent.
    const whileDisabled = await waitFor(
      async () => {
        const items = await feed(apiKey, sub);
        const mine = items.filter((i) => during.includes(i.event.id));
        return mine.length === during.length && mine.every((i) => i.delivery.status === 'dead') ? items : undefined;
      },
      30_000,
      'the events published while disabled to be dead letters in the feed',
    );
    const order = whileDisabled.map((i) => i.event.id).filter((id) => !probes.includes(id));
    expect(order).toEqual([...before, ...during]);
    const dead = whileDisabled.filter((x) => during.includes(x.event.id));
    expect(dead.map((i) => i.event.data)).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }]);
    for (const i of dead) {
      expect(i.delivery).toMatchObject({ status: 'dead', attempts: 0, last_status_code: null });
      expect(i.delivery.last_error).toMatch(/the subscription is disabled \(manual\)/);
    }
    expect(ids(fx.receiver.requests, '/plain').filter((id) => during.includes(id))).toEqual([]);

    // The CLI reads the same feed, and says where to read on.
    const env = { HOOKSTREAM_API_KEY: apiKey, HOOKSTREAM_DLQ_URL: fx.pipeline.url('dlq-inspector'), HOOKSTREAM_REGISTRY_URL: fx.pipeline.url('subscription-registry') };
    const all = await runCli(['events', '--subscription', sub, '--all', '--limit', '2', '--json'], env);
    expect(all.code).toBe(0);
    const cliPage = JSON.parse(all.stdout) as FeedPage;
    expect(cliPage.data.map((i) => i.event.id)).toEqual(whileDisabled.map((i) => i.event.id));
    const table = await runCli(['events', '--subscription', sub, '--after', whileDisabled[1]?.cursor ?? ''], env);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^RECEIVED\s+EVENT\s+TYPE\s+STATUS/);
    expect(table.stdout).toContain(during[0]);
    expect(table.stdout).not.toContain(before[1]);
    expect(table.stderr).toMatch(/at the end; read on later with --after \S+/);
    expect((await runCli(['events', '--subscription', sub, '--after', 'not-a-cursor'], env)).stderr).toMatch(/invalid cursor.*after/s);

    // Another tenant can neither read nor recover it.
    const other = await fx.pipeline.createTenant();
    expect((await fx.pipeline.call('dlq-inspector', 'GET', `/v1/subscriptions/${sub}/events`, other.apiKey)).status).toBe(404);
    expect((await fx.pipeline.call('dlq-inspector', 'POST', `/v1/subscriptions/${sub}/recover`, other.apiKey, { since: disabledAt })).status).toBe(404);

    await setEnabled(apiKey, sub, true);
    await probeUntil(apiKey, sub, 'delivered', probes);
    const job = await fx.pipeline.call<CreatedReplayJob>('dlq-inspector', 'POST', `/v1/subscriptions/${sub}/recover`, apiKey, { since: disabledAt, rate_per_second: 50 }, { 'idempotency-key': `recover-${tenantId}` });
    expect(job.status).toBe(202);
    expect(job.body).toMatchObject({ kind: 'recover', filter: { subscription_id: sub, since: disabledAt } });
    const done = await waitFor(
      async () => {
        const j = await fx.pipeline.call<ReplayJobView>('dlq-inspector', 'GET', `/v1/replay-jobs/${job.body.id}`, apiKey);
        return j.body.status === 'completed' ? j.body : undefined;
      },
      60_000,
      'the recover job to complete',
      200,
    );
    // The events matched while disabled, and the probes that died then.
    expect(done.sent).toBe(done.total);
    expect(done.total).toBeGreaterThanOrEqual(during.length);
    await waitFor(() => during.every((id) => ids(fx.receiver.requests, '/plain').includes(id)) || undefined, 30_000, 'the recovered events at the receiver');
    const received = fx.receiver.requests.filter((r) => r.path === '/plain' && during.includes(String(r.headers['webhook-id'])));
    expect(received).toHaveLength(during.length);
    expect(received.every((r) => r.signatureValid === true)).toBe(true);

    const after = await waitFor(
      async () => {
        const items = await feed(apiKey, sub);
        return items.filter((i) => [...before, ...during].includes(i.event.id)).every((i) => i.delivery.status === 'delivered') ? items : undefined;
      },
      30_000,
      'every event delivered in the feed',
    );
    expect(after.map((i) => i.event.id).filter((id) => !probes.includes(id))).toEqual([...before, ...during]);
  }, 240_000);

  it('holds an ordered subscription’s keys while it is disabled and sends them in order once enabled, without pausing it for that backlog', async () => {
    const { apiKey } = await fx.pipeline.createTenant();
    const sub = await subscribe(apiKey, '/ordered', { ordering: 'key', ordering_backlog_max: 2 });
    const run = randomUUID().slice(0, 8);
    await publish(apiKey, `evt_o1_${run}`, { n: 1 }, `k-${run}`);
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/ordered');

    await setEnabled(apiKey, sub, false);
    // An event without a key is not ordered: it is dead-lettered like any other, which shows the disable has landed.
    await probeUntil(apiKey, sub, 'dead', []);
    for (let n = 2; n <= 7; n++) await publish(apiKey, `evt_o${n}_${run}`, { n }, `k-${run}`);
    const held = await waitFor(async () => {
      const items = (await feed(apiKey, sub)).filter((i) => i.event.ordering_key === `k-${run}`);
      return items.length === 7 ? items : undefined;
    }, 30_000, 'the ordered events in the feed');
    expect(held.slice(1).map((i) => [i.event.id, i.delivery.status, i.delivery.attempts])).toEqual([2, 3, 4, 5, 6, 7].map((n) => [`evt_o${n}_${run}`, 'pending', 0]));
    expect(ids(fx.receiver.requests, '/ordered')).toEqual([`evt_o1_${run}`]);

    await setEnabled(apiKey, sub, true);
    await fx.receiver.waitForRequests(7, 60_000, (r) => r.path === '/ordered');
    expect(ids(fx.receiver.requests, '/ordered')).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `evt_o${n}_${run}`));
    // Six waited past a bound of two, yet draining them did not pause it: the bound counts what
    // queued since it was enabled, and several checks ran while the slow endpoint drained.
    const now = await fx.pipeline.call<{ enabled: boolean; disabled_reason: string | null }>('subscription-registry', 'GET', `/v1/subscriptions/${sub}`, apiKey);
    expect(now.body).toMatchObject({ enabled: true, disabled_reason: null });
  }, 180_000);
});
