import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '@hookstream/platform/standalone';
import { freePort, REPO_ROOT } from '@hookstream/testing';
import { consoleConfigSchema } from '../src/server/config.js';
import { createConsoleServer } from '../src/server/console-server.js';
import { WebFiles } from '../src/server/static-files.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for a service on loopback: records what reaches it, answers as each path asks. */
async function startUpstream(): Promise<{ server: Server; url: string; seen: Seen[]; closedStreams: () => number }> {
  const seen: Seen[] = [];
  let closed = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url?.startsWith('/v1/stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('id: 1\ndata: {"n":1}\n\n');
        // The rest never comes: a live tail is open until someone closes it.
        res.on('close', () => closed++);
        return;
      }
      if (req.url?.startsWith('/v1/slow')) return; // never answers
      res.writeHead(req.url?.startsWith('/v1/missing') ? 404 : 201, {
        'content-type': 'application/json',
        'set-cookie': 'session=stolen; HttpOnly',
        'access-control-allow-origin': '*',
        'retry-after': '7',
      });
      res.end(JSON.stringify({ code: 'ok', message: 'made' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, seen, closedStreams: () => closed };
}

function send(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // node:http, not fetch: fetch would normalise the hostile paths before they were sent.
    const req = request(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the console server (src/server) against a real upstream on loopback', () => {
  const logger = createLogger('console', 'silent');
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let consoleServer: Server;
  let base: string;
  let web: WebFiles;

  beforeAll(async () => {
    upstream = await startUpstream();
    const dir = mkdtempSync(join(tmpdir(), 'console-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta name="csp-nonce" content="__CSP_NONCE__"><script type="module" src="/assets/app-abc123.js"></script>');
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'app-abc123.js.map'), '{}');
    const config = consoleConfigSchema.parse({ INGRESS_GATEWAY_URL: upstream.url, SUBSCRIPTION_REGISTRY_URL: upstream.url, DLQ_INSPECTOR_URL: upstream.url, CONSOLE_WEB_DIR: dir, UPSTREAM_TIMEOUT_MS: '400' });
    // A name that is not an asset's (a path, a source map) is never loaded, so can never be served.
    web = await WebFiles.load(dir, ['app-abc123.js', 'app-abc123.js.map', '../index.html']);
    consoleServer = createConsoleServer(config, web, logger);
    await new Promise<void>((r) => consoleServer.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${String((consoleServer.address() as AddressInfo).port)}`;
  });

  afterAll(async () => {
    consoleServer.closeAllConnections();
    upstream.server.closeAllConnections();
    await new Promise((r) => consoleServer.close(r));
    await new Promise((r) => upstream.server.close(r));
  });

  it('serves the page with a fresh nonce, under a CSP that allows no inline script', async () => {
    const [a, b] = [await send(base, '/'), await send(base, '/')];
    const nonceOf = (page: string) => /content="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(nonceOf(a.body)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(a.body)).not.toBe(nonceOf(b.body));
    expect(a.headers['content-security-policy']).toContain(`style-src 'self' 'nonce-${nonceOf(a.body)}'`);
    expect(a.headers['content-security-policy']).toContain("script-src 'self';");
    expect(a.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
  });

  it('serves only the files it loaded at boot, whatever the path tries', async () => {
    const js = await send(base, '/assets/app-abc123.js');
    expect({ status: js.status, type: js.headers['content-type'], cache: js.headers['cache-control'] }).toEqual({ status: 200, type: 'text/javascript; charset=utf-8', cache: 'public, max-age=31536000, immutable' });
    for (const path of ['/assets/app-abc123.js.map', '/assets/../../../etc/passwd', '/assets/..%2findex.html', '/assets/%2e%2e/%2e%2e/package.json', '/package.json', `/${'a'.repeat(10_000)}`, '/assets/', '/deliveries']) {
      expect({ path: path.slice(0, 60), status: (await send(base, path)).status }).toEqual({ path: path.slice(0, 60), status: 404 });
    }
    expect((await send(base, '/a%00b')).status).toBe(400);
    expect((await send(base, '/', { method: 'POST' })).status).toBe(405);
    expect((await send(base, '/', { method: 'HEAD' })).status).toBe(200);
  });

  it('forwards an API call whole (method, path, query, body, key, Idempotency-Key) and nothing else of the browser\'s', async () => {
    const body = JSON.stringify({ reason: 'receiver fixed \u0000 ✓' });
    const res = await send(base, '/api/dlq-inspector/v1/deliveries/d1/retry?tenant_id=acme', {
      method: 'POST',
      headers: { authorization: 'Bearer hsk_abc', 'content-type': 'application/json', 'idempotency-key': 'k-1', cookie: 'session=x', 'x-forwarded-host': 'evil.example', 'x-admin': 'yes' },
      body,
    });
    expect(res.status).toBe(201);
    const got = upstream.seen.at(-1);
    expect({ method: got?.method, url: got?.url, body: got?.body, auth: got?.headers['authorization'], key: got?.headers['idempotency-key'] }).toEqual({ method: 'POST', url: '/v1/deliveries/d1/retry?tenant_id=acme', body, auth: 'Bearer hsk_abc', key: 'k-1' });
    expect([got?.headers['cookie'], got?.headers['x-forwarded-host'], got?.headers['x-admin']]).toEqual([undefined, undefined, undefined]);
    // The service's answer comes back with its status and Retry-After, without cookies or CORS grants.
    expect(res.headers).toMatchObject({ 'retry-after': '7', 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
    expect([res.headers['set-cookie'], res.headers['access-control-allow-origin']]).toEqual([undefined, undefined]);
    expect((await send(base, '/api/dlq-inspector/v1/missing')).status).toBe(404);
  });

  it('refuses what is not the public API, with a code', async () => {
    const count = upstream.seen.length;
    for (const path of ['/api/dlq-inspector/metrics', '/api/dlq-inspector/v1/../metrics', '/api/dlq-inspector/v1/%2e%2e/metrics', '/api/dispatcher/v1/x', '/api']) {
      const res = await send(base, path);
      expect({ path, status: res.status, code: (JSON.parse(res.body) as { code: string }).code }).toEqual({ path, status: 404, code: 'not_found' });
    }
    expect(JSON.parse((await send(base, '/api/dlq-inspector/v1/x', { method: 'TRACE' })).body)).toMatchObject({ code: 'method_not_allowed' });
    expect(upstream.seen.length).toBe(count);
  });

  it('streams a live tail as it comes, and closes the service\'s side when the browser goes away', async () => {
    const closedBefore = upstream.closedStreams();
    const first = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/api/dlq-inspector/v1/stream`, { headers: { accept: 'text/event-stream', 'last-event-id': '41' } }, (res) => {
        res.once('data', (c: Buffer) => {
          resolve(c.toString('utf8'));
          req.destroy();
        });
      });
      req.on('error', (e) => (e.message.includes('aborted') || e.message.includes('socket hang up') ? undefined : reject(e)));
      req.end();
    });
    expect(first).toBe('id: 1\ndata: {"n":1}\n\n');
    expect(upstream.seen.at(-1)?.headers['last-event-id']).toBe('41');
    const deadline = Date.now() + 5000;
    while (upstream.closedStreams() === closedBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(upstream.closedStreams()).toBe(closedBefore + 1);
  });

  it('answers 504 for a service that does not answer in time, and 502 for one that is down', async () => {
    const slow = await send(base, '/api/dlq-inspector/v1/slow');
    expect({ status: slow.status, body: JSON.parse(slow.body) as unknown }).toEqual({ status: 504, body: { code: 'upstream_timeout', message: 'dlq-inspector did not answer within 400 ms', details: { service: 'dlq-inspector' } } });
    // A port nobody listens on: what a crashed or not-yet-started service looks like.
    const closedPort = await freePort();
    const down = createConsoleServer(consoleConfigSchema.parse({ DLQ_INSPECTOR_URL: `http://127.0.0.1:${String(closedPort)}` }), web, logger);
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    try {
      const res = await send(`http://127.0.0.1:${String((down.address() as AddressInfo).port)}`, '/api/dlq-inspector/v1/deliveries');
      expect({ status: res.status, body: JSON.parse(res.body) as unknown }).toEqual({ status: 502, body: { code: 'upstream_unavailable', message: 'dlq-inspector could not be reached', details: { service: 'dlq-inspector' } } });
    } finally {
      await new Promise((r) => down.close(r));
    }
  });
});

describe('the console server as a process (apps/console/dist/main.js)', () => {
  const run = promisify(execFile);
  const start = (env: Record<string, string>) =>
    run(process.execPath, [join(REPO_ROOT, 'apps/console/dist/main.js')], { env: { ...process.env, PORT: '0', ...env }, timeout: 10_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (e: unknown) => {
        const failed = e as { code?: number; stderr?: string };
        return { code: failed.code, stderr: failed.stderr };
      },
    );

  it('stops at boot naming the variable that is wrong', async () => {
    expect(await start({ DLQ_INSPECTOR_URL: 'ftp://dlq.internal' })).toEqual({ code: 1, stderr: expect.stringContaining('DLQ_INSPECTOR_URL') });
    expect(await start({ PORT: '70000' })).toEqual({ code: 1, stderr: expect.stringContaining('PORT') });
    expect(await start({ CONSOLE_WEB_DIR: join(tmpdir(), 'no-console-build-here') })).toEqual({ code: 1, stderr: expect.stringContaining('CONSOLE_WEB_DIR') });
  });
});
