import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack } from '@hookstream/testing';

interface Upload {
  status: number;
  head: string;
  /** Body bytes the client had written when the first byte of the answer arrived. */
  sentBeforeAnswer: number;
  total: number;
}

/**
 * Writes a large body slowly (64 KiB every 10 ms) and stops as soon as the server answers: a
 * server that reads the body before it decides can only answer once everything was sent.
 */
function slowUpload(port: number, path: string, headers: Record<string, string>, total: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    let answer = '';
    let sentAtAnswer: number | null = null;
    let timer: NodeJS.Timeout | null = null;
    const finish = () => {
      if (timer) clearTimeout(timer);
      socket.destroy();
      const head = answer.split('\r\n\r\n')[0] ?? '';
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, sentBeforeAnswer: sentAtAnswer ?? sent, total });
    };
    socket.on('data', (d: Buffer) => {
      sentAtAnswer ??= sent;
      answer += d.toString('latin1');
      if (answer.includes('\r\n\r\n')) finish();
    });
    // The server may close its side mid-upload: that is the point, not a failure.
    socket.on('error', () => finish());
    socket.on('close', () => finish());
    const lines = Object.entries({ host: '127.0.0.1', 'content-type': 'application/json', 'content-length': String(total), ...headers }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    const pump = () => {
      if (sentAtAnswer !== null || socket.destroyed) return;
      if (sent >= total) return;
      const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += piece.length;
      socket.write(piece);
      // 64 KiB every 25 ms: a server that answers without reading the body has about 100 ms
      // (a quarter of a 1 MiB body) to do so, room for a loaded CI machine's scheduling.
      timer = setTimeout(pump, 25);
    };
    pump();
    socket.setTimeout(60_000, () => reject(new Error(`no answer from ${path} after ${sent} bytes`)));
  });
}

const MiB = 1024 * 1024;
const badKey = `hsk_${'a'.repeat(16)}_${'b'.repeat(43)}`;

/** Each service checks the API key before it reads a byte of the body; public routes read little. */
describe('authentication before body parsing', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let registry: ServiceProcess;
  let inspector: ServiceProcess;

  beforeAll(async () => {
    stack = await createTestStack('authparse');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), stack.env());
    registry = new ServiceProcess('subscription-registry', await freePort(), stack.env());
    inspector = new ServiceProcess('dlq-inspector', await freePort(), stack.env());
    for (const s of [gateway, registry, inspector]) s.start();
    await Promise.all([gateway.waitReady(), registry.waitReady(), inspector.waitReady()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([gateway?.stop(), registry?.stop(), inspector?.stop()]);
    await stack?.close();
  });

  const cases: [string, () => ServiceProcess, string, number][] = [
    ['gateway POST /v1/events (8 MiB limit)', () => gateway, '/v1/events', 8 * MiB],
    ['gateway POST /v1/events/batch', () => gateway, '/v1/events/batch', 8 * MiB],
    ['registry POST /v1/subscriptions', () => registry, '/v1/subscriptions', MiB - 1024],
    ['dlq-inspector POST /v1/replay-jobs', () => inspector, '/v1/replay-jobs', MiB - 1024],
  ];

  it.each(cases)('%s: no key is refused with 401 before the body is read, and the connection is closed', async (_name, service, path, total) => {
    const res = await slowUpload(service().port, path, {}, total);
    // The whole answer is printed when this fails.
    expect(res).toMatchObject({ status: 401 });
    expect(res.head.toLowerCase()).toContain('connection: close');
    expect(res.sentBeforeAnswer).toBeLessThan(total / 4);
  });

  it.each(cases)('%s: an unknown key is refused with 401 before the body is read', async (_name, service, path, total) => {
    const res = await slowUpload(service().port, path, { authorization: `Bearer ${badKey}` }, total);
    expect(res).toMatchObject({ status: 401 });
    expect(res.sentBeforeAnswer).toBeLessThan(total / 4);
  });

  it('refuses a revoked key with 403 before the body is read', async () => {
    const key = await seedTenantKey(stack, 'authparse-revoked');
    await stack.query('UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1', ['authparse-revoked']);
    const res = await slowUpload(gateway.port, '/v1/events', { authorization: `Bearer ${key}` }, 8 * MiB);
    expect(res.status).toBe(403);
    expect(res.sentBeforeAnswer).toBeLessThan(2 * MiB);
  });

  it('gives partner callbacks (public) a 1 MiB limit: a larger body is refused with 413 unread', async () => {
    const res = await slowUpload(gateway.port, '/v1/incoming/stripe/int_nosuchintegration00000', {}, 2 * MiB);
    expect(res.status).toBe(413);
    expect(res.sentBeforeAnswer).toBeLessThan(MiB / 2);
  });

  it('reads no body on health routes', async () => {
    const res = await slowUpload(registry.port, '/health/live', {}, MiB - 1024);
    // Refused with 404 or 413; the server lingers after answering, so the answer is never lost to a reset.
    expect([404, 413]).toContain(res.status);
    expect(res.sentBeforeAnswer).toBeLessThan(MiB / 4);
  });

  it('still reads the body of an authenticated request', async () => {
    const key = await seedTenantKey(stack, 'authparse-ok');
    const res = await fetch(`${gateway.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'evt_authparse_1', type: 'order.placed', occurred_at: new Date().toISOString(), data: { n: 1 } }),
    });
    expect(res.status).toBeLessThan(300);
    expect(await res.json()).toMatchObject({ id: 'evt_authparse_1' });
  });
});
