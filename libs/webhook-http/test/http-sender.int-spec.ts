import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GotSender } from '../src/got-sender.js';
import { type HttpSender, RESPONSE_BODY_LIMIT, type SenderOptions } from '../src/http-sender.js';
import { NodeHttpSender } from '../src/node-sender.js';
import { UndiciSender } from '../src/undici-sender.js';

const senders: [string, new (options: SenderOptions) => HttpSender][] = [
  ['GotSender', GotSender],
  ['NodeHttpSender', NodeHttpSender],
  ['UndiciSender', UndiciSender],
];

/** Every sender, held to one contract, against real HTTP servers on loopback (allowlisted, as in development). */
describe.each(senders)('%s', (_name, Sender) => {
  let server: Server;
  let base: string;
  let connections = 0;
  const sender = new Sender({ allow: { hosts: new Set(['127.0.0.1']) }, connectTimeoutMs: 1000, maxHosts: 10 });
  const strict = new Sender({ allow: { hosts: new Set() }, connectTimeoutMs: 1000, maxHosts: 10 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/ok') {
          res.writeHead(204);
          res.end();
        } else if (req.url === '/echo') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ headers: req.headers, body: Buffer.concat(chunks).toString() }));
        } else if (req.url === '/redirect') {
          res.writeHead(302, { location: '/ok' });
          res.end();
        } else if (req.url === '/busy') {
          res.writeHead(429, { 'retry-after': '7' });
          res.end('slow down');
        } else if (req.url === '/huge') {
          res.writeHead(500);
          res.end('x'.repeat(1024 * 1024));
        } else if (req.url === '/gzip') {
          res.writeHead(400, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
          res.end(gzipSync('bad signature'));
        } else if (req.url === '/reset') {
          req.socket.destroy();
        } else if (req.url === '/hang') {
          // never answers
        }
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    sender.close();
    strict.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const post = (path: string, timeoutMs = 2000, s = sender) =>
    s.send({ url: `${base}${path}`, headers: { 'content-type': 'application/json', 'webhook-id': 'evt_1' }, body: '{"a":1}', timeoutMs });

  it('posts the body and headers as given and reports the status', async () => {
    const r = await post('/echo');
    expect(r).toMatchObject({ kind: 'response', statusCode: 200 });
    const echoed = JSON.parse(r.responseBody ?? '') as { headers: Record<string, string>; body: string };
    expect(echoed.body).toBe('{"a":1}');
    expect(echoed.headers['webhook-id']).toBe('evt_1');
  });

  it('reports when the whole request has been handed to the connection', async () => {
    let sent = 0;
    const r = await sender.send({ url: `${base}/ok`, headers: {}, body: '{}', timeoutMs: 2000, onSent: () => sent++ });
    expect(r).toMatchObject({ kind: 'response', statusCode: 204 });
    expect(sent).toBe(1);
  });

  it('stores a compressed answer decoded', async () => {
    expect(await post('/gzip')).toMatchObject({ kind: 'response', statusCode: 400, responseBody: 'bad signature' });
  });

  it('classifies a connection the receiver drops without answering', async () => {
    expect(await post('/reset')).toMatchObject({ kind: 'error', errorClass: 'connection' });
  });

  it('does not follow redirects: a 302 is the answer', async () => {
    expect(await post('/redirect')).toMatchObject({ kind: 'response', statusCode: 302 });
  });

  it('keeps Retry-After for the classifier', async () => {
    const r = await post('/busy');
    expect(r).toMatchObject({ kind: 'response', statusCode: 429 });
    expect(r.kind === 'response' && r.headers['retry-after']).toBe('7');
  });

  it('keeps only the first 4 KiB of a huge body', async () => {
    const r = await post('/huge');
    expect(r).toMatchObject({ kind: 'response', statusCode: 500 });
    expect(r.responseBody?.length).toBe(RESPONSE_BODY_LIMIT);
  });

  it('times out a hanging endpoint within its timeout', async () => {
    const started = Date.now();
    const r = await post('/hang', 500);
    expect(r).toMatchObject({ kind: 'error', errorClass: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('classifies a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await sender.send({ url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}', timeoutMs: 1000 });
    expect(r).toMatchObject({ kind: 'error', errorClass: 'connection' });
  });

  it('reuses keep-alive connections per host', async () => {
    const before = connections;
    for (let i = 0; i < 10; i++) await post('/ok');
    // undici's pool opens a second socket on the first request after a connect; after that, none.
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it('refuses loopback without the allowlist before connecting, by literal IP and by name', async () => {
    const before = connections;
    expect(await post('/ok', 1000, strict)).toMatchObject({ kind: 'error', errorClass: 'ssrf_refused' });
    const byName = await strict.send({ url: base.replace('127.0.0.1', 'localhost') + '/ok', headers: {}, body: '{}', timeoutMs: 1000 });
    expect(byName).toMatchObject({ kind: 'error', errorClass: 'ssrf_refused' });
    expect(connections).toBe(before);
  });

  it('answers a header it cannot write with an error, never a throw', async () => {
    const r = await sender.send({ url: `${base}/ok`, headers: { 'x-custom': 'line\nbreak' }, body: '{}', timeoutMs: 1000 });
    expect(r).toMatchObject({ kind: 'error', errorClass: 'unknown' });
  });

  it('reports an unusable URL as invalid', async () => {
    expect(await sender.send({ url: 'ftp://127.0.0.1/x', headers: {}, body: '', timeoutMs: 1000 })).toMatchObject({ kind: 'error', errorClass: 'invalid_url' });
  });
});
