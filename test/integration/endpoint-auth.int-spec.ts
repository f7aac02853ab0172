import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EndpointAuth } from '@hookstream/contracts';
import { createTestCa, type TestCa, TestReceiver, TestTokenServer } from '@hookstream/testing';
import { type AuthTarget, EndpointAuthenticator, type HttpSender, type OutgoingRequest, UndiciSender } from '@hookstream/webhook-http';

/**
 * EndpointAuthenticator (libs/webhook-http) with the dispatcher's sender against loopback
 * receivers that enforce each scheme: Basic, a static bearer token, OAuth 2.0 client credentials
 * from a local token server, and mTLS with client certificates from a test CA.
 */
describe('endpoint authentication (real sender, loopback receivers)', () => {
  let ca: TestCa;
  let tokens: TestTokenServer;
  let bearerReceiver: TestReceiver;
  let mtlsReceiver: TestReceiver;
  let sender: HttpSender;
  let strictSender: HttpSender;
  const basic = { username: 'hookstream', password: 'p@ss:w0rd wïth spaces' };

  beforeAll(async () => {
    ca = await createTestCa();
    tokens = await TestTokenServer.start('client 1', 's3cret/with+chars');
    bearerReceiver = await TestReceiver.start({
      respond: (req) => {
        const auth = req.headers.authorization ?? '';
        if (req.path === '/basic') return { status: auth === `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}` ? 200 : 401 };
        if (req.path === '/static') return { status: auth === 'Bearer static-token_1.2~3+/=' ? 200 : 401 };
        return { status: tokens.accepts(req.headers.authorization) ? 200 : 401 };
      },
    });
    const serverCert = await ca.issue();
    mtlsReceiver = await TestReceiver.start({ tls: { ...serverCert, clientCa: ca.certificate } });
    sender = new UndiciSender({ allow: { hosts: new Set(['127.0.0.1']) }, connectTimeoutMs: 2000, maxHosts: 50, extraCaCertificates: ca.certificate });
    strictSender = new UndiciSender({ allow: { hosts: new Set() }, connectTimeoutMs: 2000, maxHosts: 50 });
  });

  afterAll(async () => {
    sender.close();
    strictSender.close();
    await Promise.all([tokens.close(), bearerReceiver.close(), mtlsReceiver.close()]);
    ca.dispose();
  });

  const target = (auth: EndpointAuth | null, version = 1): AuthTarget => ({ id: randomUUID(), version, timeout_ms: 3000, auth: auth && { type: auth.type, credentials: JSON.stringify(auth) } });
  const request = (url: string): OutgoingRequest => ({ url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 3000 });
  const oauth = (overrides: Partial<Extract<EndpointAuth, { type: 'oauth2_client_credentials' }>> = {}): EndpointAuth => ({
    type: 'oauth2_client_credentials',
    token_url: tokens.url,
    client_id: tokens.clientId,
    client_secret: tokens.clientSecret,
    scope: 'webhooks:write',
    client_auth: 'basic',
    ...overrides,
  });

  it('sends HTTP Basic and a static bearer token, and the receiver refuses them without', async () => {
    const auth = new EndpointAuthenticator(sender);
    expect(await auth.send(target({ type: 'basic', ...basic }), request(`${bearerReceiver.url}/basic`))).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(await auth.send(target({ type: 'bearer', token: 'static-token_1.2~3+/=' }), request(`${bearerReceiver.url}/static`))).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(await auth.send(target(null), request(`${bearerReceiver.url}/basic`))).toMatchObject({ kind: 'response', statusCode: 401 });
  });

  it('fetches one OAuth token for concurrent attempts, caches it, and sends it as a bearer token', async () => {
    const auth = new EndpointAuthenticator(sender);
    const sub = target(oauth());
    const before = tokens.requests.length;
    const results = await Promise.all(Array.from({ length: 10 }, () => auth.send(sub, request(`${bearerReceiver.url}/oauth`))));
    expect(results.every((r) => r.kind === 'response' && r.statusCode === 200)).toBe(true);
    expect(await auth.send(sub, request(`${bearerReceiver.url}/oauth`))).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(tokens.requests.slice(before)).toEqual([expect.objectContaining({ grantType: 'client_credentials', clientId: 'client 1', scope: 'webhooks:write', via: 'basic' })]);
  });

  it('authenticates to the token URL in the form body when asked', async () => {
    const auth = new EndpointAuthenticator(sender);
    const before = tokens.requests.length;
    expect(await auth.send(target(oauth({ client_auth: 'body', audience: 'https://partner.example/' })), request(`${bearerReceiver.url}/oauth`))).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(tokens.requests.slice(before)).toEqual([expect.objectContaining({ via: 'body', audience: 'https://partner.example/' })]);
  });

  it('fetches a new token once when the endpoint answers 401 (revoked early), within the same attempt', async () => {
    const auth = new EndpointAuthenticator(sender);
    const sub = target(oauth());
    expect(await auth.send(sub, request(`${bearerReceiver.url}/oauth`))).toMatchObject({ statusCode: 200 });
    tokens.revokeAll();
    const before = tokens.requests.length;
    const answered = bearerReceiver.requests.length;
    expect(await auth.send(sub, request(`${bearerReceiver.url}/oauth`))).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(tokens.requests.length - before).toBe(1);
    expect(bearerReceiver.requests.length - answered).toBe(2);
  });

  it('fetches a new token when the cached one is about to expire', async () => {
    const auth = new EndpointAuthenticator(sender);
    const sub = target(oauth());
    tokens.expiresIn = 1;
    try {
      const before = tokens.requests.length;
      expect(await auth.send(sub, request(`${bearerReceiver.url}/oauth`))).toMatchObject({ statusCode: 200 });
      await new Promise((r) => setTimeout(r, 1000));
      expect(await auth.send(sub, request(`${bearerReceiver.url}/oauth`))).toMatchObject({ statusCode: 200 });
      expect(tokens.requests.length - before).toBe(2);
    } finally {
      tokens.expiresIn = 3600;
    }
  });

  it('reports a refused client as auth_token, with the token URL\'s error, and sends nothing to the endpoint', async () => {
    const auth = new EndpointAuthenticator(sender);
    const answered = bearerReceiver.requests.length;
    const r = await auth.send(target(oauth({ client_secret: 'wrong' })), request(`${bearerReceiver.url}/oauth`));
    expect(r).toMatchObject({ kind: 'error', errorClass: 'auth_token' });
    expect(r.kind === 'error' && r.message).toBe('the token URL answered 401: invalid_client (unknown client or wrong secret)');
    expect(bearerReceiver.requests.length).toBe(answered);
  });

  it('reports a token URL that is down or answers no token as auth_token', async () => {
    const auth = new EndpointAuthenticator(sender);
    tokens.failWith = { status: 200, body: '{"token_type":"Bearer"}' };
    try {
      expect(await auth.send(target(oauth()), request(`${bearerReceiver.url}/oauth`))).toMatchObject({ errorClass: 'auth_token', message: 'the token URL answered no usable access_token' });
      tokens.failWith = { status: 503, body: '<html>down</html>' };
      expect(await auth.send(target(oauth()), request(`${bearerReceiver.url}/oauth`))).toMatchObject({ errorClass: 'auth_token', message: 'the token URL answered 503' });
    } finally {
      tokens.failWith = null;
    }
  });

  it('answers a failed token fetch again for 5 s instead of asking the token URL per attempt', async () => {
    let clock = Date.now();
    const auth = new EndpointAuthenticator(sender, () => clock);
    const sub = target(oauth());
    const before = tokens.requests.length;
    tokens.failWith = { status: 500, body: '{"error":"temporarily_unavailable"}' };
    try {
      expect(await auth.send(sub, request(`${bearerReceiver.url}/oauth`))).toMatchObject({ errorClass: 'auth_token', message: 'the token URL answered 500: temporarily_unavailable' });
    } finally {
      tokens.failWith = null;
    }
    clock += 4000;
    expect(await auth.send(sub, request(`${bearerReceiver.url}/oauth`))).toMatchObject({ errorClass: 'auth_token' });
    expect(tokens.requests.length - before).toBe(1);
    clock += 1001;
    expect(await auth.send(sub, request(`${bearerReceiver.url}/oauth`))).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(tokens.requests.length - before).toBe(2);
  });

  it('sends the token request through the SSRF guard: a loopback token URL is refused without the allowlist, before any connection', async () => {
    const auth = new EndpointAuthenticator(strictSender);
    const before = tokens.requests.length;
    const r = await auth.send(target(oauth()), request('https://hooks.partner.example/in'));
    expect(r).toMatchObject({ kind: 'error', errorClass: 'auth_token' });
    expect(r.kind === 'error' && r.message).toContain('ssrf_refused');
    expect(tokens.requests.length).toBe(before);
  });

  it('presents a client certificate (mTLS) on its own connections; without one, or with another CA\'s, the endpoint refuses', async () => {
    const auth = new EndpointAuthenticator(sender);
    const client = await ca.issue({ hosts: [], commonName: 'partner-client-7', client: true });
    const ok = await auth.send(target({ type: 'mtls', certificate: client.cert, private_key: client.key }), request(`${mtlsReceiver.url}/in`));
    expect(ok).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(mtlsReceiver.requests.at(-1)?.clientCertificate).toBe('partner-client-7');

    // The same origin without a certificate: its own pool, so the mTLS connection is not reused.
    const without = await auth.send(target(null), request(`${mtlsReceiver.url}/in`));
    expect(without.kind).toBe('error');
    const stranger = await createTestCa('someone else');
    try {
      const foreign = await stranger.issue({ hosts: [], commonName: 'intruder', client: true });
      const refused = await auth.send(target({ type: 'mtls', certificate: foreign.cert, private_key: foreign.key }), request(`${mtlsReceiver.url}/in`));
      expect(refused.kind).toBe('error');
    } finally {
      stranger.dispose();
    }
    expect(mtlsReceiver.requests.map((r) => r.clientCertificate)).toEqual(['partner-client-7']);
  });
});
