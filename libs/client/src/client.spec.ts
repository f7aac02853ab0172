import { describe, expect, it } from '@jest/globals';
import { createHookstreamClient } from './client.js';

const urls = { ingressGateway: 'http://gw.test:3000', subscriptionRegistry: 'http://reg.test:3001', dlqInspector: 'http://dlq.test:3004' };

/** A fetch that records each request and answers 200 {}: the routing is pure, the network is not needed. */
function recorder(): { fetch: typeof globalThis.fetch; seen: Array<{ method: string; url: string; auth: string | null }>; bodies: Array<{ type: string | null; text: Promise<string> }> } {
  const seen: Array<{ method: string; url: string; auth: string | null }> = [];
  const bodies: Array<{ type: string | null; text: Promise<string> }> = [];
  const fetch = ((input: Request) => {
    seen.push({ method: input.method, url: input.url, auth: input.headers.get('authorization') });
    if (input.body) bodies.push({ type: input.headers.get('content-type'), text: input.text() });
    return Promise.resolve(new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }));
  }) as typeof globalThis.fetch;
  return { fetch, seen, bodies };
}

describe('createHookstreamClient', () => {
  it('sends each operation to the service that serves it, with the key, path and query intact', async () => {
    const { fetch, seen } = recorder();
    const hs = createHookstreamClient({ apiKey: 'hsk_test', urls, fetch });
    await hs.POST('/v1/events', { body: { id: 'evt_1', type: 'order.placed', occurred_at: '2026-12-06T10:00:00Z', data: {} } });
    await hs.GET('/v1/events', { params: { query: { type: 'order.*', limit: 5 } } });
    await hs.GET('/v1/subscriptions/{id}', { params: { path: { id: 'a b' } } });
    expect(seen).toEqual([
      { method: 'POST', url: 'http://gw.test:3000/v1/events', auth: 'Bearer hsk_test' },
      { method: 'GET', url: 'http://dlq.test:3004/v1/events?type=order.*&limit=5', auth: 'Bearer hsk_test' },
      { method: 'GET', url: 'http://reg.test:3001/v1/subscriptions/a%20b', auth: 'Bearer hsk_test' },
    ]);
  });

  it('keeps a service URL\'s path prefix (the console reaches each service under /api/<service>)', async () => {
    const { fetch, seen } = recorder();
    const hs = createHookstreamClient({ apiKey: 'k', urls: { dlqInspector: 'http://console.test/api/dlq-inspector/', subscriptionRegistry: 'http://console.test/api/subscription-registry' }, fetch });
    await hs.GET('/v1/dead-letters', { params: { query: { limit: 2 } } });
    await hs.GET('/v1/subscriptions/{id}', { params: { path: { id: 'x' } } });
    expect(seen.map((r) => r.url)).toEqual(['http://console.test/api/dlq-inspector/v1/dead-letters?limit=2', 'http://console.test/api/subscription-registry/v1/subscriptions/x']);
  });

  it('sends a body with its content type (read out whole: browsers stream a Request-built body, and only over HTTP/2)', async () => {
    const { fetch, bodies } = recorder();
    const hs = createHookstreamClient({ apiKey: 'k', urls, fetch });
    await hs.POST('/v1/deliveries/{id}/retry', { params: { path: { id: 'd1' } }, body: { reason: 'receiver fixed' } });
    expect(bodies).toHaveLength(1);
    expect({ type: bodies[0]?.type, text: await bodies[0]?.text }).toEqual({ type: 'application/json', text: '{"reason":"receiver fixed"}' });
  });

  it('refuses an empty URL, or none at all', () => {
    expect(() => createHookstreamClient({ apiKey: 'k', urls: { ...urls, dlqInspector: '' } })).toThrow('no URL for dlqInspector');
    expect(() => createHookstreamClient({ apiKey: 'k', urls: {} })).toThrow('no URL for any service');
  });

  it('serves the services it was given and refuses, unsent, an operation of one it was not', async () => {
    const { fetch, seen } = recorder();
    const hs = createHookstreamClient({ apiKey: 'k', urls: { dlqInspector: urls.dlqInspector }, fetch });
    await hs.GET('/v1/dead-letters', {});
    await expect(hs.GET('/v1/subscriptions', {})).rejects.toThrow('GET /v1/subscriptions is served by subscriptionRegistry, and this client was given no URL for it');
    expect(seen.map((r) => r.url)).toEqual(['http://dlq.test:3004/v1/dead-letters']);
  });
});
