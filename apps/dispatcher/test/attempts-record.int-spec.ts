import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, type TestStack } from '@hookstream/testing';
import { DataSource } from 'typeorm';
import { GENERIC_PLANS_OPTION } from '@hookstream/db';
import { OrderedEntriesRepository } from '../src/ordering/ordered-entries.repository.js';
import { type AttemptRow, AttemptsRepository, DELIVERY_PROGRESS, type DeliveryUpdate, recordParameters } from '../src/sending/attempts.repository.js';

/**
 * AttemptsRepository.record against real Postgres: the attempt rows, the health buckets, the
 * deliveries summary and the released leases land together, in one statement for an ordinary
 * batch and in one transaction of several for a batch past one statement's parameters; and
 * recorders writing the same rows at once, in opposite orders, never deadlock.
 */
describe('AttemptsRepository.record', () => {
  let stack: TestStack;
  let db: DataSource;
  let repo: AttemptsRepository;
  const subscriptionId = randomUUID();

  beforeAll(async () => {
    stack = await createTestStack('attemptsrecord');
    db = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 8 });
    await db.initialize();
    repo = new AttemptsRepository(db, new OrderedEntriesRepository(db));
  });

  afterAll(async () => {
    await db?.destroy();
    await stack?.close();
  });

  async function deliveries(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => randomUUID());
    await stack.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type)
       SELECT id, 'record-tenant', 'evt_' || id, $2::uuid, 'order.placed' FROM unnest($1::uuid[]) AS id`,
      [ids, subscriptionId],
    );
    await stack.query(
      `INSERT INTO delivery_leases (delivery_id, generation, attempt, tenant_id, subscription_id, owner, message)
       SELECT id, 0, 1, 'record-tenant', $2::uuid, 'me', '{}'::jsonb FROM unnest($1::uuid[]) AS id`,
      [ids, subscriptionId],
    );
    // Leases live as long as their owner's heartbeat row (migration 0025).
    await stack.query(`INSERT INTO dispatcher_owners (owner, expires_at) VALUES ('me', now() + interval '1 hour'), ('other', now() + interval '1 hour') ON CONFLICT (owner) DO NOTHING`);
    return ids;
  }

  const attempt = (deliveryId: string, ok: boolean): AttemptRow => ({
    id: randomUUID(),
    delivery_id: deliveryId,
    tenant_id: 'record-tenant',
    subscription_id: subscriptionId,
    attempt: 1,
    origin: 'fanout',
    outcome: ok ? 'delivered' : 'retry_scheduled',
    status_code: ok ? 200 : 500,
    error_class: ok ? null : 'http_status',
    error_message: ok ? null : 'HTTP 500',
    response_body: 'x',
    request_url: 'https://example.test/hook',
    started_at: new Date(),
    duration_ms: 3,
    request_headers: { 'content-type': 'application/json' },
  });
  const update = (id: string, ok: boolean): DeliveryUpdate => ({ id, generation: 0, status: ok ? 'delivered' : 'failing', attempts: 1, last_status_code: ok ? 200 : 500, last_error: ok ? null : 'HTTP 500' });
  const keys = (ids: readonly string[]) => ids.map((id) => ({ delivery_id: id, generation: 0, attempt: 1 }));
  const count = async (sql: string, params: unknown[]) => Number((await stack.query<{ n: string }>(sql, params))[0]?.n);

  async function expectRecorded(ids: readonly string[], okCount: number): Promise<void> {
    expect(await count('SELECT count(*) AS n FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[])', [ids])).toBe(ids.length);
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'delivered'`, [ids])).toBe(okCount);
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'failing'`, [ids])).toBe(ids.length - okCount);
    expect(await count('SELECT count(*) AS n FROM delivery_leases WHERE delivery_id = ANY($1::uuid[])', [ids])).toBe(0);
  }

  it('records attempts, buckets, summaries and lease releases of an ordinary batch together', async () => {
    const ids = await deliveries(3);
    const before = await count(`SELECT coalesce(sum(attempts), 0) AS n FROM endpoint_health_buckets WHERE subscription_id = $1 AND span = 'minute'`, [subscriptionId]);
    await repo.record([attempt(ids[0] ?? '', true), attempt(ids[1] ?? '', true), attempt(ids[2] ?? '', false)], ids.map((id, i) => update(id, i < 2)), { owner: 'me', keys: keys(ids) });
    await expectRecorded(ids, 2);
    expect(await count(`SELECT coalesce(sum(attempts), 0) AS n FROM endpoint_health_buckets WHERE subscription_id = $1 AND span = 'minute'`, [subscriptionId])).toBe(before + 3);
  });

  it('records a batch past one statement (2,500 attempts) in one transaction', async () => {
    const ids = await deliveries(2500);
    await repo.record(ids.map((id) => attempt(id, true)), ids.map((id) => update(id, true)), { owner: 'me', keys: keys(ids) });
    await expectRecorded(ids, 2500);
  });

  it('releases only its own leases', async () => {
    const ids = await deliveries(2);
    await repo.record([], [], { owner: 'someone-else', keys: keys(ids) });
    expect(await count('SELECT count(*) AS n FROM delivery_leases WHERE delivery_id = ANY($1::uuid[])', [ids])).toBe(2);
  });

  it('never deadlocks recorders that write the same rows in opposite orders', async () => {
    const ids = await deliveries(200);
    const reversed = [...ids].reverse();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => {
        const order = i % 2 === 0 ? ids : reversed;
        return repo.record(order.map((id) => attempt(id, true)), order.map((id) => update(id, true)), { owner: 'me', keys: keys(order) });
      }),
    );
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'delivered'`, [ids])).toBe(200);
  });

  it('records what jsonb cannot hold (NUL, lone surrogates) in an error or a header as U+FFFD, and loses nothing else of the batch', async () => {
    const ids = await deliveries(2);
    const odd = { ...attempt(ids[0] ?? '', false), error_message: 'ECONNRESET: a\u0000b \ud800', request_headers: { 'x-note': 'c\udc00d' } };
    await repo.record([odd, attempt(ids[1] ?? '', true)], [{ ...update(ids[0] ?? '', false), last_error: 'e\u0000' }, update(ids[1] ?? '', true)], { owner: 'me', keys: keys(ids) });
    await expectRecorded(ids, 1);
    const [row] = await stack.query<{ error_message: string; note: string; last_error: string }>(
      `SELECT a.error_message, a.request_headers->>'x-note' AS note, d.last_error FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE a.delivery_id = $1`,
      [ids[0]],
    );
    expect(row).toEqual({ error_message: 'ECONNRESET: a\ufffdb \ufffd', note: 'c\ufffdd', last_error: 'e\ufffd' });
  });

  it('runs one prepared statement, the same text for every batch size', async () => {
    const one = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 1 });
    await one.initialize();
    try {
      const single = new AttemptsRepository(one, new OrderedEntriesRepository(one));
      for (const n of [1, 3, 7]) {
        const ids = await deliveries(n);
        await single.record(ids.map((id) => attempt(id, true)), ids.map((id) => update(id, true)), { owner: 'me', keys: keys(ids) });
      }
      const prepared: { name: string }[] = await one.query(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'hs_%' ORDER BY name`);
      expect(prepared).toEqual([{ name: 'hs_record_outcomes' }]);
    } finally {
      await one.destroy();
    }
  });

  it("reads other live dispatchers' leases by primary key, and not a dead one's", async () => {
    const ids = await deliveries(20);
    // A dead dispatcher's thousands of leases, analyzed: the primary key stays the way in.
    await stack.query(`INSERT INTO dispatcher_owners (owner, expires_at) VALUES ('gone', now() - interval '1 minute')`);
    await stack.query(
      `INSERT INTO delivery_leases (delivery_id, generation, attempt, tenant_id, subscription_id, owner, message)
       SELECT gen_random_uuid(), 0, 1, 'record-tenant', $1::uuid, 'gone', '{}'::jsonb FROM generate_series(1, 3000)`,
      [subscriptionId],
    );
    await stack.query('ANALYZE delivery_leases');
    await stack.query(`UPDATE delivery_leases SET owner = 'other' WHERE delivery_id = $1`, [ids[0]]);
    await stack.query(`UPDATE delivery_leases SET owner = 'gone' WHERE delivery_id = $1`, [ids[1]]);
    const one = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 1 });
    await one.initialize();
    try {
      await one.query('SET plan_cache_mode = force_generic_plan');
      await one.query(`PREPARE progress_probe(uuid[], text) AS ${DELIVERY_PROGRESS.text}`);
      // EXECUTE takes literals, not bind parameters.
      const plan = await one.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN EXECUTE progress_probe('{${ids.join(',')}}', 'me')`);
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toContain('delivery_leases_pkey');
      expect(text).not.toContain('Seq Scan on delivery_leases');
    } finally {
      await one.destroy();
    }
    const progress = await repo.progress(ids, 'me');
    expect(progress.get(ids[0] ?? '')?.leasedElsewhere).toEqual([{ generation: 0, attempt: 1 }]);
    // Held by a dispatcher whose heartbeat expired: a sweeper re-drives it, nobody holds it.
    expect(progress.get(ids[1] ?? '')?.leasedElsewhere).toEqual([]);
    expect(progress.get(ids[2] ?? '')?.leasedElsewhere).toEqual([]);
  });

  it('reads the leases once per batch on a plan made while the lease table was nearly empty', async () => {
    // A connection keeps the generic plan it made first. Made while a handful of leases existed
    // (held leases go from none to thousands in seconds when an origin turns slow), it scanned the
    // whole lease table once per delivery of a batch: 27 ms a call in hostile_tenant.
    await stack.query('DELETE FROM delivery_leases');
    const few = await deliveries(3);
    await stack.query('VACUUM ANALYZE delivery_leases');
    const one = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 1 });
    await one.initialize();
    try {
      await one.query('SET plan_cache_mode = force_generic_plan');
      await one.query(`PREPARE progress_grown(uuid[], text) AS ${DELIVERY_PROGRESS.text}`);
      await one.query(`EXECUTE progress_grown('{${few.join(',')}}', 'me')`);
      await stack.query(
        `INSERT INTO delivery_leases (delivery_id, generation, attempt, tenant_id, subscription_id, owner, message)
         SELECT gen_random_uuid(), 0, 1, 'record-tenant', $1::uuid, 'other', '{}'::jsonb FROM generate_series(1, 20000)`,
        [subscriptionId],
      );
      const batch = await deliveries(50);
      const [row] = await one.query<{ 'QUERY PLAN': PlanNode[] }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE progress_grown('{${batch.join(',')}}', 'other')`);
      const leaseScans = scansOf(row?.['QUERY PLAN'][0]?.Plan, 'delivery_leases');
      expect(leaseScans.length).toBeGreaterThan(0);
      for (const scan of leaseScans) expect(scan['Actual Loops']).toBeLessThanOrEqual(1);
    } finally {
      await one.destroy();
    }
    const progress = await repo.progress(few, 'other');
    expect(progress.get(few[0] ?? '')?.leasedElsewhere).toEqual([{ generation: 0, attempt: 1 }]);
  });

  it("updates an endpoint's health buckets in place, without new index entries (HOT updates)", async () => {
    const one = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 1 });
    await one.initialize();
    try {
      const single = new AttemptsRepository(one, new OrderedEntriesRepository(one));
      const [first, second] = [await deliveries(1), await deliveries(1)];
      // The first batch makes this minute's and this hour's buckets (new subscription); the second, a success after a failure, updates both.
      const sub = randomUUID();
      const forSub = (a: AttemptRow): AttemptRow => ({ ...a, subscription_id: sub });
      await single.record(first.map((id) => forSub(attempt(id, false))), first.map((id) => update(id, false)), { owner: 'me', keys: keys(first) });
      const counts = await xactCounts(one, 'endpoint_health_buckets', () =>
        single.record(second.map((id) => forSub(attempt(id, true))), second.map((id) => update(id, true)), { owner: 'me', keys: keys(second) }),
      );
      expect(counts).toMatchObject({ upd: 2, hot: 2 });
    } finally {
      await one.destroy();
    }
  });

  it('updates deliveries and releases leases by primary key on a plan made while both tables were small', async () => {
    // The recorder's rows come from jsonb_to_recordset, which the planner takes for 100 rows; on
    // a plan made while deliveries and leases were small, joining 100 rows read both tables whole
    // once per batch (a hash join over a sequential scan) for as long as the connection lived.
    await stack.query('DELETE FROM delivery_leases');
    const first = await deliveries(3);
    await stack.query('VACUUM ANALYZE delivery_leases');
    await stack.query('VACUUM ANALYZE deliveries');
    const one = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 1, extra: { options: GENERIC_PLANS_OPTION } });
    await one.initialize();
    try {
      const single = new AttemptsRepository(one, new OrderedEntriesRepository(one));
      await single.record(first.map((id) => attempt(id, true)), first.map((id) => update(id, true)), { owner: 'me', keys: keys(first) });
      await deliveries(20000);
      const batch = await deliveries(5);
      const params = recordParameters(batch.map((id) => attempt(id, true)), batch.map((id) => update(id, true)), { owner: 'me', keys: keys(batch) });
      const literal = (v: unknown) => `'${(typeof v === 'string' ? v : `{${(v as string[]).join(',')}}`).replaceAll("'", "''")}'`;
      const [row] = await one.query<{ 'QUERY PLAN': PlanNode[] }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE hs_record_outcomes(${params.map(literal).join(', ')})`);
      const plan = row?.['QUERY PLAN'][0]?.Plan;
      for (const table of ['deliveries', 'delivery_leases']) {
        const scans = scansOf(plan, table);
        expect(scans.length).toBeGreaterThan(0);
        for (const scan of scans) expect(scan['Node Type']).not.toBe('Seq Scan');
      }
    } finally {
      await one.destroy();
    }
  });
});

interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  'Actual Loops'?: number;
  Plan?: PlanNode;
  Plans?: PlanNode[];
}

/** Every node of an EXPLAIN (FORMAT JSON) plan that reads `table`. */
function scansOf(node: PlanNode | undefined, table: string): PlanNode[] {
  if (!node) return [];
  const own = node['Relation Name'] === table ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap((p) => scansOf(p, table))];
}

/**
 * What `work` did to `table` on `db` (one connection), from pg_stat_xact_user_tables read before
 * and after it in one transaction: those figures also hold the backend's earlier transactions
 * until it flushes them (at most once a second), so only the difference is this work's.
 */
async function xactCounts(db: DataSource, table: string, work: () => Promise<unknown>): Promise<{ seq: number; idx: number; upd: number; hot: number }> {
  const read = async () =>
    (await db.query<{ seq: number; idx: number; upd: number; hot: number }[]>(
      `SELECT seq_scan::int AS seq, coalesce(idx_scan, 0)::int AS idx, n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables WHERE relname = $1`,
      [table],
    ))[0] ?? { seq: 0, idx: 0, upd: 0, hot: 0 };
  await db.query('BEGIN');
  try {
    const before = await read();
    await work();
    const after = await read();
    return { seq: after.seq - before.seq, idx: after.idx - before.idx, upd: after.upd - before.upd, hot: after.hot - before.hot };
  } finally {
    await db.query('COMMIT');
  }
}
