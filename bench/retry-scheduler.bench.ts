/**
 * How late the retry-scheduler fires with 100,000 retries pending in Postgres.
 *
 *   npm run build
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/hookstream node bench/retry-scheduler.bench.ts
 *
 * Needs the local stack (`npm run stack`); works in a database and topics of its own and removes
 * them afterwards. Prints one JSON object, which `run()` also returns, and exits 1 when the target
 * (every retry of the first two phases produced within 1 s of its due time) is missed. Three phases, each against
 * the full pending set:
 *   - steady: 10,000 of the 100,000 come due over 20 s (the other 90,000 wait 1 to 27 hours);
 *   - arrivals: 2,000 retries arrive through hookstream.retries, each due 1 to 5 s later, so the
 *     scheduler must wake for them (it sleeps until the next due time);
 *   - burst: 20,000 retries come due at the same instant (a breaker that postponed a whole host).
 * Lateness is measured twice: at the producer (the Kafka message timestamp, when the scheduler
 * sent it) and at a consumer of hookstream.deliveries (what a dispatcher would see).
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createTestStack, freePort, ServiceProcess, type TestStack, waitFor } from '@hookstream/testing';
import type { Consumer, Producer } from 'kafkajs';

interface Quantiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface PhaseResult {
  retries: number;
  /** Due time to the scheduler's produce (Kafka message timestamp), ms. */
  produce_lateness_ms: Quantiles;
  /** Due time to arrival at a consumer of hookstream.deliveries, ms. */
  consume_lateness_ms: Quantiles;
  lost: number;
  duplicated: number;
}

export interface RetrySchedulerBenchResult {
  pending_at_start: number;
  claim_batch_size: number;
  steady: PhaseResult;
  arrivals: PhaseResult;
  burst: PhaseResult & { drain_ms: number; fired_per_second: number };
  /** The target: every retry of the steady and arrival phases produced within 1 s of its due time. */
  within_one_second: boolean;
}

export interface BenchOptions {
  pending: number;
  steady: number;
  steadySpanMs: number;
  arrivals: number;
  burst: number;
  claimBatchSize: number;
}

const DEFAULTS: BenchOptions = { pending: 100_000, steady: 10_000, steadySpanMs: 20_000, arrivals: 2_000, burst: 20_000, claimBatchSize: 500 };

interface Arrival {
  producedAt: number;
  consumedAt: number;
}

export async function run(options: Partial<BenchOptions> = {}): Promise<RetrySchedulerBenchResult> {
  const o = { ...DEFAULTS, ...options };
  const stack = await createTestStack('bench_retries');
  const arrived = new Map<string, Arrival[]>();
  const consumer = stack.kafka.consumer({ groupId: `bench-${randomUUID()}` });
  let scheduler: ServiceProcess | null = null;
  try {
    await consumer.connect();
    await listen(consumer, stack, arrived);

    // Far enough ahead for the seeding and the scheduler's boot; checked below.
    const steadyStart = Date.now() + 15_000;
    const due = await seed(stack, o, steadyStart);
    scheduler = new ServiceProcess('retry-scheduler', await freePort(), { ...stack.env(), CLAIM_BATCH_SIZE: String(o.claimBatchSize), LOG_LEVEL: 'warn' }, false);
    scheduler.start();
    await scheduler.waitReady(90_000);
    if (Date.now() >= steadyStart) throw new Error('the scheduler was not ready before the first retry came due; the figures would mean nothing');
    const steady = await phase(due, arrived, 60_000);

    const producer = stack.kafka.producer();
    await producer.connect();
    try {
      const arrivals = await produceRetries(producer, stack, Array.from({ length: o.arrivals }, (_, i) => i), (i) => Date.now() + 1000 + ((i * 7919) % 4000));
      const arrivalsResult = await phase(arrivals, arrived, 30_000);

      const burstAt = Date.now() + 8000;
      const burst = await produceRetries(producer, stack, Array.from({ length: o.burst }, (_, i) => i), () => burstAt);
      const burstResult = await phase(burst, arrived, 120_000);
      const lastProduced = Math.max(...[...burst.keys()].map((id) => arrived.get(id)?.[0]?.producedAt ?? 0));
      const drainMs = lastProduced - burstAt;
      return {
        pending_at_start: o.pending,
        claim_batch_size: o.claimBatchSize,
        steady,
        arrivals: arrivalsResult,
        burst: { ...burstResult, drain_ms: drainMs, fired_per_second: Math.round(o.burst / Math.max(drainMs / 1000, 0.001)) },
        within_one_second: steady.produce_lateness_ms.max < 1000 && arrivalsResult.produce_lateness_ms.max < 1000 && steady.lost + arrivalsResult.lost === 0,
      };
    } finally {
      await producer.disconnect();
    }
  } finally {
    await scheduler?.stop();
    await consumer.disconnect();
    await stack.close();
  }
}

