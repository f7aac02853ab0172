import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack, waitFor } from '@hookstream/testing';
import Stripe from 'stripe';

/**
 * Integration secrets at rest across gateway restarts: sealed under the first configured key,
 * re-sealed at boot when a new key is put first, still readable once the old key is retired;
 * and what a gateway without keys does. Stripe signatures come from the stripe library.
 */
describe('integration secrets across key rotation', () => {
  let stack: TestStack;
  let key: string;
  const running: ServiceProcess[] = [];
  const k1 = `k1:${randomBytes(32).toString('base64')}`;
  const k2 = `k2:${randomBytes(32).toString('base64')}`;
  const secret = 'whsec_rotation_test_secret_01';
  const stripe = new Stripe('sk_test_unused');

  async function gateway(env: Record<string, string>): Promise<ServiceProcess> {
    const g = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), ...env });
    running.push(g);
    g.start();
    await g.waitReady();
    return g;
  }

  async function call(g: ServiceProcess, method: string, path: string, body: string | undefined, headers: Record<string, string>) {
    const res = await fetch(`${g.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const create = (g: ServiceProcess, body: unknown) => call(g, 'POST', '/v1/integrations', JSON.stringify(body), { authorization: `Bearer ${key}`, 'content-type': 'application/json' });
  const stripeCallback = (g: ServiceProcess, path: string) => {
    const body = JSON.stringify({ id: `evt_${randomBytes(6).toString('hex')}`, object: 'event', type: 'invoice.paid', data: {} });
    return call(g, 'POST', path, body, { 'content-type': 'application/json', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret }) });
  };
  const keyIds = async () => (await stack.query<{ k: string }>('SELECT DISTINCT secrets_key_id AS k FROM integration_configs')).map((r) => r.k);

  beforeAll(async () => {
    stack = await createTestStack('secretkeys');
    key = await seedTenantKey(stack, 'keys-acme');
  });

  afterAll(async () => {
    for (const g of running) await g.stop();
    await stack?.close();
  });

  it('re-seals secrets with a new first key at boot, keeps verifying, and needs the old key no longer', async () => {
    const first = await gateway({ INTEGRATION_SECRETS_KEYS: k1 });
    const stripeIntegration = await create(first, { provider: 'stripe', secrets: { signing_secret: secret } });
    const github = await create(first, { provider: 'github', secrets: { secret: 'github-secret-1' } });
    expect([stripeIntegration.status, github.status]).toEqual([201, 201]);
    const path = String(stripeIntegration.body['callback_path']);
    expect((await stripeCallback(first, path)).status).toBe(200);
    expect(await keyIds()).toEqual(['k1']);
    await first.stop();

    const rotated = await gateway({ INTEGRATION_SECRETS_KEYS: `${k2},${k1}` });
    await waitFor(async () => (await keyIds()).join() === 'k2', 10_000, 'every secret re-sealed with k2');
    expect((await stripeCallback(rotated, path)).body).toMatchObject({ status: 'accepted' });
    await rotated.stop();

    const retired = await gateway({ INTEGRATION_SECRETS_KEYS: k2 });
    expect((await stripeCallback(retired, path)).body).toMatchObject({ status: 'accepted' });
    await retired.stop();
  }, 120_000);

  it('without keys: refuses to store secrets and answers callbacks 503 (the provider retries), naming the variable', async () => {
    const [{ id }] = await stack.query<{ id: string }>(`SELECT id FROM integration_configs WHERE provider = 'stripe'`) as [{ id: string }];
    const bare = await gateway({});
    const refused = await create(bare, { provider: 'github', secrets: { secret: 'github-secret-2' } });
    expect(refused).toMatchObject({ status: 503, body: { code: 'unavailable', message: expect.stringContaining('INTEGRATION_SECRETS_KEYS') as unknown } });
    expect((await stripeCallback(bare, `/v1/incoming/stripe/${id}`)).status).toBe(503);
    // Still served: management without secrets, and the events API.
    expect((await call(bare, 'GET', `/v1/integrations/${id}`, undefined, { authorization: `Bearer ${key}` })).status).toBe(200);
    await bare.stop();
  }, 60_000);

  it('ignores X-Forwarded-For when no proxy is trusted, so a caller cannot pick its own address', async () => {
    const g = await gateway({ INTEGRATION_SECRETS_KEYS: k2 });
    const payfast = await create(g, { provider: 'payfast', secrets: { passphrase: 'pp' }, settings: { allowed_source_ips: ['197.97.145.144/28'] } });
    const res = await call(g, 'POST', String(payfast.body['callback_path']), 'pf_payment_id=1&payment_status=COMPLETE&signature=00000000000000000000000000000000', {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': '197.97.145.150',
    });
    expect(res).toMatchObject({ status: 403, body: { details: { reason: 'source_ip_not_allowed' } } });
    const [row] = await stack.query<{ source_ip: string }>('SELECT source_ip FROM incoming_webhooks WHERE integration_id = $1', [payfast.body['id']]);
    expect(row?.source_ip).toBe('127.0.0.1');
    await g.stop();
  }, 60_000);
});
