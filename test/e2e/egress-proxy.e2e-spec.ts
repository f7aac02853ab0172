import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { TestConnectProxy, usePipeline, waitFor } from '@hookstream/testing';

/**
 * The five services with EGRESS_PROXY_URL set for the dispatcher and the registry (whose endpoint
 * test sends as deliveries do): every delivery and every test request leaves through the CONNECT
 * proxy, which is asked for the checked address; a proxy that refuses the tunnel is recorded as
 * `egress_proxy` and retried, and does not open the endpoint's breaker.
 */
describe('egress through a CONNECT proxy (five services)', () => {
  let proxy: TestConnectProxy;
  // A second, named proxy (EGRESS_PROXIES) a subscription may choose, as for another region's fixed IPs.
  let eu: TestConnectProxy;

  beforeAll(async () => {
    proxy = await TestConnectProxy.start();
    eu = await TestConnectProxy.start();
  });

  const fx = usePipeline('egress', {
    env: () => ({
      dispatcher: { EGRESS_PROXY_URL: proxy.url, EGRESS_PROXIES: `eu=${eu.url}`, RETRY_DELAYS: '1s,1s,1s,1s,1s,1s', BREAKER_VOLUME_THRESHOLD: '2' },
      'subscription-registry': { EGRESS_PROXY_URL: proxy.url, EGRESS_PROXIES: `eu=${eu.url}` },
    }),
  });

  beforeAll(() => {
    fx.defer(async () => {
      await proxy.close();
      await eu.close();
    });
  });

  it('sends deliveries and endpoint tests through the proxy; a refused tunnel is egress_proxy, retried, and no breaker opens', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const created = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/egress`, event_types: ['order.*'] });
    expect(created.status).toBe(201);
    const target = new URL(fx.receiver.url).host;
    const publish = async () => {
      const event = { id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: tenantId, occurred_at: new Date().toISOString(), data: { n: 1 } };
      expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event)).status).toBe(202);
      return event;
    };

    const first = await publish();
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.body.includes(first.id));
    const tested = await fx.pipeline.call<{ ok: boolean }>('subscription-registry', 'POST', `/v1/subscriptions/${created.body.id}/test`, apiKey, {});
    expect(tested.body.ok).toBe(true);
    // One tunnel from the dispatcher's pool and one from the registry's, both to the checked address.
    expect(new Set(proxy.connects.map((c) => c.target))).toEqual(new Set([target]));
    expect(proxy.connects.length).toBeGreaterThanOrEqual(2);

    // The proxy refuses for a while: attempts fail as egress_proxy, then the delivery goes through.
    proxy.refuseWith = 403;
    // Open tunnels would carry on: dropped, the dispatcher must ask the proxy again.
    proxy.dropTunnels();
    const second = await publish();
    const failed = await waitFor(async () => {
      const rows = await fx.stack.query<{ error_class: string; error_message: string }>(
        `SELECT a.error_class, a.error_message FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.event_id = $1`, [second.id]);
      return rows.length >= 3 ? rows : undefined;
    }, 30_000, 'three refused attempts');
    expect(failed.every((r) => r.error_class === 'egress_proxy' && r.error_message.includes('refused CONNECT'))).toBe(true);
    proxy.refuseWith = null;
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.body.includes(second.id));
    // Three proxy failures with a volume threshold of 2 would have opened a breaker on the endpoint.
    const postponed = await fx.stack.query('SELECT 1 FROM delivery_attempts WHERE tenant_id = $1 AND error_class = $2', [tenantId, 'breaker_open']);
    expect(postponed).toEqual([]);
  });

  it('sends a subscription that names a proxy of EGRESS_PROXIES through it, and refuses names the operator did not configure', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const refused = await fx.pipeline.call<{ details: { path: string }[] }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/eu`, event_types: ['order.*'], egress_proxy: 'http://evil.example:3128' });
    expect(refused.status).toBe(422);
    expect(refused.body.details.map((d) => d.path)).toEqual(['egress_proxy']);
    const created = await fx.pipeline.call<{ id: string; egress_proxy: string | null }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/eu`, event_types: ['order.*'], egress_proxy: 'eu' });
    expect(created.body.egress_proxy).toBe('eu');
    const event = { id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: tenantId, occurred_at: new Date().toISOString(), data: { n: 2 } };
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event)).status).toBe(202);
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/eu' && r.body.includes(event.id));
    expect(eu.connects.map((c) => c.target)).toContain(new URL(fx.receiver.url).host);
    const cleared = await fx.pipeline.call<{ egress_proxy: string | null }>('subscription-registry', 'PATCH', `/v1/subscriptions/${created.body.id}`, apiKey, { egress_proxy: null });
    expect(cleared.body.egress_proxy).toBeNull();
  });
});
