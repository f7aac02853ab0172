import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FeedPage } from '@hookstream/contracts';
import { createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack, waitFor } from '@hookstream/testing';
import pg from 'pg';

/**
 * The catch-up feed against real Postgres and a dlq-inspector process: rows are written as the
 * dispatcher writes them (one INSERT per fan-out batch, its own transaction), so what the feed
 * promises a poller (nothing ever appears behind a cursor it was given) is tested against real
 * concurrent transactions, not a model of them.
 */
describe('the catch-up feed (GET /v1/subscriptions/:id/events)', () => {
  let stack: TestStack;
  let inspector: ServiceProcess;
  const tenantA = `fa_${randomUUID().slice(0, 8)}`;
  const tenantB = `fb_${randomUUID().slice(0, 8)}`;
  let keyA: string;
  let keyB: string;
  const subA = randomUUID();
  const subB = randomUUID();
  let seq = 0;

  beforeAll(async () => {
    stack = await createTestStack('feed');
    keyA = await seedTenantKey(stack, tenantA);
    keyB = await seedTenantKey(stack, tenantB);
    for (const [id, tenant] of [[subA, tenantA], [subB, tenantB]] as const) {
      await stack.query(`INSERT INTO subscriptions (id, tenant_id, url, event_types) VALUES ($1, $2, 'https://receiver.example/hook', ARRAY['order.*'])`, [id, tenant]);
    }
    inspector = new ServiceProcess('dlq-inspector', await freePort(), stack.env());
    inspector.start();
    await inspector.waitReady(90_000);
  }, 120_000);

  afterAll(async () => {
    await inspector?.stop();
    await stack?.close();
  }, 60_000);

  /** A client of its own: the transactions a test holds open are its own. */
  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    return client;
  }

  /** An accepted event and the delivery fan-out made of it, as the gateway and the dispatcher write them. */
  async function match(db: pg.Client | TestStack, tenantId: string, subscriptionId: string, opts: { status?: string; withEvent?: boolean } = {}): Promise<string> {
    const eventId = `evt_${String(++seq).padStart(4, '0')}_${randomUUID().slice(0, 6)}`;
    const receivedAt = new Date().toISOString();
    const run = (sql: string, params: unknown[]) => ('databaseUrl' in db ? db.query(sql, params) : db.query(sql, params));
    if (opts.withEvent !== false) {
      await run(`INSERT INTO events (tenant_id, id, type, occurred_at, received_at, data, source, ordering_key) VALUES ($1, $2, 'order.placed', $3, $3, $4, 'http', 'k-1')`, [
        tenantId,
        eventId,
        receivedAt,
        JSON.stringify({ n: seq }),
      ]);
    }
    await run(`INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type, event_received_at, status) VALUES ($1, $2, $3, $4, 'order.placed', $5, $6)`, [
      randomUUID(),
      tenantId,
      eventId,
      subscriptionId,
      receivedAt,
      opts.status ?? 'pending',
    ]);
    return eventId;
  }

  async function read(subscriptionId: string, apiKey: string, query: Record<string, string> = {}): Promise<{ status: number; body: FeedPage & { code?: string; details?: Array<{ path: string }> } }> {
    const res = await fetch(`${inspector.url}/v1/subscriptions/${subscriptionId}/events?${new URLSearchParams(query).toString()}`, { headers: { authorization: `Bearer ${apiKey}` } });
    return { status: res.status, body: (await res.json()) as FeedPage & { code?: string; details?: Array<{ path: string }> } };
  }

  /** Every item after `after`, page by page. */
  async function readAll(subscriptionId: string, after?: string, limit = '2'): Promise<{ ids: string[]; cursor: string }> {
    const ids: string[] = [];
    let cursor = after;
    for (;;) {
      const page = await read(subscriptionId, keyA, { limit, ...(cursor ? { after: cursor } : {}) });
      expect(page.status).toBe(200);
      ids.push(...page.body.data.map((i) => i.event.id));
      cursor = page.body.next_cursor;
      if (!page.body.has_more) return { ids, cursor };
    }
  }

  /**
   * Waits until every one of `ids` is readable. The horizon is the whole Postgres server's: a
   * transaction another test file holds open in its own database holds back this feed too.
   */
  async function visible(ids: readonly string[], after?: string): Promise<void> {
    await waitFor(async () => {
      const seen = new Set((await readAll(subA, after)).ids);
      return ids.every((id) => seen.has(id)) || undefined;
    }, 30_000, `${ids.join(', ')} in the feed`);
  }

  it('pages through every match in the order recorded, delivered or not, and keeps the cursor at the end', async () => {
    const expected = [await match(stack, tenantA, subA, { status: 'delivered' }), await match(stack, tenantA, subA, { status: 'dead' }), await match(stack, tenantA, subA)];
    await match(stack, tenantB, subB);
    await visible(expected);

    const first = await read(subA, keyA, { limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body.has_more).toBe(true);
    expect(first.body.data.map((i) => [i.event.id, i.delivery.status])).toEqual([[expected[0], 'delivered'], [expected[1], 'dead']]);
    expect(first.body.data[0]).toMatchObject({ event: { type: 'order.placed', ordering_key: 'k-1', data: { n: 1 }, expired: false }, delivery: { attempts: 0 } });
    expect(first.body.next_cursor).toBe(first.body.data[1]?.cursor);

    const all = await readAll(subA);
    expect(all.ids).toEqual(expected);
    // At the end an empty page hands back the cursor it was given: a poller just asks again.
    const empty = await read(subA, keyA, { after: all.cursor });
    expect(empty.body).toEqual({ data: [], next_cursor: all.cursor, has_more: false });
    const later = await match(stack, tenantA, subA);
    await visible([later], all.cursor);
    expect((await readAll(subA, all.cursor)).ids).toEqual([later]);
  });

  it('never shows a row behind a cursor it handed out: a transaction still open holds back everything after it', async () => {
    const start = (await readAll(subA)).cursor;
    const slow = await connect();
    const fast = await connect();
    try {
      await slow.query('BEGIN');
      const early = await match(slow, tenantA, subA);
      // Written and committed after the open transaction took its id, so after it in the feed.
      const late = await match(fast, tenantA, subA);
      await new Promise((r) => setTimeout(r, 300));
      expect((await readAll(subA, start)).ids).toEqual([]);
      await slow.query('COMMIT');
      await visible([early, late], start);
      expect((await readAll(subA, start)).ids).toEqual([early, late]);
    } finally {
      await slow.end();
      await fast.end();
    }
  });

  it('leaves out an aborted transaction’s rows and names an event past retention as expired', async () => {
    const start = (await readAll(subA)).cursor;
    const client = await connect();
    try {
      await client.query('BEGIN');
      await match(client, tenantA, subA);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    const gone = await match(stack, tenantA, subA, { withEvent: false });
    await visible([gone], start);
    const page = await read(subA, keyA, { after: start });
    expect(page.body.data.map((i) => i.event.id)).toEqual([gone]);
    expect(page.body.data[0]?.event).toMatchObject({ id: gone, type: 'order.placed', data: null, expired: true, occurred_at: null });
  });

  it('is tenant-scoped: another tenant’s subscription is a 404, and an admin names the tenant or reads any', async () => {
    expect(await read(subB, keyA)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await read(randomUUID(), keyA)).toMatchObject({ status: 404 });
    expect((await read(subA, keyB)).status).toBe(404);
    expect((await read(subA, keyA, { tenant_id: tenantB })).status).toBe(404);
    const admin = await read(subB, stack.adminKey);
    expect(admin.status).toBe(200);
    expect(admin.body.data).toHaveLength(1);
    expect((await read(subB, stack.adminKey, { tenant_id: tenantA })).status).toBe(404);
  });

  it('refuses forged cursors and limits with 422 naming the parameter, before Postgres sees them', async () => {
    const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    for (const after of ['garbage', forged(['-1', '0']), forged(['99999999999999999999', '1']), forged(['1']), forged([1, 2]), forged(['1', '2', '3']), 'x'.repeat(201)]) {
      const res = await read(subA, keyA, { after });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details?.[0]?.path).toMatch(/after/);
    }
    expect((await read(subA, keyA, { after: '\u0000' })).status).toBe(422);
    for (const limit of ['0', '1001', '2147483648', '1.5', 'ten']) {
      const res = await read(subA, keyA, { limit });
      expect(res.status).toBe(422);
      expect(res.body.details?.[0]?.path).toBe('limit');
    }
    expect((await read('not-a-uuid', keyA)).status).toBe(400);
  });

  it('can answer after a cursor from the index alone: the cursor is an index condition, not a filter', async () => {
    // The plan the bench's p95 at 10 million rows depends on (bench/scenarios/feed.ts). A table
    // this small is cheaper to scan, so scans are switched off to ask what the index can do.
    const client = await connect();
    try {
      await client.query('SET enable_seqscan = off');
      await client.query('SET enable_bitmapscan = off');
      const rows = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT d.id FROM deliveries d WHERE d.subscription_id = $1 AND d.tenant_id = $2 AND d.feed_tx IS NOT NULL
            AND (d.feed_tx, d.feed_seq) > ('1'::xid8, 1::bigint) AND d.feed_tx < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY d.feed_tx, d.feed_seq LIMIT 101`,
        [subA, tenantA],
      );
      const plan = rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan using deliveries_feed on deliveries/);
      expect(plan).toMatch(/Index Cond: .*subscription_id = .*ROW\(feed_tx, feed_seq\) > ROW/);
      expect(plan).not.toMatch(/Sort/);
    } finally {
      await client.end();
    }
  });
});
