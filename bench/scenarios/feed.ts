import { createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack } from '@hookstream/testing';
import { epochMs } from '../harness/clock.ts';
import type { Scenario } from '../harness/scenario.ts';
import { latencyFigures, quantiles, round } from '../harness/stats.ts';

const SUBSCRIPTIONS = 100;
const TENANT = 'bench_feed';
const DAYS = 7;
const PAGE = 100;
const WARMUP_REQUESTS = 50;

/**
 * (i) The catch-up feed, GET /v1/subscriptions/:id/events, with 10 million events (short: 100,000)
 * each matched to one of 100 subscriptions, received over the last 7 days into day partitions of
 * events as the gateway keeps them, and their deliveries rows as fan-out writes them (feed
 * position, event received_at). Loaded with INSERT … SELECT generate_series into a throwaway
 * database with a dlq-inspector of its own, then vacuumed. Each timed request reads a page of 100 after a cursor
 * taken from a random row (the reconcile-after-an-outage read), or from the start of a
 * subscription's feed every tenth request; one at a time, timed by the client to the whole answer.
 */
export const catchUpFeed: Scenario = {
  name: 'catch_up_feed',
  title: '(i) catch-up feed: a page after a cursor with 10 million events loaded',
  fullOnly: true,
  async run(ctx) {
    const rows = ctx.options.mode === 'full' ? 10_000_000 : 100_000;
    const requests = ctx.options.sizes.healthRequests;
    const stack = await createTestStack('feedbench');
    let inspector: ServiceProcess | null = null;
    try {
      const key = await seedTenantKey(stack, TENANT);
      const loadStarted = epochMs();
      await load(stack, rows);
      const loadSeconds = (epochMs() - loadStarted) / 1000;
      const [counts] = await stack.query<{ events: string; deliveries: string }>('SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM deliveries) AS deliveries');
      ctx.log(`loaded ${counts?.events} events and ${counts?.deliveries} deliveries in ${Math.round(loadSeconds)} s`);
      // Cursors where a reader could stand: random rows of the feed, each with its subscription.
      const starts = await stack.query<{ subscription_id: string; tx: string; seq: string }>(
        `SELECT subscription_id, feed_tx::text AS tx, feed_seq::text AS seq FROM deliveries TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT $1`,
        [requests + WARMUP_REQUESTS],
      );

      inspector = new ServiceProcess('dlq-inspector', await freePort(), { ...stack.env(), NODE_ENV: 'production', LOG_LEVEL: 'warn' });
      inspector.start();
      await inspector.waitReady(90_000);
      const get = async (i: number): Promise<number> => {
        const start = starts[i % starts.length];
        if (!start) throw new Error('no feed rows to start from');
        const fromStart = i % 10 === 0;
        const after = fromStart ? '' : `&after=${Buffer.from(JSON.stringify([start.tx, start.seq])).toString('base64url')}`;
        const began = performance.now();
        const res = await fetch(`${inspector?.url ?? ''}/v1/subscriptions/${start.subscription_id}/events?limit=${PAGE}${after}`, { headers: { authorization: `Bearer ${key}` } });
        const body = (await res.json()) as { data?: Array<{ event: { expired: boolean } }> };
        const ms = performance.now() - began;
        // A page is full unless the cursor is within a page of the end of its subscription's feed.
        if (res.status !== 200 || !body.data || body.data.some((item) => item.event.expired)) throw new Error(`the feed of ${start.subscription_id} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
        return ms;
      };
      for (let i = 0; i < WARMUP_REQUESTS; i++) await get(requests + i);
      const times: number[] = [];
      for (let i = 0; i < requests; i++) times.push(await get(i));
      const q = quantiles(times);
      const full = rows >= 10_000_000;
      return {
        figures: {
          event_rows: Number(counts?.events ?? 0),
          delivery_rows: Number(counts?.deliveries ?? 0),
          page_size: PAGE,
          load_s: round(loadSeconds, 1),
          ...latencyFigures(q),
          p95_ms_at_10m_events: full ? round(q.p95, 1) : null,
        },
        notes: full ? [] : [`short run: ${rows.toLocaleString('en')} events, not 10 million; the 50 ms target is judged on full runs only`],
      };
    } finally {
      await inspector?.stop();
      await stack.close();
    }
  },
};

/**
 * Day partitions of events (the gateway's, made here as it would), then the events and one
 * delivery each, a million rows per statement, with the deliveries' secondary indexes dropped for
 * the load and built again after it. Delivery i belongs to subscription i mod 100, so every
 * subscription's feed interleaves with the others' in the index, as live fan-out makes it.
 */
export async function load(stack: TestStack, rows: number): Promise<void> {
  await stack.query(
    `INSERT INTO subscriptions (id, tenant_id, url, event_types, enabled)
     SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, $1, 'https://hooks.partner.example/in', '{*}', true
       FROM generate_series(0, $2 - 1) i`,
    [TENANT, SUBSCRIPTIONS],
  );
  for (let d = -DAYS; d <= 1; d++) {
    const day = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + d));
    const next = new Date(day.getTime() + 86_400_000);
    const name = `events_p${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
    await stack.query(`CREATE TABLE ${name} PARTITION OF events FOR VALUES FROM ('${day.toISOString()}') TO ('${next.toISOString()}')`);
  }
  const indexes = await stack.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.tablename = 'deliveries' AND i.schemaname = current_schema()
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const ix of indexes) await stack.query(`DROP INDEX "${ix.name.replace(/"/g, '""')}"`);
  const chunk = 1_000_000;
  const spanMs = DAYS * 86_400_000;
  const loadedAt = new Date().toISOString();
  for (let from = 0; from < rows; from += chunk) {
    const params = [TENANT, rows, from, Math.min(rows, from + chunk) - 1, spanMs, loadedAt];
    // Received oldest first, so feed order and time order agree as they do live; the same
    // instant in both statements, so each delivery names its event's row exactly.
    const receivedAt = `$6::timestamptz - (($2::bigint - i) * $5::bigint / $2::bigint) * interval '1 millisecond'`;
    await stack.query(
      `INSERT INTO events (tenant_id, id, type, occurred_at, received_at, data, source, published_at)
       SELECT $1, 'evt_' || i, 'order.placed', ${receivedAt}, ${receivedAt},
              jsonb_build_object('order_id', i, 'total', (i % 1000) + 0.5, 'currency', 'EUR', 'customer', 'cus_' || (i % 50000)), 'http', now()
         FROM generate_series($3::bigint, $4::bigint) i`,
      params,
    );
    await stack.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type, status, attempts, last_status_code, event_received_at, created_at)
       SELECT gen_random_uuid(), $1, 'evt_' || i, ('00000000-0000-4000-8000-' || lpad((i % $7::int)::text, 12, '0'))::uuid, 'order.placed',
              CASE WHEN i % 50 = 0 THEN 'dead' ELSE 'delivered' END, 1, CASE WHEN i % 50 = 0 THEN 503 ELSE 200 END, ${receivedAt}, ${receivedAt}
         FROM generate_series($3::bigint, $4::bigint) i`,
      [...params, SUBSCRIPTIONS],
    );
  }
  for (const ix of indexes) await stack.query(ix.def);
  // What a week of live writes would have had from autovacuum long since: visibility and hint
  // bits set, statistics current. Timed right after a bulk load instead, every first read of a
  // row sets its hint bits and dirties its page, and autovacuum runs beside the requests.
  await stack.query('VACUUM (ANALYZE) deliveries, events');
}
