import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BatchSettings, type EventEnvelope, physicalTopic, TOPICS, type TopicName } from '@hookstream/contracts';
import { createTestCa, createTestStack, type Pipeline, type ServiceName, SERVICES, startPipeline, type TestCa, type TestStack } from '@hookstream/testing';
import type { Producer } from 'kafkajs';
import { sleep } from './clock.ts';
import { account, type AttemptRowGroup, attemptCounts, type Ledger, type Receipt } from './ledger.ts';
import type { BenchOptions } from './options.ts';
import { partitionFor, pickBalancedKeys, pickBalancedSubset } from './partitions.ts';
import { PrivatePostgres } from './private-postgres.ts';
import { isAlive, listenerPid, ProcessMeter, type Usage, type Watched } from './proc.ts';
import { IngestPublisher, makeEnvelope, type PlannedEvent, type PublishLog } from './publisher.ts';
import { ReceiverProcess } from './receiver-process.ts';

export type ServiceEnv = Partial<Record<ServiceName | 'all', Record<string, string>>>;

/**
 * What the bench changes in the services' environment, and why; everything else is the
 * services' own default. Written into every results file.
 */
export function serviceEnv(options: BenchOptions): ServiceEnv {
  return {
    // As deployed: production mode, and logs that cost nothing per message.
    all: { NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    // The receiver is on loopback, which only an allowlisted host may be.
    // The fan-out phase gives one tenant 1,000 subscriptions, twice the default quota.
    'subscription-registry': { DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1', QUOTA_SUBSCRIPTIONS: '2000' },
    // Dedup keys land in the shared Redis: let them go after ten minutes, not a week.
    'ingress-gateway': { DEDUP_TTL_SECONDS: '600' },
    dispatcher: {
      DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1',
      SEND_CONCURRENCY: String(options.sendConcurrency),
      // Short retries, so the retry phase measures the retry path, not the waiting.
      RETRY_DELAYS: '1s,1s,1s,1s,1s',
      // The retry phase fails half of the first attempts on purpose; at the default 50 % the
      // breaker would open on its own receiver and postpone everything by 30 s.
      BREAKER_ERROR_THRESHOLD_PERCENT: '90',
    },
  };
}

export interface Subscription {
  id: string;
  tenant: string;
  eventType: string;
  /** The URL path, which names the subscription in the receiver's delivery keys. */
  path: string;
  /** The hookstream.deliveries partition its deliveries go to (keyed by subscription id). */
  partition: number;
}

/** Tenants and subscriptions of one phase; the phase's rows in Postgres are found by tenant. */
export interface World {
  tag: string;
  tenants: string[];
  /** The subscriptions events go to, in the order events are spread over them. */
  subscriptions: Subscription[];
}

export interface Partitions {
  ingest: number;
  events: number;
  deliveries: number;
}

export interface PhaseEnd {
  ledger: Ledger;
  receipts: Map<string, Receipt>;
  /** Webhook requests the phase's deliveries arrived in: one each, unless batched. */
  requests: number;
}

/** A world ready for a phase: its subscriptions indexed, its events planned. */
export interface Prepared {
  world: World;
  events: PlannedEvent[];
  /** Every delivery key the events should cause. */
  keys: string[];
}

export interface PhaseRun extends PhaseEnd {
  log: PublishLog;
  /** CPU and memory from the first publish to the last receipt. */
  usage: Usage;
}

export interface SpreadShape {
  tenants: number;
  perTenant: number;
  spare: number;
}

/** 12 tenants (two per partition of six) and 72 subscriptions used, picked from 96. */
export const DEFAULT_SHAPE: SpreadShape = { tenants: 12, perTenant: 6, spare: 2 };

const INFRA_PORTS = (stack: TestStack): { name: string; port: number; shared: boolean }[] => {
  const port = (url: string, fallback: number) => Number(new URL(url).port || fallback);
  return [
    { name: 'kafka (shared)', port: Number(stack.brokers[0]?.split(':')[1] ?? 9092), shared: true },
    { name: 'postgres (private)', port: port(stack.databaseUrl, 5432), shared: false },
    { name: 'redis (shared)', port: port(stack.redisUrl, 6379), shared: true },
  ];
};

/**
 * Everything a bench run drives: a Postgres cluster of its own, a topic prefix on the local stack, the
 * five services as processes, the fast receiver as a process, a producer to hookstream.ingest,
 * and a meter over all of them (plus the shared Kafka, Postgres and Redis, when they can be seen).
 */
export class BenchSystem {
  readonly runTag = randomBytes(3).toString('hex');
  readonly stack: TestStack;
  readonly pipeline: Pipeline;
  readonly receiver: ReceiverProcess;
  readonly publisher: IngestPublisher;
  readonly partitions: Partitions;
  readonly meter: ProcessMeter;
  readonly env: ServiceEnv;
  private readonly producer: Producer;
  private readonly options: BenchOptions;
  private readonly infra: Watched[];
  private readonly postgres: PrivatePostgres;
  private readonly ca: TestCa;
  private subscriptionsCreated = 0;
  private nextPort = 0;

  private constructor(parts: {
    options: BenchOptions;
    stack: TestStack;
    pipeline: Pipeline;
    receiver: ReceiverProcess;
    producer: Producer;
    partitions: Partitions;
    env: ServiceEnv;
    postgres: PrivatePostgres;
    ca: TestCa;
  }) {
    this.options = parts.options;
    this.stack = parts.stack;
    this.pipeline = parts.pipeline;
    this.receiver = parts.receiver;
    this.producer = parts.producer;
    this.partitions = parts.partitions;
    this.env = parts.env;
    this.publisher = new IngestPublisher(parts.producer, this.topic(TOPICS.ingest));
    this.postgres = parts.postgres;
    this.ca = parts.ca;
    this.infra = INFRA_PORTS(parts.stack).flatMap(({ name, port, shared }) => {
      const pid = listenerPid(port);
      return pid === null ? [] : [{ name, pid, tree: true, shared }];
    });
    this.meter = new ProcessMeter(() => this.watched());
  }

  /** The CA of the receiver's HTTPS certificate (PEM), which the dispatcher trusts. */
  get trustedCa(): string {
    return this.ca.certificate;
  }

  /** `profileDir`: when set, every process writes a CPU profile under it (one folder each). */
  static async start(options: BenchOptions, profileDir: string | null, log: (msg: string) => void): Promise<BenchSystem> {
    const prof = (name: string) => (profileDir ? `--cpu-prof --cpu-prof-dir=${profileDir}/${name}` : '');
    const env = serviceEnv(options);
    // The receiver's HTTPS ports have a certificate from a CA of the run's own, which the
    // dispatcher trusts as a deployment trusts a partner's private CA (DELIVERY_CA_FILE).
    const ca = await createTestCa('hookstream bench CA');
    const serverCert = await ca.issue();
    env.dispatcher = { ...env.dispatcher, DELIVERY_CA_FILE: ca.certificateFile };
    env['subscription-registry'] = { ...env['subscription-registry'], DELIVERY_CA_FILE: ca.certificateFile };
    // A cluster of the run's own with the server's defaults: the machine's shared server runs CI's
    // configuration (autovacuum off), under which a run's tables are never analyzed or vacuumed,
    // and the plans and the bloat it measured were not production's.
    const postgres = await PrivatePostgres.start(mkdtempSync(join(tmpdir(), 'hookstream-bench-')), `-c shared_buffers=128MB ${process.env['BENCH_PG_OPTIONS'] ?? ''}`);
    process.env['DATABASE_URL'] = postgres.url;
    log(`postgres: a private cluster on port ${postgres.port}, the server's defaults (autovacuum on)`);
    let stack: TestStack;
    try {
      stack = await createTestStack('bench');
    } catch (err) {
      await postgres.remove();
      ca.dispose();
      throw err;
    }
    const started: { receiver?: ReceiverProcess; pipeline?: Pipeline; producer?: Producer } = {};
    try {
      log(`stack: database ${new URL(stack.databaseUrl).pathname.slice(1)}, topics ${stack.topicPrefix}*`);
      started.receiver = await ReceiverProcess.start(options.receiverPorts, prof('receiver'), { certFile: serverCert.certFile, keyFile: serverCert.keyFile });
      log(`receiver: pid ${started.receiver.pid}, webhook ports ${started.receiver.address.ports.join(', ')}, https ${started.receiver.address.tls_ports.join(', ')}`);
      const withProfiles: ServiceEnv = { ...env };
      if (profileDir) {
        for (const name of SERVICES) {
          withProfiles[name] = { ...env[name], NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} ${prof(name)}`.trim() };
        }
      }
      log('starting the five services');
      started.pipeline = await startPipeline(stack, withProfiles);
      started.producer = stack.kafka.producer({ allowAutoTopicCreation: false });
      await started.producer.connect();
      const admin = stack.kafka.admin();
      await admin.connect();
      const meta = await admin.fetchTopicMetadata({ topics: [TOPICS.ingest, TOPICS.events, TOPICS.deliveries].map((t) => physicalTopic(stack.topicPrefix, t)) });
      await admin.disconnect();
      const count = (t: TopicName) => meta.topics.find((m) => m.name === physicalTopic(stack.topicPrefix, t))?.partitions.length ?? 1;
      const partitions = { ingest: count(TOPICS.ingest), events: count(TOPICS.events), deliveries: count(TOPICS.deliveries) };
      return new BenchSystem({ options, stack, pipeline: started.pipeline, receiver: started.receiver, producer: started.producer, partitions, env, postgres, ca });
    } catch (err) {
      await started.producer?.disconnect().catch(() => undefined);
      await started.pipeline?.stop().catch(() => undefined);
      await started.receiver?.stop().catch(() => undefined);
      await stack.close().catch(() => undefined);
      await postgres.remove();
      ca.dispose();
      throw err;
    }
  }

  topic(name: TopicName): string {
    return physicalTopic(this.stack.topicPrefix, name);
  }

  /** Every process the meter reads: ours first, then the shared infrastructure. */
  watched(): Watched[] {
    const ours: Watched[] = SERVICES.flatMap((name) => {
      const pid = this.pipeline.services[name].pid;
      return pid === undefined ? [] : [{ name, pid, tree: false, shared: false }];
    });
    ours.push({ name: 'receiver', pid: this.receiver.pid, tree: false, shared: false });
    ours.push({ name: 'bench harness', pid: process.pid, tree: false, shared: false });
    return [...ours, ...this.infra];
  }

  /**
   * `tenants` tenants, balanced over the ingest and events partitions (both keyed by tenant),
   * each with `perTenant` subscriptions of their own event type, picked from `perTenant + spare`
   * so that their deliveries spread evenly over the hookstream.deliveries partitions.
   */
  private async createSpreadWorld(tag: string, tenants: number, perTenant: number, spare: number, origins: readonly string[], ordered = false, batch: BatchSettings | null = null): Promise<World> {
    const p = this.partitions;
    const ids = pickBalancedKeys(tenants, (n) => `b${this.runTag}-${tag}-${n}`, (k) => [partitionFor(k, p.ingest), partitionFor(k, p.events)], [p.ingest, p.events]);
    await this.createTenants(ids);
    const groups = await Promise.all(
      ids.map((tenant, t) =>
        this.createSubscriptions(Array.from({ length: perTenant + spare }, (_, j) => ({ tenant, eventType: `bench.${tag}.t${t}s${j}`, path: `/s/${tag}-${t}-${j}`, ordered, batch })), origins),
      ),
    );
    const picked = pickBalancedSubset(groups, perTenant, p.deliveries, (s) => s.partition);
    // Interleaved by tenant, so that consecutive events go to different tenants and partitions.
    const byTenant = ids.map((t) => picked.filter((s) => s.tenant === t));
    const subscriptions = Array.from({ length: perTenant }, (_, k) => byTenant.flatMap((list) => list[k] ?? []));
    return { tag, tenants: ids, subscriptions: subscriptions.flat() };
  }

  /** One tenant with `count` subscriptions to the same event type. */
  /** `filter`: a payload filter every subscription gets (the events planned for the world pass it). */
  async createFanoutWorld(tag: string, count: number, filter: Record<string, unknown> | null = null): Promise<World> {
    const tenant = `b${this.runTag}-${tag}`;
    await this.createTenants([tenant]);
    const subscriptions = await this.createSubscriptions(Array.from({ length: count }, (_, j) => ({ tenant, eventType: `bench.${tag}.all`, path: `/s/${tag}-${j}`, filter })));
    return { tag, tenants: [tenant], subscriptions };
  }

  /**
   * `count` events spread round-robin over the world's subscriptions, one delivery each. With
   * `orderingKeys`, each subscription's events take turns over that many ordering keys.
   */
  private planSpread(world: World, count: number, orderingKeys = 0): PlannedEvent[] {
    return Array.from({ length: count }, (_, i) => {
      const sub = world.subscriptions[i % world.subscriptions.length];
      const base = this.envelope(world, i, sub.eventType, sub.tenant);
      const round = Math.floor(i / world.subscriptions.length);
      const envelope = orderingKeys > 0 ? { ...base, ordering_key: `k${round % orderingKeys}` } : base;
      return { envelope, keys: [`${envelope.id} ${sub.path}`] };
    });
  }

  /** One event that every subscription of a fan-out world receives. */
  planFanout(world: World, seq: number): PlannedEvent {
    const first = world.subscriptions[0];
    const envelope = this.envelope(world, seq, first.eventType, first.tenant);
    return { envelope, keys: world.subscriptions.map((s) => `${envelope.id} ${s.path}`) };
  }

  /** A spread world for `tag`, indexed by the dispatcher, with `count` events planned for it. */
  /** `scheme`: whether the subscriptions' URLs are the receiver's HTTP or its HTTPS ports. */
  /** `orderingKeys`: subscriptions order by key (ordering: "key"), over that many keys each (0: not ordered). */
  /** `batch`: subscriptions take their events in batches with these bounds (null: one per request). */
  async prepareSpread(tag: string, count: number, shape: SpreadShape = DEFAULT_SHAPE, scheme: 'http' | 'https' = 'http', orderingKeys = 0, batch: BatchSettings | null = null): Promise<Prepared> {
    const world = await this.createSpreadWorld(tag, shape.tenants, shape.perTenant, shape.spare, scheme === 'https' ? this.receiver.httpsOrigins : this.receiver.origins, orderingKeys > 0, batch);
    await this.waitForIndex();
    const events = this.planSpread(world, count, orderingKeys);
    return { world, events, keys: events.flatMap((e) => e.keys) };
  }

  /**
   * One measured phase: publishes the events as `publish` says, waits for every delivery
   * (metering from the first publish to the last receipt), then accounts for all of them.
   */
  async runPhase(prepared: Prepared, publish: (events: PlannedEvent[]) => Promise<PublishLog>, expectedFailedAnswers?: number): Promise<PhaseRun> {
    const straysBefore = await this.beginPhase(prepared.world);
    const window = this.meter.start();
    const log = await publish(prepared.events);
    const stalled = await this.awaitDelivered(prepared.keys.length);
    const usage = window.stop();
    const end = await this.finishPhase(prepared.world, prepared.keys, { stalled, straysBefore, ...(expectedFailedAnswers === undefined ? {} : { expectedFailedAnswers }) });
    return { ...end, log, usage };
  }

  /**
   * Starts a phase at the receiver: it forgets the last phase and counts this one's deliveries
   * (by event id prefix) apart from late arrivals for earlier phases. Returns how many requests
   * arrived since the last phase was accounted for (late duplicates, at-least-once).
   */
  async beginPhase(world: World): Promise<number> {
    const late = (await this.receiver.stats()).requests;
    await this.receiver.reset(this.keyPrefix(world));
    return late;
  }

  /** Waits until the dispatcher's subscription index holds every subscription created so far. */
  async waitForIndex(): Promise<void> {
    const want = this.subscriptionsCreated;
    const stalled = await this.progress(async () => {
      const text = await (await fetch(`${this.pipeline.url('dispatcher')}/metrics`)).text();
      const m = /^hookstream_subscription_index_size(?:\{[^}]*\})? (\d+)/m.exec(text);
      if (!m) throw new Error('the dispatcher publishes no hookstream_subscription_index_size gauge');
      return Number(m[1]);
    }, () => want);
    if (stalled) throw new Error(`the dispatcher did not index the ${want} subscriptions: ${stalled}`);
  }

  /**
   * Waits until the receiver has answered `count` distinct deliveries of the phase 2xx. Returns
   * null, or why it stopped waiting (no progress for the stall time).
   */
  async awaitDelivered(count: number): Promise<string | null> {
    return this.progress(async () => (await this.receiver.stats()).prefix_ok_keys, () => count);
  }

  /**
   * Ends a phase: waits until every request the receiver answered is recorded as an attempt,
   * lets stragglers (duplicates) arrive, then accounts for every delivery and resets the
   * receiver. `stalled` is what awaitDelivered returned: a phase that stalled has failed.
   */
  async finishPhase(world: World, expected: Iterable<string>, opts: { stalled: string | null; straysBefore: number; expectedFailedAnswers?: number }): Promise<PhaseEnd> {
    // Each delivery a request carried has an attempt row (a batch's, one per envelope).
    let answered = 0;
    const unrecorded = await this.progress(async () => {
      answered = (await this.receiver.stats()).prefix_deliveries;
      return (await this.attempts(world)).answered;
    }, () => answered);
    await sleep(1000);
    const { prefix_requests: requests } = await this.receiver.stats();
    const receipts = await this.receiver.receipts();
    const [attempts, deliveryRows] = await Promise.all([this.attempts(world), this.deliveryRows(world)]);
    await this.receiver.reset();
    const ours = `evt_${this.runTag}_`;
    const prefix = this.keyPrefix(world);
    const ledger = account({
      expected,
      receipts,
      attempts,
      deliveryRows,
      fromEarlierPhase: (key) => key.startsWith(ours) && !key.startsWith(prefix),
      ...(opts.expectedFailedAnswers === undefined ? {} : { expectedFailedAnswers: opts.expectedFailedAnswers }),
    });
    ledger.strays += opts.straysBefore;
    if (opts.stalled) ledger.problems.unshift(`the phase stalled: ${opts.stalled}`);
    else if (unrecorded) ledger.problems.unshift(`attempts stopped being recorded: ${unrecorded}`);
    return { ledger, receipts, requests };
  }

  /**
   * What is wrong with the services right now: any that stopped running (with the end of its
   * output), and any that reports itself not ready (with the failing checks).
   */
  async diagnose(): Promise<string[]> {
    return (
      await Promise.all(
        SERVICES.map(async (name) => {
          const service = this.pipeline.services[name];
          if (!isAlive(service.pid)) return [`${name} is not running; its last output:\n${service.output.slice(-15).join('\n')}`];
          const res = await fetch(`${service.url}/health/ready`).catch((err: unknown) => err as Error);
          if (res instanceof Error) return [`${name} does not answer: ${res.message}`];
          if (res.status === 200) return [];
          const body = (await res.json().catch(() => null)) as { checks?: Record<string, string> } | null;
          const failing = Object.entries(body?.checks ?? {}).filter(([, v]) => v !== 'ok');
          return [`${name} is not ready: ${failing.map(([k, v]) => `${k}: ${v}`).join('; ') || `status ${res.status}`}`];
        }),
      )
    ).flat();
  }

  async stop(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.pipeline.stop();
    await this.receiver.stop();
    await this.stack.close();
    await this.postgres.remove();
    this.ca.dispose();
  }

  private envelope(world: World, seq: number, type: string, tenant: string): EventEnvelope {
    return makeEnvelope(`${this.keyPrefix(world)}${seq}`, type, tenant, this.options.bodyBytes, seq);
  }

  /** Event ids (and so delivery keys) of a world start with this. */
  private keyPrefix(world: World): string {
    return `evt_${this.runTag}_${world.tag}_`;
  }

  private async createTenants(ids: readonly string[]): Promise<void> {
    await inParallel(ids, 4, async (id) => {
      const r = await retryUnavailable(() => this.pipeline.call('subscription-registry', 'POST', '/v1/tenants', this.stack.adminKey, { id, name: id }));
      if (r.status !== 201) throw new Error(`creating tenant ${id} answered ${r.status}: ${JSON.stringify(r.body)}`);
    });
  }

  private async createSubscriptions(specs: readonly { tenant: string; eventType: string; path: string; filter?: Record<string, unknown> | null; ordered?: boolean; batch?: BatchSettings | null }[], origins: readonly string[] = this.receiver.origins): Promise<Subscription[]> {
    return inParallel(specs, 8, async (spec) => {
      const origin = origins[this.nextPort++ % origins.length];
      const r = await retryUnavailable(() =>
        this.pipeline.call<{ id?: string }>('subscription-registry', 'POST', '/v1/subscriptions', this.stack.adminKey, {
          tenant_id: spec.tenant,
          url: `${origin}${spec.path}`,
          event_types: [spec.eventType],
          ...(spec.filter ? { filter: spec.filter } : {}),
          ...(spec.ordered ? { ordering: 'key' } : {}),
          ...(spec.batch ? { batch: spec.batch } : {}),
        }),
      );
      if (r.status !== 201 || !r.body.id) throw new Error(`creating a subscription for ${spec.tenant} answered ${r.status}: ${JSON.stringify(r.body)}`);
      this.subscriptionsCreated++;
      return { tenant: spec.tenant, eventType: spec.eventType, path: spec.path, id: r.body.id, partition: partitionFor(r.body.id, this.partitions.deliveries) };
    });
  }

  private async attempts(world: World) {
    const rows = await this.stack.query<AttemptRowGroup>(
      `SELECT outcome,
              CASE WHEN status_code IS NULL THEN 'none' WHEN status_code BETWEEN 200 AND 299 THEN 'ok' ELSE 'other' END AS status_code_class,
              count(*)::int AS n
         FROM delivery_attempts WHERE tenant_id = ANY($1) GROUP BY 1, 2`,
      [world.tenants],
    );
    return attemptCounts(rows);
  }

  private async deliveryRows(world: World): Promise<Record<string, number>> {
    const rows = await this.stack.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM deliveries WHERE tenant_id = ANY($1) GROUP BY 1', [world.tenants]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /**
   * Polls `read` until it reaches `target()`. Gives up only when the value stops moving for the
   * stall time (a loaded machine is slow, not stuck) and then says where it stood and what
   * is wrong with the services; null when the target was reached.
   */
  private async progress(read: () => Promise<number>, target: () => number): Promise<string | null> {
    let last = -1;
    let movedAt = Date.now();
    for (;;) {
      const value = await read();
      if (value >= target()) return null;
      if (value !== last) {
        last = value;
        movedAt = Date.now();
      } else if (Date.now() - movedAt > this.options.stallMs) {
        const wrong = await this.diagnose();
        return `at ${value} of ${target()}, unchanged for ${Math.round(this.options.stallMs / 1000)} s${wrong.map((w) => `\n${w}`).join('')}`;
      }
      await sleep(200);
    }
  }
}

/** Runs `fn` over `items`, at most `limit` at a time; results in order. */
/**
 * A 503 means a dependency was briefly unavailable (a saturated machine's Postgres pool, say) and
 * nothing was written: the API asks clients to retry, so setup does, as a user's client would.
 */
export async function retryUnavailable<T extends { status: number }>(call: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i++) {
    const r = await call();
    if (r.status !== 503 || i >= attempts) return r;
    await sleep(500 * i);
  }
}

export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
