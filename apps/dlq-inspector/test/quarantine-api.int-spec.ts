import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { QuarantinedDetail, QuarantinedView, QuarantineRedrive } from '@hookstream/contracts';
import { collectTopic, createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import type { KafkaMessage } from 'kafkajs';

/**
 * The quarantine API against the real thing: poison produced to hookstream.dlq is quarantined by
 * the dlq-inspector's own DLQ consumer, stored from hookstream.dlq.quarantine, listed per tenant,
 * and re-driven back to hookstream.dlq byte for byte.
 */
describe('dlq-inspector quarantine API', () => {
  let stack: TestStack;
  let inspector: ServiceProcess;
  let dlq: TopicCollector<KafkaMessage>;
  const tenantA = `qa_${randomUUID().slice(0, 8)}`;
  const tenantB = `qb_${randomUUID().slice(0, 8)}`;
  let keyA: string;
  let keyB: string;
  const run = randomUUID();
  // A dead letter of tenant A that fails its schema, with headers of its own.
  const poisonA = Buffer.from(JSON.stringify({ run, delivery: { tenant_id: tenantA }, reason: 42 }));
  const headersA = { 'x-origin': 'quarantine-test', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
  // Not JSON at all (NUL and invalid UTF-8 bytes), so it names no tenant: admin only.
  const binary = Buffer.concat([Buffer.from(run), Buffer.from([0x00, 0xff, 0xfe, 0x00, 0x7b])]);

  beforeAll(async () => {
    stack = await createTestStack('quarantine');
    inspector = new ServiceProcess('dlq-inspector', await freePort(), stack.env());
    inspector.start();
    keyA = await seedTenantKey(stack, tenantA);
    keyB = await seedTenantKey(stack, tenantB);
    dlq = await collectTopic(stack, 'hookstream.dlq', (_v, _k, m) => m);
    await inspector.waitReady();
    const producer = stack.kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: `${stack.topicPrefix}hookstream.dlq`,
        messages: [
          { key: 'sub-a', value: poisonA, headers: headersA },
          { key: Buffer.from([0x00, 0x01]), value: binary, headers: { 'x-bin': Buffer.from([0x00, 0x80]) } },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    await waitFor(async () => (await stack.query('SELECT 1 FROM quarantined_messages')).length >= 2, 30_000, 'both poison messages stored');
  }, 120_000);

  afterAll(async () => {
    await dlq?.stop();
    await inspector?.stop();
    await stack?.close();
  });

  async function call<T>(method: string, path: string, apiKey: string) {
    const res = await fetch(`${inspector.url}${path}`, { method, headers: { authorization: `Bearer ${apiKey}` } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
  const list = (apiKey: string, query = '') => call<{ data: QuarantinedView[]; next_cursor: string | null }>('GET', `/v1/quarantine${query}`, apiKey);
  const idOf = async (where: string) => (await stack.query<{ id: string }>(`SELECT id FROM quarantined_messages WHERE ${where} ORDER BY source_offset LIMIT 1`))[0]?.id ?? '';

  it('lists a tenant only its own quarantined messages, and an admin every one', async () => {
    const mine = await list(keyA);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([
      expect.objectContaining({ tenant_id: tenantA, code: 'validation_failed', source: expect.objectContaining({ topic: 'hookstream.dlq' }) as unknown, consumer_group: 'dlq-inspector', status: 'quarantined', value_bytes: poisonA.length }),
    ]);
    expect((await list(keyB)).body.data).toEqual([]);
    // Naming another tenant is a 404, as everywhere in the API.
    expect((await list(keyB, `?tenant_id=${tenantA}`)).status).toBe(404);
    const all = await list(stack.adminKey, '?topic=hookstream.dlq');
    expect(all.body.data.map((q) => [q.tenant_id, q.code]).sort()).toEqual([[null, 'malformed_json'], [tenantA, 'validation_failed']].sort());
    expect((await list(stack.adminKey, '?code=malformed_json')).body.data).toHaveLength(1);
    expect((await list(stack.adminKey, '?topic=hookstream.events')).body.data).toEqual([]);
    const first = await list(stack.adminKey, '?limit=1');
    expect(first.body.next_cursor).not.toBeNull();
    const second = await list(stack.adminKey, `?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.data[0]?.id).not.toBe(first.body.data[0]?.id);
    expect((await list(stack.adminKey, '?topic=nope')).status).toBe(422);
    expect((await list(stack.adminKey, '?cursor=junk')).status).toBe(422);
  });

  it('shows the reason, the source coordinates and the original bytes; never to another tenant', async () => {
    const id = await idOf(`tenant_id = '${tenantA}'`);
    const got = await call<QuarantinedDetail>('GET', `/v1/quarantine/${id}`, keyA);
    expect(got.status).toBe(200);
    expect(got.body.value).toEqual({ encoding: 'utf8', data: poisonA.toString() });
    expect(got.body.reason).toContain('reason');
    expect(got.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'reason' })]));
    expect(got.body.headers).toEqual(expect.arrayContaining([{ name: { encoding: 'utf8', data: 'x-origin' }, value: { encoding: 'utf8', data: 'quarantine-test' } }]));
    expect((await call('GET', `/v1/quarantine/${id}`, keyB)).status).toBe(404);
    const adminOnly = await idOf('tenant_id IS NULL');
    expect((await call('GET', `/v1/quarantine/${adminOnly}`, keyA)).status).toBe(404);
    const bin = await call<QuarantinedDetail>('GET', `/v1/quarantine/${adminOnly}`, stack.adminKey);
    expect(bin.body.value).toEqual({ encoding: 'base64', data: binary.toString('base64') });
    expect((await call('GET', '/v1/quarantine/not-a-uuid', stack.adminKey)).status).toBe(400);
  });

  it('re-drives the original value and headers back to the source topic, byte for byte, once', async () => {
    const id = await idOf(`tenant_id = '${tenantA}'`);
    expect((await call('POST', `/v1/quarantine/${id}/redrive`, keyB)).status).toBe(404);
    const before = dlq.values.length;
    const first = await call<QuarantineRedrive>('POST', `/v1/quarantine/${id}/redrive`, keyA);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ created: true, status: 'redriven', redrive_count: 1 });
    const [back] = await waitFor(() => (dlq.values.length > before ? dlq.values.slice(before) : undefined), 10_000, 'the re-driven message');
    expect(back?.value?.equals(poisonA)).toBe(true);
    expect(back?.key?.toString()).toBe('sub-a');
    expect(Object.fromEntries(Object.entries(back?.headers ?? {}).map(([k, v]) => [k, v?.toString()]))).toEqual(headersA);
    const again = await call<QuarantineRedrive>('POST', `/v1/quarantine/${id}/redrive`, keyA);
    expect(again.body).toMatchObject({ created: false, redrive_count: 1 });
    const audit = await stack.query<{ requested_by: string }>('SELECT requested_by FROM quarantine_redrives WHERE quarantined_id = $1', [id]);
    expect(audit).toHaveLength(1);

    const adminOnly = await idOf('tenant_id IS NULL');
    expect((await call('POST', `/v1/quarantine/${adminOnly}/redrive`, keyA)).status).toBe(404);
    const bin = await call<QuarantineRedrive>('POST', `/v1/quarantine/${adminOnly}/redrive`, stack.adminKey);
    expect(bin.status).toBe(202);
    const binBack = await waitFor(() => dlq.values.find((m) => m.value?.equals(binary) && m.offset !== '1'), 10_000, 'the re-driven binary message');
    expect(binBack.key?.equals(Buffer.from([0x00, 0x01]))).toBe(true);
    expect(Buffer.isBuffer(binBack.headers?.['x-bin']) && (binBack.headers['x-bin']).equals(Buffer.from([0x00, 0x80]))).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(dlq.values.filter((m) => m.value?.equals(poisonA))).toHaveLength(2);
    // Still poison: quarantined again, as a new row for its new offset.
    await waitFor(async () => (await stack.query('SELECT 1 FROM quarantined_messages WHERE tenant_id = $1', [tenantA])).length === 2, 10_000, 'the re-driven poison quarantined again');
  });

  /** The hookstream CLI as a process (npm run build writes apps/cli/dist). */
  function cli(args: string[], apiKey: string): Promise<{ code: number | null; stdout: string }> {
    const env = { ...process.env, HOOKSTREAM_API_KEY: apiKey, HOOKSTREAM_DLQ_URL: inspector.url };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['apps/cli/bin/hookstream.mjs', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
  }

  it('lists, shows and re-drives through the hookstream CLI', async () => {
    const ls = await cli(['quarantine', 'list', '--topic', 'hookstream.dlq', '--json'], keyA);
    expect(ls.code).toBe(0);
    const page = JSON.parse(ls.stdout) as { data: QuarantinedView[] };
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((q) => q.tenant_id === tenantA)).toBe(true);
    const table = await cli(['quarantine', 'ls'], keyA);
    expect(table.stdout).toMatch(/validation_failed/);
    const id = page.data[0]?.id ?? '';
    const show = await cli(['quarantine', 'show', id], keyA);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`"run":"${run}"`);
    expect(show.stdout).toContain('hookstream.dlq partition');
    expect((await cli(['quarantine', 'show', id], keyB)).code).toBe(4);
    const redriven = await cli(['quarantine', 'redrive', id], keyA);
    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toMatch(/re-drove|already re-driven/);
  });
});
