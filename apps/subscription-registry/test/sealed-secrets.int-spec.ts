import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, freePort, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { registryClient } from './registry-client.js';

/**
 * Issue 14: every subscription's signing secret (and every ed25519 private key) sat in clear in
 * Postgres and on the compacted hookstream.subscriptions topic. After a create, a rotation, a
 * delete, and a row left in clear by an older version, every byte of the topic and of the
 * subscription tables is read, and no secret is found in clear; the rotated-out secret is purged
 * once its overlap ends; the owner can still reveal the secret that signs.
 */
describe('signing secrets are sealed in Postgres and on the changelog', () => {
  let stack: TestStack;
  let registry: ServiceProcess;
  let topic: TopicCollector<{ key: Buffer | null; value: Buffer | null; headers: Buffer[] }>;
  const secret = () => `whsec_${randomBytes(24).toString('base64')}`;

  beforeAll(async () => {
    stack = await createTestStack('sealedsecrets');
    registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1', SECRET_MAINTENANCE_INTERVAL_MS: '300' });
    registry.start();
    await registry.waitReady();
    topic = await collectTopic(stack, 'hookstream.subscriptions', (_v, _k, m) => ({
      key: m.key,
      value: m.value,
      headers: Object.values(m.headers ?? {}).flatMap((h) => (h === undefined ? [] : Array.isArray(h) ? h.map((x) => Buffer.from(x)) : [Buffer.from(h)])),
    }));
  }, 120_000);

  afterAll(async () => {
    await topic?.stop();
    await registry?.stop();
    await stack?.close();
  });

  const client = registryClient(
    () => registry.url,
    () => stack.adminKey,
  );

  it('finds no secret in clear in any byte of the topic or the tables', async () => {
    const t = await client.tenantWithKey('sealed');
    const [s1, s2, s3, s4] = [secret(), secret(), secret(), secret()];
    const create = async (body: Record<string, unknown>) => {
      const r = await client.call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/in', event_types: ['*'], ...body });
      expect(r.status).toBe(201);
      return String(r.body['id']);
    };
    const rotated = await create({ secret: s1 });
    await create({ signature_scheme: 'ed25519' });
    const deleted = await create({ secret: s3 });
    const legacy = await create({ secret: secret() });

    const rotation = await client.call('POST', `/v1/subscriptions/${rotated}/secret/rotate`, t.key, { secret: s2, overlap_seconds: 1 });
    expect(rotation.status).toBe(200);
    expect((await client.call('DELETE', `/v1/subscriptions/${deleted}`, t.key)).status).toBe(204);
    // A row as a registry before sealing left it: clear text, nothing sealed.
    await stack.query(`UPDATE subscription_secrets SET secret = $2, sealed = NULL, sealed_key_id = NULL WHERE subscription_id = $1`, [legacy, s4]);

    // The maintenance job seals the legacy row and purges s1 once its 1 s overlap has ended.
    await waitFor(async () => {
      const rows = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM subscription_secrets WHERE sealed IS NULL OR subscription_id = $1 AND expires_at IS NOT NULL`, [rotated]);
      return Number(rows[0]?.n) === 0 ? true : undefined;
    }, 20_000, 'the legacy row sealed and the rotated-out secret purged');
    // Every subscription's latest version is on the topic (the job republished the legacy one).
    await waitFor(async () => {
      const rows = await stack.query<{ n: string }>('SELECT count(*) AS n FROM subscriptions WHERE published_version < version');
      return Number(rows[0]?.n) === 0 && topic.values.length >= 7 ? true : undefined;
    }, 20_000, 'every change published');
    await new Promise((r) => setTimeout(r, 500));

    const topicBytes = Buffer.concat(topic.values.flatMap((m) => [m.key ?? Buffer.alloc(0), m.value ?? Buffer.alloc(0), ...m.headers])).toString('latin1');
    const tables = (
      await Promise.all(
        ['subscription_secrets', 'subscriptions'].map(async (table) => (await stack.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`)).map((r) => r.row)),
      )
    ).flat().join('\n');
    for (const [where, text] of [['the topic', topicBytes], ['the tables', tables]] as const) {
      for (const s of [s1, s2, s3, s4]) {
        expect([where, text.includes(s) || text.includes(s.slice('whsec_'.length))]).toEqual([where, false]);
      }
      // No secret of any kind in clear: HMAC secrets start whsec_, ed25519 private keys whsk_.
      expect([where, /whsec_|whsk_/.test(text)]).toEqual([where, false]);
    }
    expect(topicBytes).toContain('hsx1.');

    // The owner still reveals the secret that signs now.
    const revealed = await client.call('GET', `/v1/subscriptions/${rotated}/secret`, t.key);
    expect(revealed.status).toBe(200);
    expect(JSON.stringify(revealed.body)).toContain(s2);
    expect(JSON.stringify(revealed.body)).not.toContain(s1);
  }, 60_000);
});
