import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { dailyPartitionName, DbModule, type TableRetention } from '@hookstream/db';
import { type BaseConfig, loadConfig, Metrics, PlatformModule } from '@hookstream/platform';
import { createTestStack, type TestStack } from '@hookstream/testing';
import type { Type } from '@nestjs/common';
import pg from 'pg';
import { pino } from 'pino';
import type { z } from 'zod';
import { dispatcherConfigSchema } from '../../apps/dispatcher/src/config.js';
import { AttemptPartitionsWorker } from '../../apps/dispatcher/src/retention/attempt-partitions.worker.js';
import { ATTEMPT_RETENTION_LOCK_KEY, AttemptRetentionWorker } from '../../apps/dispatcher/src/retention/attempt-retention.worker.js';
import { inspectorConfigSchema } from '../../apps/dlq-inspector/src/config.js';
import { DeadLetterRetentionWorker } from '../../apps/dlq-inspector/src/dead-letters/dead-letter-retention.worker.js';
import { gatewayConfigSchema } from '../../apps/ingress-gateway/src/config.js';
import { EventPartitionsWorker } from '../../apps/ingress-gateway/src/events/event-partitions.worker.js';
import { EventRetentionWorker } from '../../apps/ingress-gateway/src/events/event-retention.worker.js';

const DAY_MS = 24 * 3600 * 1000;
const DAYS = 120;
/** Rows per day partition and tenant; the long-retention tenant only writes every tenth day. */
const ROWS = { plain: 750, short: 250, long: 250 } as const;
const BATCH = 400;
const LOCK_TIMEOUT_MS = 200;
/** Rows this close to a moving cutoff are left out of exact counts: the job's now() is not the test's. */
const MARGIN = "interval '10 minutes'";

/**
 * Retention on months of data: 120 daily partitions of events and delivery_attempts (about 1,000
 * rows each) for a tenant on the 90-day default, one with a 7-day and one with a 200-day
 * override, while a writer inserts into both tables without pause and times every insert.
 */
