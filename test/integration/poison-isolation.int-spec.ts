import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type BatchContext, type BatchHandler, type ConsumedMessage, KafkaModule, TopicConsumer } from '@hookstream/kafka';
import { createLogger, HealthRegistry, LOGGER, Metrics } from '@hookstream/platform';
import { collectTopic, createTestStack, freePort, type QuarantinedView, quarantinedView, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import pg from 'pg';
import { z } from 'zod';

const probeSchema = z.object({ id: z.string(), run: z.string(), occurred_at: z.string(), tenant_id: z.string() });
type Probe = z.infer<typeof probeSchema>;

/**
 * The dependency of the test consumer: a real pg pool, which a test can point at a port where
 * nothing listens (Postgres "down") and back.
 */
class Store {
  pool!: pg.Pool;
  /** Ids in the order their batches were stored (a batch re-run after a failure stores nothing twice). */
  readonly stored: string[] = [];
  use(url: string): void {
    const old = this.pool;
    this.pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000 });
    this.pool.on('error', () => undefined);
    void old?.end().catch(() => undefined);
  }
}
const store = new Store();

/** Like every handler of the platform: one multi-row, idempotent INSERT per batch. */
@TopicConsumer({ topic: 'events', groupId: 'poison-probe', schema: probeSchema })
class ProbeConsumer implements BatchHandler<Probe> {
  async handleBatch(messages: ConsumedMessage<Probe>[], _ctx: BatchContext): Promise<void> {
    if (messages.length === 0) return;
    const rows: { rowCount: number | null; rows: { id: string }[] } = await store.pool.query(
      `INSERT INTO poison_probe (id, occurred_at) SELECT * FROM unnest($1::text[], $2::timestamptz[]) ON CONFLICT DO NOTHING RETURNING id`,
      [messages.map((m) => m.value.id), messages.map((m) => m.value.occurred_at)],
    );
    const fresh = new Set(rows.rows.map((r) => r.id));
    store.stored.push(...messages.map((m) => m.value.id).filter((id) => fresh.has(id)));
  }
}

/**
 * Poison isolation in the consumer host, against real Kafka and Postgres: a message Postgres
 * refuses is quarantined with its original bytes and the partition moves on; a batch's culprits
 * are found by bisection; a dependency that is down is waited out, losing and quarantining nothing.
 */
