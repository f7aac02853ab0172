import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { DbModule } from '@hookstream/db';
import { loadConfig, Metrics, PlatformModule } from '@hookstream/platform';
import { collectTopic, createTestStack, eventId, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { pino } from 'pino';
import { gatewayConfigSchema } from '../src/config.js';
import { EventPartitionsWorker, partitionName } from '../src/events/event-partitions.worker.js';
import { IntakeService } from '../src/events/intake.service.js';
import { startIntake } from './intake-module.js';

const DAY_MS = 24 * 3600 * 1000;
const utcDay = (offsetDays: number) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + offsetDays * DAY_MS);

/**
 * `events` is range-partitioned by day of received_at; the gateway keeps partitions ahead of
 * time, moves stray rows out of the default partition, and dedup keeps working across all of it
 * because uniqueness lives in event_keys. Against real Postgres, Redis and Kafka.
 */
describe('events partitioning', () => {
  let stack: TestStack;
  let published: TopicCollector<string>;
  const modules: TestingModule[] = [];
  let intake: IntakeService;

  /** A gateway replica's partition maintainer, compiled but not initialised: its timer stays off. */
  async function replica(): Promise<{ partitions: EventPartitionsWorker; metrics: Metrics }> {
    const config = loadConfig(gatewayConfigSchema, { ...stack.env(), PORT: '0', EVENTS_PARTITIONS_AHEAD_DAYS: '3' });
    const module = await Test.createTestingModule({
      imports: [
        PlatformModule.forRoot({ service: 'partitions-test', config, logger: pino({ level: 'silent' }) }),
        DbModule.forRoot({ url: config.DATABASE_URL, poolSize: 2, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: 'partitions-test' }),
      ],
      providers: [EventPartitionsWorker],
    }).compile();
    modules.push(module);
    return { partitions: module.get(EventPartitionsWorker), metrics: module.get(Metrics) };
  }

  const partitions = async () =>
    (await stack.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1`)).map((r) => r.name);

  beforeAll(async () => {
    stack = await createTestStack('partitions');
    published = await collectTopic(stack, 'hookstream.events', eventId);
  });

  afterAll(async () => {
    for (const m of modules) await m.close();
    await published?.stop();
    await stack?.close();
  });

  it('creates today and the days ahead once, even with several replicas at the same time', async () => {
    expect(await partitions()).toEqual(['events_default']);
    const [a, b] = await Promise.all([replica(), replica()]);
    const passes = await Promise.all([a, b, a, b].map((r) => r.partitions.ensure()));
    const expected = [0, 1, 2, 3].map((d) => partitionName(utcDay(d)));
    expect(passes.flatMap((p) => p.created).sort()).toEqual(expected);
    expect(await partitions()).toEqual([...expected, 'events_default'].sort());
    // A later pass has nothing to do.
    expect((await a.partitions.ensure()).created).toEqual([]);
    expect(await a.metrics.registry.getSingleMetricAsString('hookstream_events_partition_days_ahead')).toMatch(/hookstream_events_partition_days_ahead 4$/m);
  });

  it('routes new events to the day’s partition and keeps refusing duplicates', async () => {
    const harness = await startIntake(stack);
    modules.push(harness.module);
    intake = harness.service;
    const envelope = { id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: 'acme', occurred_at: '2026-11-22T10:00:00Z', data: { n: 1 } };
    expect(await intake.accept([{ envelope }], 'http')).toEqual([{ id: envelope.id, status: 'accepted' }]);
    // Stored to the millisecond, so the published received_at names the row exactly.
    const [row] = await stack.query<{ part: string; exact: boolean }>(
      `SELECT tableoid::regclass::text AS part, received_at = date_trunc('milliseconds', received_at) AS exact FROM events WHERE id = $1`,
      [envelope.id],
    );
    expect(row).toEqual({ part: partitionName(utcDay(0)), exact: true });
    await waitFor(async () => (await stack.query('SELECT 1 FROM events WHERE id = $1 AND published_at IS NOT NULL', [envelope.id])).length === 1, 10_000, 'published_at to be set');
    expect(await intake.accept([{ envelope }], 'http')).toEqual([{ id: envelope.id, status: 'duplicate' }]);
    await waitFor(() => published.count(envelope.id) === 1, 20_000, 'the event on hookstream.events');
  });

  it('moves rows that landed in the default partition into a partition made for their day', async () => {
    const old = utcDay(-40);
    const ids = [`evt_${randomUUID()}`, `evt_${randomUUID()}`];
    for (const [i, id] of ids.entries()) {
      const at = new Date(old.getTime() + (i + 1) * 3600_000).toISOString();
      await stack.query(
        `WITH k AS (INSERT INTO event_keys (tenant_id, id, received_at) VALUES ('acme', $1, $2) RETURNING *)
         INSERT INTO events (tenant_id, id, type, occurred_at, received_at, data, source, published_at)
         SELECT tenant_id, id, 'order.placed', received_at, received_at, '{}', 'http', received_at FROM k`,
        [id, at],
      );
    }
    expect((await stack.query<{ part: string }>('SELECT DISTINCT tableoid::regclass::text AS part FROM events WHERE id = ANY($1)', [ids])).map((r) => r.part)).toEqual(['events_default']);

    const pass = await (await replica()).partitions.ensure();
    expect(pass).toEqual({ created: [partitionName(old)], rescuedRows: 2, daysAhead: 4 });
    expect((await stack.query<{ part: string }>('SELECT DISTINCT tableoid::regclass::text AS part FROM events WHERE id = ANY($1)', [ids])).map((r) => r.part)).toEqual([partitionName(old)]);
    expect(await stack.query('SELECT 1 FROM events_default')).toEqual([]);
    // Still known to dedup: the same id is a duplicate and is not published again.
    const envelope = { id: ids[0], type: 'order.placed', tenant_id: 'acme', occurred_at: '2026-11-22T10:00:00Z', data: {} };
    expect(await intake.accept([{ envelope }], 'kafka')).toEqual([{ id: envelope.id, status: 'duplicate' }]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(published.count(envelope.id)).toBe(0);
  });
});