describe('retention', () => {
  let stack: TestStack;
  const modules: TestingModule[] = [];
  let today: Date;
  const day = (offset: number) => new Date(today.getTime() + offset * DAY_MS);

  /** A service's provider compiled with its own config, not initialised: timers stay off, the test runs it. */
  async function provider<T>(service: string, schema: z.ZodType<BaseConfig>, cls: Type<T>, env: Record<string, string> = {}): Promise<{ job: T; metrics: Metrics }> {
    const config = loadConfig(schema, { ...stack.env(), PORT: '0', RETENTION_BATCH_SIZE: String(BATCH), RETENTION_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS), ...env });
    const module = await Test.createTestingModule({
      imports: [
        PlatformModule.forRoot({ service, config, logger: pino({ level: 'silent' }) }),
        DbModule.forRoot({ url: config.DATABASE_URL, poolSize: 3, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: `${service}-retention-test` }),
      ],
      providers: [cls],
    }).compile();
    modules.push(module);
    return { job: module.get(cls), metrics: module.get(Metrics) };
  }

  const partitionsOf = async (table: string) =>
    (await stack.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`, [table])).map((r) => r.name);
  const count = async (sql: string, params: unknown[] = []) => Number((await stack.query<{ n: string }>(sql, params))[0]?.n);

  beforeAll(async () => {
    stack = await createTestStack('retention');
    const [clock] = await stack.query<{ now: Date }>('SELECT now() AS now');
    today = new Date(Math.floor(new Date(clock?.now ?? Date.now()).getTime() / DAY_MS) * DAY_MS);
    await stack.query(`INSERT INTO tenants (id, name, retention_days) VALUES ('plain', 'plain', NULL), ('short', 'short', 7), ('long', 'long', 200)`);
    // Every partition in one round trip and one commit. Autovacuum is off for them: its analyze
    // of freshly loaded tables would hold locks a drop gives up on (after its lock timeout), and
    // which partitions it happens to be on would decide what the run reports as busy.
    const ddl = ['events', 'delivery_attempts'].flatMap((table) =>
      Array.from({ length: DAYS }, (_, i) => {
        const d = i - (DAYS - 1);
        return `CREATE TABLE ${dailyPartitionName(table, day(d))} PARTITION OF ${table} FOR VALUES FROM ('${day(d).toISOString()}') TO ('${day(d + 1).toISOString()}') WITH (autovacuum_enabled = false);`;
      }),
    );
    await stack.query(`BEGIN; ${ddl.join('\n')} COMMIT;`);
    const rows = `FROM generate_series(${-(DAYS - 1)}, 0) AS d
      CROSS JOIN (VALUES ('plain', ${ROWS.plain}), ('short', ${ROWS.short}), ('long', ${ROWS.long})) AS t(tenant, n)
      CROSS JOIN LATERAL generate_series(0, t.n - 1) AS i
      WHERE t.tenant <> 'long' OR d % 10 = 0`;
    const at = `$1::timestamptz + d * interval '1 day' + i * (interval '1 day' / t.n)`;
    await stack.query(
      `WITH k AS (INSERT INTO event_keys (tenant_id, id, received_at) SELECT t.tenant, 'evt_' || d || '_' || i, ${at} ${rows} RETURNING *)
       INSERT INTO events (tenant_id, id, type, occurred_at, received_at, data, source, published_at)
       SELECT tenant_id, id, 'order.placed', received_at, received_at, '{}', 'http', received_at FROM k`,
      [today],
    );
    await stack.query(
      `INSERT INTO delivery_attempts (id, delivery_id, tenant_id, subscription_id, attempt, origin, outcome, status_code, request_url, started_at, duration_ms)
       SELECT gen_random_uuid(), gen_random_uuid(), t.tenant, gen_random_uuid(), 1, 'fanout', 'delivered', 200, 'https://example.test/hook', ${at}, 5 ${rows}`,
      [today],
    );
  }, 120_000);

  afterAll(async () => {
    for (const m of modules) await m.close();
    await stack?.close();
  });

  it('drops expired partitions, trims override tenants in batches, and never stalls a concurrent writer', async () => {
    const gateway = await provider('ingress-gateway', gatewayConfigSchema, EventRetentionWorker);
    const dispatcher = await provider('dispatcher', dispatcherConfigSchema, AttemptRetentionWorker);
    // The services' own partition upkeep adds the days ahead next to the months already there.
    expect((await (await provider('ingress-gateway', gatewayConfigSchema, EventPartitionsWorker, { EVENTS_PARTITIONS_AHEAD_DAYS: '2' })).job.ensure()).created).toHaveLength(2);
    expect((await (await provider('dispatcher', dispatcherConfigSchema, AttemptPartitionsWorker, { ATTEMPTS_PARTITIONS_AHEAD_DAYS: '2' })).job.ensure()).created).toHaveLength(2);

    // One fixed cutoff for "kept" before and after the trim: now() moves on between the two
    // counts, and a row crossing a moving boundary on a slow machine made them differ by one.
    const [kept] = await stack.query<{ cutoff: Date }>(`SELECT now() - interval '7 days' + ${MARGIN} AS cutoff`);
    const keptCutoff = kept?.cutoff;
    const before = {
      plainLive: await count(`SELECT count(*) AS n FROM delivery_attempts WHERE tenant_id = 'plain' AND started_at >= $1`, [day(-90)]),
      shortKept: await count(`SELECT count(*) AS n FROM delivery_attempts WHERE tenant_id = 'short' AND started_at >= $1`, [keptCutoff]),
      long: await count(`SELECT count(*) AS n FROM delivery_attempts WHERE tenant_id = 'long'`),
    };
    expect(before.plainLive).toBe(91 * ROWS.plain);

    // A run that died between detaching a partition and dropping it left this table behind.
    const leftover = dailyPartitionName('delivery_attempts', day(-105));
    await stack.query(`ALTER TABLE delivery_attempts DETACH PARTITION ${leftover}`);

    // Someone reads an expired partition in a long transaction: its drop must give up, not wait.
    const blocked = dailyPartitionName('delivery_attempts', day(-95));
    const reader = new pg.Client({ connectionString: stack.databaseUrl });
    await reader.connect();
    await reader.query('BEGIN');
    await reader.query(`LOCK TABLE ${blocked} IN ACCESS SHARE MODE`);

    const writer = new pg.Client({ connectionString: stack.databaseUrl });
    await writer.connect();
    const latencies: number[] = [];
    let writing = true;
    const written = (async () => {
      for (let i = 0; writing; i++) {
        const t0 = performance.now();
        if (i % 2 === 0) {
          await writer.query(
            `INSERT INTO delivery_attempts (id, delivery_id, tenant_id, subscription_id, attempt, origin, outcome, request_url, started_at)
             VALUES (gen_random_uuid(), gen_random_uuid(), 'plain', gen_random_uuid(), 1, 'fanout', 'delivered', 'https://example.test/hook', now())`,
          );
        } else {
          await writer.query(
            `WITH k AS (INSERT INTO event_keys (tenant_id, id, received_at) VALUES ('plain', 'live_' || $1, date_trunc('milliseconds', now())) RETURNING *)
             INSERT INTO events (tenant_id, id, type, occurred_at, received_at, data, source) SELECT tenant_id, id, 'order.placed', received_at, received_at, '{}', 'http' FROM k`,
            [i],
          );
        }
        latencies.push(performance.now() - t0);
      }
    })();

    let reports: (TableRetention[] | null)[];
    try {
      reports = await Promise.all([gateway.job.runNow(), dispatcher.job.runNow()]);
    } finally {
      writing = false;
      await written;
      await writer.end();
      await reader.query('ROLLBACK');
      await reader.end();
    }
    const [[events, keys], [attempts]] = reports.map((r) => r ?? []);
    const maxLatency = Math.max(...latencies);
    process.stdout.write(`retention: ${latencies.length} inserts during the run, max insert latency ${maxLatency.toFixed(1)} ms\n`);
    expect(latencies.length).toBeGreaterThan(20);
    expect(maxLatency).toBeLessThan(1000);

    // Days -119..-91 lie wholly before the 90-day cutoff; -110 and -100 still hold the long tenant's rows.
    const expired = Array.from({ length: 29 }, (_, i) => -119 + i);
    const held = [-110, -100];
    const dropped = (table: string, skip: number[]) => expired.filter((d) => !skip.includes(d)).map((d) => dailyPartitionName(table, day(d)));
    expect(events?.droppedPartitions).toEqual(dropped('events', held));
    expect(events?.heldPartitions).toEqual(held.map((d) => ({ partition: dailyPartitionName('events', day(d)), tenants: ['long'] })));
    expect(attempts?.droppedPartitions).toEqual([leftover, ...dropped('delivery_attempts', [...held, -95, -105])]);
    expect(await stack.query('SELECT 1 FROM pg_class WHERE relname = $1', [leftover])).toEqual([]);
    expect(attempts?.busy).toEqual([blocked]);
    expect(events?.busy).toEqual([]);
    const remaining = await partitionsOf('delivery_attempts');
    expect(remaining).toContain(blocked);
    for (const name of dropped('delivery_attempts', [...held, -95])) expect(remaining).not.toContain(name);
    expect(remaining).toContain(dailyPartitionName('delivery_attempts', day(-90)));

    for (const [table, column] of [['events', 'received_at'], ['delivery_attempts', 'started_at']] as const) {
      // Held partitions keep only the long tenant's rows.
      for (const d of held) {
        const rows = await stack.query<{ tenant_id: string; n: string }>(`SELECT tenant_id, count(*) AS n FROM ${dailyPartitionName(table, day(d))} GROUP BY 1`);
        expect(rows).toEqual([{ tenant_id: 'long', n: String(ROWS.long) }]);
      }
      // The short tenant's rows past its 7 days are gone from the live partitions; newer ones stay.
      expect(await count(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = 'short' AND ${column} >= $1 AND ${column} < now() - interval '7 days' - ${MARGIN}`, [day(-90)])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = 'short' AND ${column} >= $1`, [keptCutoff])).toBe(before.shortKept);
      // The default tenant's live days and every row of the long tenant are untouched.
      expect(await count(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = 'plain' AND ${column} >= $1 AND ${column} < $2`, [day(-90), day(1)])).toBe(
        before.plainLive + (table === 'events' ? latencies.length >> 1 : (latencies.length + 1) >> 1),
      );
      expect(await count(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = 'long'`)).toBe(before.long);
    }
    // Row deletes went in batches: held partitions' 1,000 other rows each, and the short tenant's expired days.
    expect(attempts?.deletedRows).toBeGreaterThan(held.length * (ROWS.plain + ROWS.short) + 80 * ROWS.short);
    expect(events?.deletedRows).toBeGreaterThan(held.length * (ROWS.plain + ROWS.short) + 80 * ROWS.short);
    // Dedup keys expire with their events, except the long tenant's.
    expect(await count(`SELECT count(*) AS n FROM event_keys WHERE received_at < $1 AND tenant_id <> 'long'`, [day(-91)])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM event_keys WHERE tenant_id = 'long'`)).toBe(before.long);
    expect(keys?.deletedRows).toBeGreaterThan(27 * (ROWS.plain + ROWS.short));

    const metric = async (m: Metrics, name: string) => (await m.registry.getSingleMetricAsString(name)).split('\n').filter((l) => l.startsWith(`${name}{`));
    expect(await metric(dispatcher.metrics, 'hookstream_retention_partitions_dropped_total')).toEqual([`hookstream_retention_partitions_dropped_total{table="delivery_attempts"} 26`]);
    expect(await metric(dispatcher.metrics, 'hookstream_retention_rows_deleted_total')).toEqual([`hookstream_retention_rows_deleted_total{table="delivery_attempts"} ${attempts?.deletedRows}`]);
    expect(await metric(dispatcher.metrics, 'hookstream_retention_lock_timeouts_total')).toEqual([`hookstream_retention_lock_timeouts_total{table="delivery_attempts"} 1`]);

    // With the reader gone, the next run drops the partition it left behind, and nothing else is left to do.
    const [again] = (await dispatcher.job.runNow()) ?? [];
    expect(again).toMatchObject({ droppedPartitions: [blocked], busy: [], heldPartitions: held.map((d) => ({ partition: dailyPartitionName('delivery_attempts', day(d)) })) });
  });

  it('runs a job on one replica at a time', async () => {
    const replica = await provider('dispatcher', dispatcherConfigSchema, AttemptRetentionWorker);
    // Another replica in the middle of its run holds the job's advisory lock: this one skips.
    const other = new pg.Client({ connectionString: stack.databaseUrl });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [ATTEMPT_RETENTION_LOCK_KEY.toString()]);
      expect(await replica.job.runNow()).toBeNull();
      await other.query('SELECT pg_advisory_unlock($1)', [ATTEMPT_RETENTION_LOCK_KEY.toString()]);
      expect(await replica.job.runNow()).not.toBeNull();
    } finally {
      await other.end();
    }
  });

  it('scrubs old partner-callback audit rows without deleting them, and deletes old dead letters', async () => {
    await stack.query(`INSERT INTO integration_configs (id, tenant_id, provider, secrets, secrets_key_id) VALUES ('int_ret', 'plain', 'stripe', '\\x00', 'k1')`);
    const callback = (id: string, status: string, ageDays: number) =>
      stack.query(
        `INSERT INTO incoming_webhooks (id, tenant_id, integration_id, provider, provider_event_id, payload, raw_body, content_type, signature, source_ip, status, failure_reason, received_at, last_received_at)
         VALUES ($1, 'plain', 'int_ret', 'stripe', $5, '{"card":"4242"}', '\\x7b7d', 'application/json', 't=1,v1=abc', '198.51.100.7', $2, $3, now() - $4 * interval '1 day', now() - $4 * interval '1 day')`,
        [id, status, status === 'failed' ? 'signature mismatch' : null, ageDays, `evt_${id}`],
      );
    const ids = { oldOk: '00000000-0000-4000-8000-000000000001', oldFailed: '00000000-0000-4000-8000-000000000002', oldPending: '00000000-0000-4000-8000-000000000003', recent: '00000000-0000-4000-8000-000000000004' };
    await callback(ids.oldOk, 'succeeded', 400);
    await callback(ids.oldFailed, 'failed', 366);
    await callback(ids.oldPending, 'pending', 400);
    await callback(ids.recent, 'succeeded', 300);
    const letter = (ageDays: number) =>
      stack.query(
        `INSERT INTO dead_letters (delivery_id, tenant_id, subscription_id, event_id, event_type, reason, error_class, attempts, message, dead_at)
         VALUES (gen_random_uuid(), 'plain', gen_random_uuid(), $1, 'order.placed', 'gone', 'http_status', 3, '{}', now() - $2 * interval '1 day')`,
        [`evt_${ageDays}`, ageDays],
      );
    for (const age of [400, 380, 366]) await letter(age);
    await letter(364);

    const [audit] = (await (await provider('ingress-gateway', gatewayConfigSchema, EventRetentionWorker)).job.runNow())?.filter((r) => r.table === 'incoming_webhooks') ?? [];
    expect(audit?.scrubbedRows).toBe(2);
    const rows = await stack.query(
      'SELECT id, provider, status, failure_reason, payload, raw_body, signature, source_ip, scrubbed_at IS NOT NULL AS scrubbed FROM incoming_webhooks ORDER BY id',
    );
    const scrubbed = { payload: null, raw_body: null, signature: null, source_ip: null, scrubbed: true, provider: 'stripe' };
    const kept = { payload: { card: '4242' }, signature: 't=1,v1=abc', source_ip: '198.51.100.7', scrubbed: false };
    expect(rows).toEqual([
      { id: ids.oldOk, status: 'succeeded', failure_reason: null, ...scrubbed },
      { id: ids.oldFailed, status: 'failed', failure_reason: 'signature mismatch', ...scrubbed },
      expect.objectContaining({ id: ids.oldPending, status: 'pending', ...kept }),
      expect.objectContaining({ id: ids.recent, status: 'succeeded', ...kept }),
    ]);

    const [letters] = (await (await provider('dlq-inspector', inspectorConfigSchema, DeadLetterRetentionWorker)).job.runNow()) ?? [];
    expect(letters).toMatchObject({ table: 'dead_letters', deletedRows: 3 });
    expect(await count('SELECT count(*) AS n FROM dead_letters')).toBe(1);
  });
});