describe('consumer host poison isolation', () => {
  let stack: TestStack;
  let app: INestApplicationContext;
  let quarantined: TopicCollector<QuarantinedView>;
  const producer = () => stack.kafka.producer();

  beforeAll(async () => {
    stack = await createTestStack('poison', { partitions: { events: 1 } });
    await stack.query('CREATE TABLE poison_probe (id text PRIMARY KEY, occurred_at timestamptz NOT NULL)');
    store.use(stack.databaseUrl);
    const logger = createLogger('poison-test', 'error');
    @Global()
    @Module({ providers: [{ provide: LOGGER, useValue: logger }, Metrics, HealthRegistry], exports: [LOGGER, Metrics, HealthRegistry] })
    class Plumbing {}
    @Module({
      imports: [Plumbing, KafkaModule.forRoot({ clientId: 'poison-test', brokers: stack.brokers, topicPrefix: stack.topicPrefix, consumes: ['events'], retryBackoff: { initialMs: 100, maxMs: 500 } })],
      providers: [ProbeConsumer],
    })
    class ProbeModule {}
    app = await NestFactory.createApplicationContext(ProbeModule, { logger: false });
    await app.init();
    quarantined = await collectTopic(stack, 'hookstream.events.quarantine', (_v, _k, m) => quarantinedView(m));
  }, 120_000);

  afterAll(async () => {
    await quarantined?.stop();
    await app?.close();
    await store.pool?.end();
    await stack?.close();
  });

  const probe = (run: string, n: number, occurredAt = '2026-11-22T10:00:00Z'): Probe => ({ id: `${run}-${n}`, run, occurred_at: occurredAt, tenant_id: 'acme' });
  async function produce(values: Probe[], headers: Record<string, string> = {}): Promise<void> {
    const p = producer();
    await p.connect();
    try {
      await p.send({ topic: `${stack.topicPrefix}hookstream.events`, messages: values.map((v) => ({ key: 'one-partition', value: JSON.stringify(v), headers })) });
    } finally {
      await p.disconnect();
    }
  }
  const storedOf = (run: string) => store.stored.filter((id) => id.startsWith(`${run}-`));
  const quarantinedOf = (run: string) => quarantined.values.filter((q) => q.value?.toString().includes(`"run":"${run}"`));

  it('quarantines a message Postgres refuses (year 0000) and processes the next one on its partition within 5 s', async () => {
    const run = randomUUID();
    const poison = probe(run, 0, '0000-01-01T00:00:00Z');
    const good = probe(run, 1);
    const started = Date.now();
    await produce([poison], { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'x-origin': 'poison-test' });
    await produce([good]);
    await waitFor(() => storedOf(run).includes(good.id), 5000, 'the valid message after the poison one');
    const tookMs = Date.now() - started;
    const [q] = await waitFor(() => (quarantinedOf(run).length ? quarantinedOf(run) : undefined), 5000, 'the poison message in quarantine');
    expect(q).toMatchObject({ code: 'pg_22008', tenantId: 'acme', source: { topic: `${stack.topicPrefix}hookstream.events`, partition: 0 } });
    expect(q?.reason).toMatch(/out of range/);
    // Byte-identical value, original headers kept beside the quarantine ones.
    expect(q?.value?.equals(Buffer.from(JSON.stringify(poison)))).toBe(true);
    expect(q?.headers).toMatchObject({ 'x-origin': 'poison-test', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const offsets = stack.kafka.admin();
    await offsets.connect();
    try {
      const [committed] = await offsets.fetchOffsets({ groupId: `${stack.topicPrefix}poison-probe`, topics: [`${stack.topicPrefix}hookstream.events`] });
      expect(BigInt(committed?.partitions[0]?.offset ?? '-1')).toBeGreaterThan(BigInt(q?.source.offset ?? '0'));
    } finally {
      await offsets.disconnect();
    }
    expect(storedOf(run)).toEqual([good.id]);
    process.stdout.write(`poison → next message processed in ${tookMs} ms\n`);
  }, 30_000);

  it('bisects a batch to its two poison messages: exactly those are quarantined, every other message is stored once', async () => {
    const run = randomUUID();
    const batch = Array.from({ length: 40 }, (_, n) => probe(run, n, n === 13 || n === 26 ? '0000-01-01T00:00:00Z' : '2026-11-22T10:00:00Z'));
    await produce(batch);
    await waitFor(() => storedOf(run).length === 38 && quarantinedOf(run).length === 2, 20_000, '38 stored and 2 quarantined');
    await new Promise((r) => setTimeout(r, 500));
    expect(quarantinedOf(run).map((q) => (JSON.parse(q.value?.toString() ?? '{}') as Probe).id)).toEqual([`${run}-13`, `${run}-26`]);
    expect([...storedOf(run)].sort()).toEqual(batch.filter((_, n) => n !== 13 && n !== 26).map((p) => p.id).sort());
    expect(new Set(storedOf(run)).size).toBe(38);
    const rows = await stack.query<{ n: string }>('SELECT count(*) AS n FROM poison_probe WHERE id LIKE $1', [`${run}-%`]);
    expect(rows[0]?.n).toBe('38');
  }, 30_000);

  it('waits out a dependency that is down: nothing is quarantined and everything is processed in order once it is back', async () => {
    const run = randomUUID();
    const down = new URL(stack.databaseUrl);
    down.port = String(await freePort());
    store.use(down.toString());
    const messages = Array.from({ length: 10 }, (_, n) => probe(run, n));
    await produce(messages.slice(0, 5));
    await produce(messages.slice(5));
    // Several failed attempts (connection refused) while it is down.
    await new Promise((r) => setTimeout(r, 3000));
    expect(storedOf(run)).toEqual([]);
    store.use(stack.databaseUrl);
    await waitFor(() => storedOf(run).length === 10, 20_000, 'all ten after recovery');
    expect(storedOf(run)).toEqual(messages.map((m) => m.id));
    expect(quarantinedOf(run)).toEqual([]);
    const metrics = await app.get(Metrics).registry.metrics();
    expect(metrics).toMatch(/hookstream_kafka_batch_retries_total\{[^}]*reason="econnrefused"[^}]*\} [1-9]/);
  }, 40_000);
});
