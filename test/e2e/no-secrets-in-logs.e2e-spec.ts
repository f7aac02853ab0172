import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { DeadLetterView, ListPage } from '@hookstream/contracts';
import { LogCapture, usePipeline, waitFor } from '@hookstream/testing';
import Stripe from 'stripe';

/** Every `whsec_…`/`whsk_…` value in a response, so the test knows each secret the system holds. */
function secretsIn(body: unknown): string[] {
  return JSON.stringify(body).match(/\b(?:whsec|whsk)_[A-Za-z0-9+/=]+/g) ?? [];
}

/**
 * A full pipeline run with every service's every log line captured (stdout and stderr, debug
 * level): create, rotate, reveal, deliver, fail to the DLQ, replay, the endpoint test, a
 * subscription disabled for a 410, a verified partner callback. No line may hold a signing
 * secret (or its key bytes), an API key (or its secret part), the integration secret, the
 * payload's canary value or the endpoint URL's token; the URL does get logged, masked.
 */
describe('no secrets in logs (five services)', () => {
  const canaryPayload = `canary-payload-${randomBytes(6).toString('hex')}`;
  const canaryToken = `canary-token-${randomBytes(6).toString('hex')}`;
  const integrationSecret = `whsec_${randomBytes(24).toString('base64')}`;
  let failing = false;

  const fx = usePipeline('nosecretlogs', {
    receiver: {
      respond: (req) => {
        if (req.path.startsWith('/gone')) return { status: 410, body: 'gone' };
        return failing && req.path.startsWith('/hook') ? { status: 500, body: 'down' } : { status: 200, body: 'ok' };
      },
    },
    env: {
      all: { LOG_LEVEL: 'debug' },
      dispatcher: { RETRY_DELAYS: '1s,1s', BREAKER_VOLUME_THRESHOLD: '100000' },
      'ingress-gateway': { INTEGRATION_SECRETS_KEYS: `e2e:${randomBytes(32).toString('base64')}` },
    },
  });

  it('logs ids and masked URLs, never a secret, an API key or a payload value', async () => {
    const logs = new LogCapture(Object.values(fx.pipeline.services));
    const secrets = new Set<string>();
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const publish = async (type: string) => {
      const id = `evt_${randomUUID()}`;
      const res = await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, { id, type, tenant_id: tenantId, occurred_at: new Date().toISOString(), data: { ssn: canaryPayload } });
      expect(res.status).toBe(202);
      return id;
    };

    // Create, rotate and reveal: every signing secret this subscription ever had.
    const initial = `whsec_${randomBytes(24).toString('base64')}`;
    secrets.add(initial);
    const sub = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/hook?token=${canaryToken}`, event_types: ['order.*'], secret: initial });
    expect(sub.status).toBe(201);
    const rotated = await fx.pipeline.call('subscription-registry', 'POST', `/v1/subscriptions/${sub.body.id}/secret/rotate`, apiKey, { overlap_seconds: 3600 });
    expect(rotated.status).toBe(200);
    const revealed = await fx.pipeline.call('subscription-registry', 'GET', `/v1/subscriptions/${sub.body.id}/secret`, apiKey);
    expect(revealed.status).toBe(200);
    for (const s of [...secretsIn(rotated.body), ...secretsIn(revealed.body)]) secrets.add(s);
    expect(secrets.size).toBeGreaterThanOrEqual(2);

    // Deliver.
    const delivered = await publish('order.placed');
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.headers['webhook-id'] === delivered);

    // Fail until dead, then replay.
    failing = true;
    const dead = await publish('order.failed');
    const letter = await waitFor(
      async () => (await fx.pipeline.call<ListPage<DeadLetterView>>('dlq-inspector', 'GET', '/v1/dead-letters', apiKey)).body.data?.find((l) => l.event_id === dead),
      60_000,
      'the dead letter',
      300,
    );
    failing = false;
    const attemptsBefore = fx.receiver.requests.filter((r) => r.headers['webhook-id'] === dead).length;
    const replay = await fx.pipeline.call('dlq-inspector', 'POST', `/v1/dead-letters/${letter.id}/replay`, apiKey, undefined, { 'idempotency-key': `replay-${letter.id}` });
    expect([200, 201, 202]).toContain(replay.status);
    await fx.receiver.waitForRequests(attemptsBefore + 1, 30_000, (r) => r.headers['webhook-id'] === dead);

    // The endpoint test, with the canary in its sample data.
    const tested = await fx.pipeline.call<{ ok: boolean }>('subscription-registry', 'POST', `/v1/subscriptions/${sub.body.id}/test`, apiKey, { data: { ssn: canaryPayload } });
    expect(tested.status).toBe(200);
    expect(tested.body.ok).toBe(true);

    // A subscription whose endpoint answers 410 is disabled, and the registry logs its URL.
    const goneSub = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/gone?token=${canaryToken}`, event_types: ['gone.*'] });
    expect(goneSub.status).toBe(201);
    for (const s of secretsIn(goneSub.body)) secrets.add(s);
    await publish('gone.now');
    await waitFor(
      async () => (await fx.pipeline.call<{ enabled?: boolean }>('subscription-registry', 'GET', `/v1/subscriptions/${goneSub.body.id}`, apiKey)).body.enabled === false,
      30_000,
      'the 410 subscription to be disabled',
      300,
    );

    // Endpoint credentials: Basic, and an OAuth client whose token URL (here, on loopback) refuses
    // it, so its attempts fail with the token URL's answer. Neither password nor secret may show.
    const basicPassword = `canary-basic-${randomBytes(6).toString('hex')}`;
    const clientSecret = `canary-oauth-${randomBytes(6).toString('hex')}`;
    const withBasic = await fx.pipeline.call('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/hook-basic`, event_types: ['authn.*'], auth: { type: 'basic', username: 'u', password: basicPassword } });
    expect(withBasic.status).toBe(201);
    const withOauth = await fx.pipeline.call('subscription-registry', 'POST', '/v1/subscriptions', apiKey, {
      url: `${fx.receiver.url}/hook-oauth`,
      event_types: ['authn.*'],
      auth: { type: 'oauth2_client_credentials', token_url: `${fx.receiver.url}/gone-token`, client_id: 'c', client_secret: clientSecret },
    });
    expect(withOauth.status).toBe(201);
    await publish('authn.done');
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/hook-basic');
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/gone-token');

    // A partner integration with a secret, and a signed callback carrying the canary.
    const integration = await fx.pipeline.call<{ callback_path: string }>('ingress-gateway', 'POST', '/v1/integrations', apiKey, { provider: 'stripe', secrets: { signing_secret: integrationSecret } });
    expect(integration.status).toBe(201);
    const stripeBody = JSON.stringify({ id: `evt_${randomBytes(8).toString('hex')}`, object: 'event', type: 'charge.succeeded', created: 1_795_000_000, data: { object: { ssn: canaryPayload } } });
    const callback = await fetch(`${fx.pipeline.url('ingress-gateway')}${integration.body.callback_path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload: stripeBody, secret: integrationSecret }) },
      body: stripeBody,
    });
    expect(callback.status).toBe(200);
    // A callback with a bad signature: refused, and logged with alert: true.
    const forged = await fetch(`${fx.pipeline.url('ingress-gateway')}${integration.body.callback_path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body: stripeBody,
    });
    expect(forged.status).toBeGreaterThanOrEqual(400);

    // Let the last attempts, relays and debug lines land.
    await new Promise((r) => setTimeout(r, 3000));
    const lines = logs.all();
    const apiKeySecret = apiKey.slice('hsk_'.length + 16 + 1);
    const forbidden = new Map<string, string>([
      ['the API key', apiKey],
      ["the API key's secret part", apiKeySecret],
      ['the admin key', fx.stack.adminKey],
      ['the integration secret', integrationSecret],
      ["the integration secret's key bytes", integrationSecret.slice('whsec_'.length)],
      ['the payload canary', canaryPayload],
      ['the URL token', canaryToken],
      ['the Basic password', basicPassword],
      ['the Basic credentials', Buffer.from(`u:${basicPassword}`).toString('base64')],
      ['the OAuth client secret', clientSecret],
    ]);
    for (const s of secrets) {
      forbidden.set(`signing secret ${s.slice(0, 9)}…`, s);
      forbidden.set(`the key bytes of ${s.slice(0, 9)}…`, s.slice(s.indexOf('_') + 1));
    }
    const leaks = [...forbidden].flatMap(([what, value]) => lines.filter((l) => l.includes(value)).map((l) => `${what}: ${l.slice(0, 400)}`));
    expect(leaks).toEqual([]);

    // Not vacuous: the services did log this run, including the disabled subscription's URL, masked.
    expect(lines.length).toBeGreaterThan(50);
    const disabled = lines.find((l) => l.includes('subscription disabled') && l.includes(goneSub.body.id));
    expect(disabled).toContain(`/gone?token=***`);
  }, 240_000);
});
