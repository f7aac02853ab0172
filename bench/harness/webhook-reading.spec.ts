import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Receipt } from './ledger.ts';
import { countRequest, envelopeIds, type ReadWebhook, WebhookReader } from './webhook-reading.ts';

describe('envelopeIds', () => {
  it('reads the id of each envelope in a batch, and nothing from a body that is not an array of envelopes', () => {
    expect(envelopeIds(Buffer.from('[{"id":"evt_1","data":{}},{"type":"x","id":"evt_2"}]'))).toEqual(['evt_1', 'evt_2']);
    expect(envelopeIds(Buffer.from('{"id":"evt_1"}'))).toEqual([]);
    expect(envelopeIds(Buffer.from('[{"id":1},null,"x"]'))).toEqual([]);
    expect(envelopeIds(Buffer.from('[{"id":'))).toEqual([]);
  });
});

describe('countRequest', () => {
  it('creates a key’s receipt on its first request and counts each one', () => {
    const receipts = new Map<string, Receipt>();
    countRequest(receipts, 'evt_1 /a');
    expect(countRequest(receipts, 'evt_1 /a')).toEqual({ firstOkAt: null, requests: 2, oks: 0 });
    expect(receipts.size).toBe(1);
  });
});

describe('WebhookReader', () => {
  const reader = new WebhookReader();
  const seen: ReadWebhook[] = [];
  let server: Server;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = async (headers: Record<string, string>, body: string): Promise<void> => {
    server ??= await new Promise<Server>((resolve) => {
      const s = createServer((req, res) => reader.read(req, (w) => {
        seen.push(w);
        res.end();
      }));
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/hook', headers }, (res) => res.resume().once('end', resolve));
      req.once('error', reject);
      req.end(body);
    });
  };

  it('keys a single delivery by its webhook-id, a batch by its envelopes, and counts retries of either', async () => {
    await post({ 'webhook-id': 'evt_1' }, '{"id":"evt_1"}');
    await post({ 'webhook-id': 'evt_1' }, '{"id":"evt_1"}');
    await post({ 'webhook-id': 'batch_b1', 'webhook-batch-size': '2' }, '[{"id":"evt_2"},{"id":"evt_3"}]');
    expect(seen).toEqual([
      { path: '/hook', requestKey: 'evt_1 /hook', keys: ['evt_1 /hook'], tries: 1 },
      { path: '/hook', requestKey: 'evt_1 /hook', keys: ['evt_1 /hook'], tries: 2 },
      { path: '/hook', requestKey: 'batch_b1 /hook', keys: ['evt_2 /hook', 'evt_3 /hook'], tries: 1 },
    ]);
    reader.clear();
    await post({ 'webhook-id': 'evt_1' }, '{}');
    expect(seen.at(-1)?.tries).toBe(1);
  });
});
