import { LATENCY_BOUNDS_MS } from '@hookstream/domain';
import { createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack } from '@hookstream/testing';
import { epochMs } from '../harness/clock.ts';
import type { Scenario } from '../harness/scenario.ts';
import { latencyFigures, quantiles, round } from '../harness/stats.ts';

const SUBSCRIPTIONS = 1000;
const TENANT = 'bench_health';
const WARMUP_REQUESTS = 50;

/**
 * (h) GET /v1/endpoint-health/:id of the dlq-inspector with a day of history: 10 million
 * attempt rows (short: 100,000) over 1,000 subscriptions, spread over the last 24 hours, and the
 * aggregates they make (per minute and per hour, computed from them in one pass), loaded with INSERT … SELECT
 * generate_series into a throwaway database of its own, with a dlq-inspector of its own on it,
 * so the pipeline's tables are untouched. Requests are made one at a time, each for a random
 * subscription, after a warm-up; the figure is the client's time to the whole answer.
 */
export const endpointHealth: Scenario = {
  name: 'endpoint_health',
  title: '(h) endpoint health: the route\'s latency with a day of attempts loaded',
  async run(ctx) {
    const { options } = ctx;
    const rows = options.sizes.healthAttemptRows;
    const stack = await createTestStack('healthbench');
    let inspector: ServiceProcess | null = null;
    try {
      const key = await seedTenantKey(stack, TENANT);
      const subs = Array.from({ length: SUBSCRIPTIONS }, (_, i) => subscriptionId(i));
      const loadStarted = epochMs();
      await load(stack, rows);
      const loadSeconds = (epochMs() - loadStarted) / 1000;
      const [counts] = await stack.query<{ attempts: string; buckets: string }>(
        'SELECT (SELECT count(*) FROM delivery_attempts) AS attempts, (SELECT count(*) FROM endpoint_health_buckets) AS buckets',
      );
      ctx.log(`loaded ${counts?.attempts} attempts and ${counts?.buckets} aggregate rows in ${Math.round(loadSeconds)} s`);

      inspector = new ServiceProcess('dlq-inspector', await freePort(), { ...stack.env(), NODE_ENV: 'production', LOG_LEVEL: 'warn' });
      inspector.start();
      await inspector.waitReady(90_000);
      const url = inspector.url;
      const get = async (i: number): Promise<number> => {
        const sub = subs[(i * 7919) % subs.length] ?? '';
        const began = performance.now();
        const res = await fetch(`${url}/v1/endpoint-health/${sub}`, { headers: { authorization: `Bearer ${key}` } });
        const body = (await res.json()) as { last_day?: { attempts?: number } };
        const ms = performance.now() - began;
        if (res.status !== 200 || !body.last_day?.attempts) throw new Error(`endpoint health of ${sub} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
        return ms;
      };
      for (let i = 0; i < WARMUP_REQUESTS; i++) await get(i);
      const times: number[] = [];
      for (let i = 0; i < options.sizes.healthRequests; i++) times.push(await get(WARMUP_REQUESTS + i));
      const q = quantiles(times);
      const full = rows >= 10_000_000;
      return {
        figures: {
          attempt_rows: Number(counts?.attempts ?? 0),
          aggregate_rows: Number(counts?.buckets ?? 0),
          load_s: round(loadSeconds, 1),
          ...latencyFigures(q),
          p95_ms_at_10m_rows: full ? round(q.p95, 1) : null,
        },
        notes: full ? [] : [`short run: ${rows.toLocaleString('en')} attempt rows, not 10 million; the 50 ms target is judged on full runs only`],
      };
    } finally {
      await inspector?.stop();
      await stack.close();
    }
  },
};

function subscriptionId(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

/**
 * The attempts, a tenth of them failures, with durations spread over 0-2 s and start times over
 * the last day; then the aggregates the dispatcher would have kept for exactly these rows, and a
 * few pending retries and dead letters. Secondary indexes of delivery_attempts are dropped for
 * the load and rebuilt after it (faster than maintaining them row by row), whatever shape the
 * table has (plain or partitioned).
 */
async function load(stack: TestStack, rows: number): Promise<void> {
  await stack.query(
    `INSERT INTO subscriptions (id, tenant_id, url, event_types, enabled)
     SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, $1, 'https://hooks.partner.example/in', '{*}', true
       FROM generate_series(0, $2 - 1) i`,
    [TENANT, SUBSCRIPTIONS],
  );
  const indexes = await stack.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.tablename = 'delivery_attempts' AND i.schemaname = current_schema()
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const ix of indexes) await stack.query(`DROP INDEX ${quoteIdent(ix.name)}`);
  const chunk = 1_000_000;
  for (let from = 0; from < rows; from += chunk) {
    await stack.query(
      `INSERT INTO delivery_attempts (id, delivery_id, tenant_id, subscription_id, attempt, origin, outcome, status_code, error_class, error_message, request_url, started_at, duration_ms)
       SELECT gen_random_uuid(), gen_random_uuid(), $1, ('00000000-0000-4000-8000-' || lpad((i % $2)::text, 12, '0'))::uuid, 1, 'fanout',
              CASE WHEN i % 10 = 0 THEN 'retry_scheduled' ELSE 'delivered' END,
              CASE WHEN i % 10 = 0 THEN 503 ELSE 200 END,
              CASE WHEN i % 10 = 0 THEN 'http_status' END,
              CASE WHEN i % 10 = 0 THEN 'endpoint answered 503' END,
              'https://hooks.partner.example/in',
              now() - (i * 86400000 / $3::bigint) * interval '1 millisecond',
              ((i * 7919) % 2000)::int
         FROM generate_series($4::bigint, $5::bigint) i`,
      [TENANT, SUBSCRIPTIONS, rows, from, Math.min(rows, from + chunk) - 1],
    );
  }
  // A partitioned table's index is defined ON ONLY the parent; made again on the whole table, it covers every partition.
  for (const ix of indexes) await stack.query(ix.def.replace(' ON ONLY ', ' ON '));
  // One count per histogram bucket, with the boundaries the dispatcher uses (libs/domain).
  const bounds = [0, ...LATENCY_BOUNDS_MS];
  const histogram = bounds
    .map((lower, i) => {
      const upper = LATENCY_BOUNDS_MS[i];
      const above = i === 0 ? 'true' : `duration_ms > ${lower}`;
      return `count(*) FILTER (WHERE ${above}${upper === undefined ? '' : ` AND duration_ms <= ${upper}`})::int`;
    })
    .join(', ');
  await stack.query(
    `INSERT INTO endpoint_health_buckets (subscription_id, span, bucket_start, tenant_id, attempts, successes, failures, postponements, latency_histogram,
                                          last_success_at, last_failure_at, last_failure_status, last_failure_class, last_failure_message, last_attempt_at)
     SELECT subscription_id, CASE WHEN GROUPING(date_trunc('minute', started_at)) = 0 THEN 'minute' ELSE 'hour' END,
            COALESCE(date_trunc('minute', started_at), date_trunc('hour', started_at)), min(tenant_id), count(*), count(*) FILTER (WHERE outcome = 'delivered'),
            count(*) FILTER (WHERE outcome <> 'delivered'), 0, ARRAY[${histogram}],
            max(started_at) FILTER (WHERE outcome = 'delivered'), max(started_at) FILTER (WHERE outcome <> 'delivered'),
            CASE WHEN count(*) FILTER (WHERE outcome <> 'delivered') > 0 THEN 503 END,
            CASE WHEN count(*) FILTER (WHERE outcome <> 'delivered') > 0 THEN 'http_status' END,
            CASE WHEN count(*) FILTER (WHERE outcome <> 'delivered') > 0 THEN 'endpoint answered 503' END,
            max(started_at)
       FROM delivery_attempts
      GROUP BY GROUPING SETS ((subscription_id, date_trunc('minute', started_at)), (subscription_id, date_trunc('hour', started_at)))`,
  );
  await stack.query(
    `INSERT INTO scheduled_retries (delivery_id, tenant_id, subscription_id, attempt, due_at, message)
     SELECT gen_random_uuid(), $1, ('00000000-0000-4000-8000-' || lpad((i % $2)::text, 12, '0'))::uuid, 2, now() + interval '1 hour', '{}'
       FROM generate_series(0, 19999) i`,
    [TENANT, SUBSCRIPTIONS],
  );
  await stack.query(
    `INSERT INTO dead_letters (delivery_id, tenant_id, subscription_id, event_id, event_type, reason, error_class, last_status_code, attempts, message, dead_at)
     SELECT gen_random_uuid(), $1, ('00000000-0000-4000-8000-' || lpad((i % $2)::text, 12, '0'))::uuid, 'evt_' || i, 'order.placed',
            'all 5 attempts failed', 'http_status', 503, 5, '{}', now() - i * interval '1 second'
       FROM generate_series(0, 19999) i`,
    [TENANT, SUBSCRIPTIONS],
  );
  await stack.query('ANALYZE');
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
