import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { usePipeline } from '@hookstream/testing';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

/**
 * A partner callback end to end: Stripe (signed by the stripe library) calls the gateway, and a
 * receiver subscribed to `stripe.*` gets the event from the dispatcher, signed, exactly once.
 */
describe('partner callback to subscriber (five services)', () => {
  const fx = usePipeline('callbackse2e', { env: { 'ingress-gateway': { INTEGRATION_SECRETS_KEYS: `e2e:${randomBytes(32).toString('base64')}` } } });

  it('delivers a verified Stripe callback to a receiver subscribed to stripe.*, once', async () => {
    const { apiKey } = await fx.pipeline.createTenant();
    const subscriberSecret = `whsec_${randomBytes(24).toString('base64')}`;
    const subscribed = await fx.pipeline.call('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/stripe-events`, event_types: ['stripe.*'], secret: subscriberSecret });
    expect(subscribed.status).toBe(201);
    const stripeSecret = 'whsec_e2e_stripe_endpoint_secret';
    const integration = await fx.pipeline.call<{ callback_path: string; id: string }>('ingress-gateway', 'POST', '/v1/integrations', apiKey, { provider: 'stripe', secrets: { signing_secret: stripeSecret } });
    expect(integration.status).toBe(201);

    const stripeEvent = { id: `evt_${randomBytes(8).toString('hex')}`, object: 'event', type: 'payment_intent.succeeded', created: 1_795_000_000, data: { object: { id: 'pi_1', amount: 2000 } } };
    const body = JSON.stringify(stripeEvent);
    const send = () =>
      fetch(`${fx.pipeline.url('ingress-gateway')}${integration.body.callback_path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload: body, secret: stripeSecret }) },
        body,
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(((await first.json()) as { status: string }).status).toBe('accepted');

    const [delivery] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/stripe-events');
    const headers = { 'webhook-id': String(delivery.headers['webhook-id']), 'webhook-timestamp': String(delivery.headers['webhook-timestamp']), 'webhook-signature': String(delivery.headers['webhook-signature']) };
    expect(new Webhook(subscriberSecret).verify(delivery.body, headers)).toEqual({
      id: `${integration.body.id}:${stripeEvent.id}`,
      type: 'stripe.payment_intent.succeeded',
      timestamp: new Date(1_795_000_000_000).toISOString(),
      data: { provider: 'stripe', integration_id: integration.body.id, provider_event_id: stripeEvent.id, payload: stripeEvent },
    });
    // Which integration verified it, so a subscriber can route on it without parsing the body.
    expect(delivery.headers['webhook-verified-by']).toBe(`stripe; integration=${integration.body.id}`);

    // The tenant itself cannot publish a look-alike: partner types come from verified callbacks only.
    const forged = await fx.pipeline.call<{ code: string }>('ingress-gateway', 'POST', '/v1/events', apiKey, { id: `evt_${randomBytes(6).toString('hex')}`, occurred_at: new Date().toISOString(), type: 'stripe.payment_intent.succeeded', data: { provider: 'stripe', integration_id: integration.body.id } });
    expect(forged.status).toBe(422);
    expect(forged.body.code).toBe('reserved_for_callbacks');

    // Stripe re-sends it: 200, and no second delivery.
    expect(((await (await send()).json()) as { status: string }).status).toBe('duplicate');
    await new Promise((r) => setTimeout(r, 1500));
    expect(fx.receiver.requests.filter((r) => r.path === '/stripe-events')).toHaveLength(1);
  });
});
