import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestCa, createTestStack, freePort, ServiceProcess, type TestCa, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { registryClient } from './registry-client.js';

/**
 * Endpoint authentication through the registry's API: validated with field paths, stored and
 * published sealed (no password, token, client secret or private key in any byte of the table or
 * the topic), never returned (only its type and non-secret parts), replaced or removed by PATCH,
 * and re-sealed under a new first key of SUBSCRIPTION_SECRETS_KEYS.
 */
describe('endpoint authentication in the registry', () => {
  let stack: TestStack;
  let registry: ServiceProcess;
  let topic: TopicCollector<{ value: Buffer | null }>;
  let ca: TestCa;

  beforeAll(async () => {
    stack = await createTestStack('endpointauth');
    ca = await createTestCa();
    registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1', SECRET_MAINTENANCE_INTERVAL_MS: '300' });
    registry.start();
    await registry.waitReady();
    topic = await collectTopic(stack, 'hookstream.subscriptions', (_v, _k, m) => ({ value: m.value }));
  }, 120_000);

  afterAll(async () => {
    await topic?.stop();
    await registry?.stop();
    await stack?.close();
    ca?.dispose();
  });

  const client = registryClient(
    () => registry.url,
    () => stack.adminKey,
  );
  const url = 'https://hooks.partner.example/in';

  async function problems(key: string, body: Record<string, unknown>, method = 'POST', path = '/v1/subscriptions') {
    const r = await client.call(method, path, key, body);
    expect(r.status).toBe(422);
    return (r.body['details'] as { path: string; message: string }[]).map((d) => d.path);
  }

  it('refuses malformed credentials with the failing field', async () => {
    const t = await client.tenantWithKey('authbad');
    const expired = await ca.issue({ client: true, expired: true, hosts: [] });
    const other = await ca.issue({ client: true, hosts: [] });
    const client1 = await ca.issue({ client: true, hosts: [] });
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'basic', username: 'a:b', password: 'x' }, 'auth.username'],
      [{ type: 'basic', username: 'a', password: 'x\u0000y' }, 'auth.password'],
      [{ type: 'bearer', token: 'has space' }, 'auth.token'],
      [{ type: 'bearer', token: 'x'.repeat(5000) }, 'auth.token'],
      [{ type: 'bearer', token: 't', extra: 1 }, 'auth'],
      [{ type: 'kerberos' }, 'auth.type'],
      [{ type: 'oauth2_client_credentials', token_url: 'https://auth.example/token', client_id: 'c', client_secret: 's', client_auth: 'jwt' }, 'auth.client_auth'],
      [{ type: 'mtls', certificate: 'not a pem', private_key: client1.key }, 'auth.certificate'],
      [{ type: 'mtls', certificate: expired.cert, private_key: expired.key }, 'auth.certificate'],
      [{ type: 'mtls', certificate: client1.cert, private_key: other.key }, 'auth.private_key'],
    ];
    for (const [auth, path] of cases) expect([auth['type'], await problems(t.key, { url, event_types: ['*'], auth })]).toEqual([auth['type'], [path]]);
    // The token URL obeys the endpoint URL rules: https and public.
    for (const tokenUrl of ['http://auth.example/token', 'https://10.0.0.5/token', 'https://169.254.169.254/latest']) {
      expect(await problems(t.key, { url, event_types: ['*'], auth: { type: 'oauth2_client_credentials', token_url: tokenUrl, client_id: 'c', client_secret: 's' } })).toEqual(['auth.token_url']);
    }
    // Authorization cannot be both a custom header and the credentials' job.
    expect(await problems(t.key, { url, event_types: ['*'], headers: { Authorization: 'Bearer x' }, auth: { type: 'bearer', token: 'y' } })).toEqual(['headers.Authorization']);
    const made = await client.call('POST', '/v1/subscriptions', t.key, { url, event_types: ['*'], auth: { type: 'bearer', token: 'y' } });
    expect(made.status).toBe(201);
    expect(await problems(t.key, { headers: { authorization: 'Basic eA==' } }, 'PATCH', `/v1/subscriptions/${String(made.body['id'])}`)).toEqual(['headers.authorization']);
  });

  it('shows only the type and non-secret parts, and keeps every secret sealed in Postgres and on the changelog', async () => {
    const t = await client.tenantWithKey('authok');
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const token = `tok-${randomBytes(12).toString('hex')}`;
    const clientSecret = `cs-${randomBytes(12).toString('hex')}`;
    const cert = await ca.issue({ client: true, hosts: [], commonName: 'hookstream-client' });
    const keyBody = cert.key.split('\n').slice(1, -2).join('');

    const create = async (auth: Record<string, unknown>) => {
      const r = await client.call('POST', '/v1/subscriptions', t.key, { url, event_types: ['*'], auth });
      expect(r.status).toBe(201);
      return r.body;
    };
    const basic = await create({ type: 'basic', username: 'partner', password });
    const bearer = await create({ type: 'bearer', token });
    const oauth = await create({ type: 'oauth2_client_credentials', token_url: 'https://auth.partner.example/oauth/token', client_id: 'hookstream', client_secret: clientSecret, scope: 'webhooks' });
    const mtls = await create({ type: 'mtls', certificate: cert.cert, private_key: cert.key });

    expect(basic['auth']).toEqual({ type: 'basic', username: 'partner' });
    expect(bearer['auth']).toEqual({ type: 'bearer' });
    expect(oauth['auth']).toEqual({ type: 'oauth2_client_credentials', token_url: 'https://auth.partner.example/oauth/token', client_id: 'hookstream', scope: 'webhooks', client_auth: 'basic' });
    expect(mtls['auth']).toMatchObject({ type: 'mtls', certificate_subject: 'CN=hookstream-client', certificate_sha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
    expect(Date.parse(String((mtls['auth'] as Record<string, unknown>)['certificate_expires_at']))).toBeGreaterThan(Date.now());

    const listed = await client.call('GET', '/v1/subscriptions', t.key);
    const got = await client.call('GET', `/v1/subscriptions/${String(oauth['id'])}`, t.key);
    const shown = JSON.stringify([basic, bearer, oauth, mtls, listed.body, got.body]);

    await waitFor(async () => {
      const rows = await stack.query<{ n: string }>('SELECT count(*) AS n FROM subscriptions WHERE published_version < version');
      return Number(rows[0]?.n) === 0 && topic.values.length >= 4 ? true : undefined;
    }, 20_000, 'every change published');
    const topicBytes = Buffer.concat(topic.values.map((m) => m.value ?? Buffer.alloc(0))).toString('latin1');
    const tables = (await stack.query<{ row: string }>('SELECT row_to_json(t)::text AS row FROM subscription_endpoint_auth t')).map((r) => r.row).join('\n');
    for (const [where, text] of [['the API', shown], ['the topic', topicBytes], ['the table', tables]] as const) {
      for (const secret of [password, token, clientSecret, keyBody.slice(10, 60)]) expect([where, text.includes(secret)]).toEqual([where, false]);
    }
    expect(topicBytes).toContain('"auth":{"type":"bearer","credentials":"hsx1.');
  });

  it('replaces credentials and removes them with null, each a new version', async () => {
    const t = await client.tenantWithKey('authpatch');
    const made = await client.call('POST', '/v1/subscriptions', t.key, { url, event_types: ['*'], auth: { type: 'bearer', token: 'first' } });
    const id = String(made.body['id']);
    const replaced = await client.call('PATCH', `/v1/subscriptions/${id}`, t.key, { auth: { type: 'basic', username: 'u', password: 'p' } });
    expect(replaced.body).toMatchObject({ auth: { type: 'basic', username: 'u' }, version: 2 });
    const other = await client.call('PATCH', `/v1/subscriptions/${id}`, t.key, { description: 'kept' });
    expect(other.body).toMatchObject({ auth: { type: 'basic', username: 'u' }, version: 3 });
    const removed = await client.call('PATCH', `/v1/subscriptions/${id}`, t.key, { auth: null });
    expect(removed.body).toMatchObject({ auth: null, version: 4 });
    expect(await stack.query('SELECT 1 FROM subscription_endpoint_auth WHERE subscription_id = $1', [id])).toEqual([]);
    // Another tenant cannot touch it.
    const stranger = await client.tenantWithKey('authother');
    expect((await client.call('PATCH', `/v1/subscriptions/${id}`, stranger.key, { auth: { type: 'bearer', token: 'mine' } })).status).toBe(404);
  });

  it('re-seals credentials under a new first key, and still opens them', async () => {
    const t = await client.tenantWithKey('authkey');
    const made = await client.call('POST', '/v1/subscriptions', t.key, { url, event_types: ['*'], auth: { type: 'basic', username: 'rekeyed', password: 'secret-pw' } });
    const id = String(made.body['id']);
    const old = stack.env()['SUBSCRIPTION_SECRETS_KEYS'] ?? '';
    await registry.stop();
    registry.setEnv({ SUBSCRIPTION_SECRETS_KEYS: `rest2:${randomBytes(32).toString('base64')},${old}` });
    registry.start();
    await registry.waitReady();
    await waitFor(async () => {
      const rows = await stack.query<{ sealed_key_id: string }>('SELECT sealed_key_id FROM subscription_endpoint_auth WHERE subscription_id = $1', [id]);
      return rows[0]?.sealed_key_id === 'rest2' ? true : undefined;
    }, 20_000, 'the credentials re-sealed under rest2');
    expect((await client.call('GET', `/v1/subscriptions/${id}`, t.key)).body['auth']).toEqual({ type: 'basic', username: 'rekeyed' });
  }, 60_000);
});
