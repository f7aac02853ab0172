import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { HookstreamPublisher } from '@hookstream/publisher';

/**
 * HTTP mode against a real server on loopback playing the gateway: retries are safe because every
 * event carries its id, so 429 (honouring Retry-After), 5xx and timeouts are retried, and a 4xx
 * is final.
 */
describe('HookstreamPublisher in HTTP mode', () => {
  let server: Server | null = null;
  const seen: Array<{ at: number; body: string; auth: string | undefined; traceparent: string | undefined }> = [];

  async function gateway(answer: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    await closeServer();
    seen.length = 0;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => answer(seen.push({ at: Date.now(), body, auth: req.headers.authorization, traceparent: req.headers.traceparent as string | undefined }), req, res));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server?.address() as AddressInfo).port}/`;
  }

  async function closeServer(): Promise<void> {
    const s = server;
    server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }

  afterEach(closeServer);

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  it('retries 429 after Retry-After and 503 with backoff, sending the same event id each time', async () => {
    const url = await gateway((n, _req, res) => {
      if (n === 1) json(res, 429, { code: 'rate_limited', message: 'slow down', details: null }, { 'retry-after': '1' });
      else if (n === 2) json(res, 503, { code: 'unavailable', message: 'try later', details: null });
      else json(res, 202, { id: (JSON.parse(seen[n - 1]?.body ?? '{}') as { id: string }).id, status: 'accepted' });
    });
    const hooks = new HookstreamPublisher({ url, apiKey: 'hsk_key', tenantId: 'acme' });
    const result = await hooks.publish({ type: 'order.placed', data: { n: 1 } });
    expect(result.status).toBe('accepted');
    expect(seen).toHaveLength(3);
    const ids = seen.map((s) => (JSON.parse(s.body) as { id: string }).id);
    expect(new Set(ids)).toEqual(new Set([result.id]));
    expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(seen[0]?.auth).toBe('Bearer hsk_key');
    expect(seen[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await hooks.close();
  });

  it('gives up after maxRetries with the gateway’s code, and does not retry a 4xx', async () => {
    const url = await gateway((n, _req, res) => (n <= 10 ? json(res, 500, { code: 'internal', message: 'boom', details: null }) : json(res, 202, {})));
    const hooks = new HookstreamPublisher({ url, apiKey: 'k', tenantId: 'acme', maxRetries: 2 });
    await expect(hooks.publish({ type: 'order.placed', data: {} })).rejects.toMatchObject({ code: 'internal', status: 500 });
    expect(seen).toHaveLength(3);
    await hooks.close();

    const url2 = await gateway((_n, _req, res) => json(res, 422, { code: 'validation_failed', message: 'bad', details: [{ path: 'data.x', message: 'required' }] }));
    const strict = new HookstreamPublisher({ url: url2, apiKey: 'k', tenantId: 'acme' });
    await expect(strict.publish({ type: 'order.placed', data: {} })).rejects.toMatchObject({ code: 'validation_failed', status: 422, details: [{ path: 'data.x' }] });
    expect(seen).toHaveLength(1);
    await strict.close();
  });

  it('times out a gateway that does not answer', async () => {
    const url = await gateway(() => undefined);
    const hooks = new HookstreamPublisher({ url, apiKey: 'k', tenantId: 'acme', timeoutMs: 300, maxRetries: 1, maxRetryDelayMs: 10 });
    await expect(hooks.publish({ type: 'order.placed', data: {} })).rejects.toMatchObject({ code: 'timeout' });
    expect(seen).toHaveLength(2);
    await hooks.close();
  });

  it('splits a large batch into requests of at most 500 events and keeps the results in order', async () => {
    const url = await gateway((n, _req, res) => {
      const events = (JSON.parse(seen[n - 1]?.body ?? '{}') as { events: Array<{ id: string }> }).events;
      json(res, 200, { results: events.map((e, index) => ({ index, id: e.id, status: 'accepted' })) });
    });
    const hooks = new HookstreamPublisher({ url, apiKey: 'k', tenantId: 'acme' });
    const events = Array.from({ length: 1203 }, (_, i) => ({ type: 'order.placed', data: { i } }));
    const results = await hooks.publishBatch(events);
    expect(seen.map((s) => (JSON.parse(s.body) as { events: unknown[] }).events.length)).toEqual([500, 500, 203]);
    expect(results).toHaveLength(1203);
    const sentIds = seen.flatMap((s) => (JSON.parse(s.body) as { events: Array<{ id: string }> }).events.map((e) => e.id));
    expect(results.map((r) => r.id)).toEqual(sentIds);
    expect([...sentIds].sort()).toEqual(sentIds);
    await hooks.close();
  });
});