async function listen(consumer: Consumer, stack: TestStack, arrived: Map<string, Arrival[]>): Promise<void> {
  await consumer.subscribe({ topic: `${stack.topicPrefix}hookstream.deliveries`, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const consumedAt = Date.now();
      for (const m of batch.messages) {
        const id = (JSON.parse(m.value?.toString() ?? '{}') as { delivery_id?: string }).delivery_id;
        if (!id) continue;
        const list = arrived.get(id) ?? [];
        list.push({ producedAt: Number(m.timestamp), consumedAt });
        arrived.set(id, list);
      }
      await Promise.resolve();
    },
  });
}

/**
 * Writes the pending set straight to Postgres (as the scheduler's consumer would have stored it):
 * `steady` rows due over the span from `start`, the rest hours away. Returns the due time of each
 * steady row by delivery id.
 */
async function seed(stack: TestStack, o: BenchOptions, start: number): Promise<Map<string, number>> {
  const rows = await stack.query<{ delivery_id: string; due_ms: string }>(
    `WITH planned AS (
       SELECT gen_random_uuid() AS id, gen_random_uuid() AS sub,
              CASE WHEN g <= $2 THEN to_timestamp(($3::float8 + (g - 1) * $4::float8 / $2) / 1000)
                   ELSE now() + make_interval(secs => 3600 + random() * 26 * 3600) END AS due
         FROM generate_series(1, $1::int) g
     ), stored AS (
       INSERT INTO scheduled_retries (delivery_id, tenant_id, subscription_id, generation, attempt, due_at, message)
       SELECT id, 'bench', sub, 0, 2, due,
              jsonb_build_object(
                'delivery', jsonb_build_object('delivery_id', id, 'tenant_id', 'bench', 'subscription_id', sub, 'event_id', 'evt_' || id,
                                               'event_type', 'order.placed', 'attempt', 2, 'generation', 0, 'body', '{"id":"evt"}',
                                               'origin', 'retry', 'first_attempt_at', to_json(now())),
                'due_at', to_json(due),
                'failure', jsonb_build_object('error_class', 'http_status', 'status_code', 503, 'message', 'endpoint answered 503'),
                'expires_at', NULL)
         FROM planned
       RETURNING delivery_id, due_at
     )
     SELECT delivery_id, (extract(epoch FROM due_at) * 1000)::bigint::text AS due_ms FROM stored WHERE due_at < now() + interval '1 hour'`,
    [o.pending, o.steady, start, o.steadySpanMs],
  );
  await stack.query('ANALYZE scheduled_retries');
  return new Map(rows.map((r) => [r.delivery_id, Number(r.due_ms)]));
}

/** Produces retries to hookstream.retries as the dispatcher does; returns their due times by delivery id. */
async function produceRetries(
  producer: Producer,
  stack: TestStack,
  indexes: number[],
  dueAt: (i: number) => number,
): Promise<Map<string, number>> {
  const due = new Map<string, number>();
  const messages = indexes.map((i) => {
    const id = randomUUID();
    const subscriptionId = randomUUID();
    const at = dueAt(i);
    due.set(id, at);
    const retry = {
      delivery: {
        delivery_id: id,
        tenant_id: 'bench',
        subscription_id: subscriptionId,
        event_id: `evt_${id}`,
        event_type: 'order.placed',
        attempt: 2,
        generation: 0,
        body: '{"id":"evt"}',
        origin: 'retry',
        first_attempt_at: new Date().toISOString(),
      },
      due_at: new Date(at).toISOString(),
      failure: { error_class: 'http_status', status_code: 503, message: 'endpoint answered 503' },
      expires_at: null,
    };
    return { key: subscriptionId, value: JSON.stringify(retry) };
  });
  for (let i = 0; i < messages.length; i += 1000) {
    await producer.send({ topic: `${stack.topicPrefix}hookstream.retries`, messages: messages.slice(i, i + 1000) });
  }
  return due;
}

async function phase(due: ReadonlyMap<string, number>, arrived: ReadonlyMap<string, Arrival[]>, timeoutMs: number): Promise<PhaseResult> {
  const ids = [...due.keys()];
  await waitFor(() => ids.every((id) => arrived.has(id)), timeoutMs, `${ids.length} retries to fire`).catch(() => undefined);
  // Let a wrongly repeated send arrive before counting.
  await new Promise((r) => setTimeout(r, 1000));
  const produced: number[] = [];
  const consumed: number[] = [];
  let lost = 0;
  let duplicated = 0;
  for (const id of ids) {
    const got = arrived.get(id);
    const first = got?.[0];
    if (!got || !first) {
      lost++;
      continue;
    }
    if (got.length > 1) duplicated++;
    const at = due.get(id) ?? 0;
    produced.push(first.producedAt - at);
    consumed.push(first.consumedAt - at);
  }
  return { retries: ids.length, produce_lateness_ms: quantiles(produced), consume_lateness_ms: quantiles(consumed), lost, duplicated };
}

function quantiles(values: number[]): Quantiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(result.within_one_second ? 0 : 1);
}
