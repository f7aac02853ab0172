import { randomBytes } from 'node:crypto';
import { physicalTopic, TOPICS, type TopicKey } from '@hookstream/contracts';
import { createTestStack, type Pipeline, type ServiceName, SERVICES, startPipeline, type TestStack } from '@hookstream/testing';
import type { Producer } from 'kafkajs';
import { isAlive } from '../../bench/harness/proc.ts';
import { IngestPublisher } from '../../bench/harness/publisher.ts';
import { inParallel, type ServiceEnv } from '../../bench/harness/system.ts';
import { PrivateInfra } from './infra.ts';
import type { StageTimes } from './latency.ts';
import type { PlannedDelivery } from './ledger.ts';
import { ChaosReceivers } from './receiver.ts';
import { EVENT_TYPES, type EventKind, fateOf, SUBSCRIPTIONS, type SubscriptionSpec } from './world.ts';

export interface ChaosSubscription extends SubscriptionSpec {
  id: string;
  path: string;
}

export interface ServiceExit {
  service: ServiceName;
  at: string;
  last_output: string[];
}

export interface ChaosTenant {
  id: string;
  apiKey: string;
  subscriptions: ChaosSubscription[];
}

/**
 * What the suite changes in the services' environment, and why. Short schedules and timeouts,
 * so that everything a fault disturbs settles within seconds, and faults are what is tested,
 * not patience.
 */
export function chaosServiceEnv(): ServiceEnv {
  return {
    all: { NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    'subscription-registry': { DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1' },
    'ingress-gateway': { DEDUP_TTL_SECONDS: '3600', OUTBOX_GRACE_MS: '2000', OUTBOX_INTERVAL_MS: '500' },
    dispatcher: {
      DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1',
      // Eight attempts over about 20 s: long enough to outlast every fault, short enough that
      // the dead receiver's deliveries die within a scenario.
      RETRY_DELAYS: '1s,1s,2s,2s,3s,5s,5s',
      MAX_RETRY_AFTER_SECONDS: '2',
      CONNECT_TIMEOUT_MS: '2000',
      // A killed dispatcher's leases are taken over within seconds, not half a minute.
      LEASE_TTL_MS: '6000',
      LEASE_SWEEP_INTERVAL_MS: '1000',
      // An ordered key whose next event's release a killed dispatcher never produced moves on
      // within seconds, not 10 s (the `ordered` scenario kills dispatchers mid-release).
      ORDERED_RELEASE_AFTER_MS: '2000',
      // The breakers have tests of their own. Here an open one would postpone the dead
      // receiver's attempts without spending them, stretching its 20 s schedule to minutes.
      BREAKER_VOLUME_THRESHOLD: '1000000',
    },
  };
}

/**
 * The system under test: the five services as processes on a private Kafka, Postgres and Redis,
 * the hostile and friendly receivers, and a world of tenants and subscriptions to load.
 */
export class ChaosSystem {
  readonly runTag = randomBytes(3).toString('hex');
  tenants: ChaosTenant[] = [];
  readonly publisher: IngestPublisher;
  private readonly byId = new Map<string, ChaosSubscription>();
  private readonly exits: ServiceExit[] = [];
  private readonly reviving = new Set<ServiceName>();
  private watching = true;
  private watchdog: NodeJS.Timeout | undefined;

  readonly infra: PrivateInfra;
  readonly stack: TestStack;
  readonly pipeline: Pipeline;
  readonly receivers: ChaosReceivers;
  private readonly producer: Producer;

  private constructor(infra: PrivateInfra, stack: TestStack, pipeline: Pipeline, receivers: ChaosReceivers, producer: Producer) {
    this.infra = infra;
    this.stack = stack;
    this.pipeline = pipeline;
    this.receivers = receivers;
    this.producer = producer;
    this.publisher = new IngestPublisher(producer, physicalTopic(stack.topicPrefix, TOPICS.ingest));
  }

  static async start(root: string, tenants: number, log: (m: string) => void, kafkaNodes: 1 | 3 = 1): Promise<ChaosSystem> {
    const infra = await PrivateInfra.start(root, log, kafkaNodes);
    const parts: { stack?: TestStack; pipeline?: Pipeline; receivers?: ChaosReceivers; producer?: Producer } = {};
    try {
      // createTestStack and the services find Kafka, Postgres and Redis through these.
      Object.assign(process.env, infra.env());
      parts.stack = await createTestStack('chaos');
      parts.receivers = await ChaosReceivers.start();
      log('starting the five services');
      parts.pipeline = await startPipeline(parts.stack, chaosServiceEnv());
      // No kafkajs retries: its retry of a request spanning several brokers can skip a partition
      // whose leader moved (libs/kafka producer.service.ts); the load retries each event itself.
      parts.producer = parts.stack.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
      await parts.producer.connect();
      const system = new ChaosSystem(infra, parts.stack, parts.pipeline, parts.receivers, parts.producer);
      await system.createWorld(tenants);
      system.startWatchdog();
      return system;
    } catch (err) {
      await parts.producer?.disconnect().catch(() => undefined);
      await parts.pipeline?.stop().catch(() => undefined);
      await parts.receivers?.close().catch(() => undefined);
      await parts.stack?.close().catch(() => undefined);
      await infra.stop();
      throw err;
    }
  }

  /** What an event of `kind` for `tenant` should cause, subscription by subscription. */
  plan(tenant: ChaosTenant, eventId: string, kind: EventKind): PlannedDelivery[] {
    return tenant.subscriptions.map((s) => ({ key: `${eventId} ${s.path}`, fate: fateOf(s, EVENT_TYPES[kind]) }));
  }

  /** A deliveries or dead_letters row's key, as the receivers key what arrives. */
  keyOf(eventId: string, subscriptionId: string): string {
    return `${eventId} ${this.byId.get(subscriptionId)?.path ?? `(subscription ${subscriptionId})`}`;
  }

  /** When each of the scenario's deliveries was stored, fanned out and first sent, for latencyStages. */
  async stageTimes(prefix: string): Promise<StageTimes[]> {
    const rows = await this.stack.query<{ event_id: string; subscription_id: string; source: string; received: number; fanned: number; started: number | null }>(
      `SELECT d.event_id, d.subscription_id::text, e.source,
              (extract(epoch FROM e.received_at) * 1000)::float8 AS received,
              (extract(epoch FROM d.created_at) * 1000)::float8 AS fanned,
              (SELECT extract(epoch FROM min(a.started_at)) * 1000 FROM delivery_attempts a WHERE a.delivery_id = d.id)::float8 AS started
         FROM deliveries d JOIN events e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
        WHERE d.tenant_id = ANY($1) AND starts_with(d.event_id, $2)`,
      [this.tenants.map((t) => t.id), prefix],
    );
    return rows.map((r) => ({ key: this.keyOf(r.event_id, r.subscription_id), source: r.source, receivedAt: r.received, fannedAt: r.fanned, startedAt: r.started }));
  }

  /** Every scenario's event ids start with this. */
  eventPrefix(scenario: string): string {
    return `evt_chaos_${this.runTag}_${scenario}_`;
  }

  /** Status of the scenario's deliveries rows and its dead letters, by key. */
  async outcomes(prefix: string): Promise<{ rows: Map<string, string>; deadLetters: Set<string> }> {
    const tenantIds = this.tenants.map((t) => t.id);
    const [rows, dead] = await Promise.all([
      this.stack.query<{ event_id: string; subscription_id: string; status: string }>(
        'SELECT event_id, subscription_id::text, status FROM deliveries WHERE tenant_id = ANY($1) AND starts_with(event_id, $2)',
        [tenantIds, prefix],
      ),
      this.stack.query<{ event_id: string; subscription_id: string }>(
        'SELECT event_id, subscription_id::text FROM dead_letters WHERE tenant_id = ANY($1) AND starts_with(event_id, $2)',
        [tenantIds, prefix],
      ),
    ]);
    return {
      rows: new Map(rows.map((r) => [this.keyOf(r.event_id, r.subscription_id), r.status])),
      deadLetters: new Set(dead.map((r) => this.keyOf(r.event_id, r.subscription_id))),
    };
  }

  /** How many partitions a topic has on the private broker. */
  async partitionsOf(topic: TopicKey): Promise<number> {
    const admin = this.stack.kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [physicalTopic(this.stack.topicPrefix, TOPICS[topic])] });
      return meta.topics[0]?.partitions.length ?? 1;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * The Kafka node that leads the most partitions of the busiest topics (events and deliveries:
   * every event and every delivery passes there), the one whose loss moves the most traffic.
   */
  async busiestLeader(): Promise<number> {
    const partitions = await this.partitionStates(['events', 'deliveries']);
    const led = new Map<number, number>();
    for (const p of partitions) led.set(p.leader, (led.get(p.leader) ?? 0) + 1);
    const [best] = [...led].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    if (!best) throw new Error('no partition of events or deliveries has a leader');
    return best[0];
  }

  /** Partitions of the stack's topics with fewer replicas in sync than they have. */
  async underReplicated(): Promise<number> {
    return (await this.partitionStates(Object.keys(TOPICS) as TopicKey[])).filter((p) => p.isr < p.replicas).length;
  }

  private async partitionStates(topics: readonly TopicKey[]): Promise<Array<{ leader: number; isr: number; replicas: number }>> {
    const admin = this.stack.kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: topics.map((t) => physicalTopic(this.stack.topicPrefix, TOPICS[t])) });
      return meta.topics.flatMap((t) => t.partitions.map((p) => ({ leader: p.leader, isr: p.isr.length, replicas: p.replicas.length })));
    } finally {
      await admin.disconnect();
    }
  }

  /** Produces raw values (whatever they hold) to a topic, acks=all, as a careless producer would. */
  async produceRaw(topic: TopicKey, messages: { key: string; value: string; partition?: number }[]): Promise<void> {
    await this.producer.send({ topic: physicalTopic(this.stack.topicPrefix, TOPICS[topic]), acks: -1, messages });
  }

  /**
   * The quarantined messages that name a tenant, by reason code, as on-call would list them
   * (dlq-inspector's GET /v1/quarantine, every page).
   */
  async quarantined(tenantId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    let cursor: string | null = null;
    do {
      const query: URLSearchParams = new URLSearchParams({ tenant_id: tenantId, limit: '500', ...(cursor ? { cursor } : {}) });
      const r: { status: number; body: { data: { code: string }[]; next_cursor: string | null } } = await this.pipeline.call('dlq-inspector', 'GET', `/v1/quarantine?${query.toString()}`, this.stack.adminKey);
      if (r.status !== 200) throw new Error(`GET /v1/quarantine answered ${r.status}: ${JSON.stringify(r.body)}`);
      for (const m of r.body.data) counts[m.code] = (counts[m.code] ?? 0) + 1;
      cursor = r.body.next_cursor;
    } while (cursor);
    return counts;
  }

  /** Restarts services killed together: SIGKILL all at once, then start them and wait until each is ready. */
  async killTogether(names: readonly ServiceName[]): Promise<void> {
    await Promise.all(names.map((n) => this.pipeline.services[n].kill()));
    for (const n of names) this.pipeline.services[n].start();
    await Promise.all(names.map((n) => this.pipeline.services[n].waitReady(240_000)));
  }

  /**
   * Services that exit on their own are started again, as an orchestrator would: a consumer
   * that kafkajs will not restart ends its process on purpose (libs/kafka). Each exit is kept,
   * with the end of the service's output, for the scenario's report. Paused while a scenario
   * kills and restarts services itself.
   */
  startWatchdog(): void {
    this.watchdog = setInterval(() => {
      if (!this.watching) return;
      for (const name of SERVICES) {
        const service = this.pipeline.services[name];
        if (this.reviving.has(name) || isAlive(service.pid)) continue;
        this.exits.push({ service: name, at: new Date().toISOString(), last_output: service.output.slice(-12) });
        this.reviving.add(name);
        service.start();
        void service
          .waitReady(240_000)
          .catch((err: unknown) => this.exits.push({ service: name, at: new Date().toISOString(), last_output: [`did not become ready again: ${(err as Error).message}`] }))
          .finally(() => this.reviving.delete(name));
      }
    }, 1000);
  }

  /** Runs `fn` (a scenario's own kills and restarts) with the watchdog paused. */
  async unwatched<T>(fn: () => Promise<T>): Promise<T> {
    this.watching = false;
    try {
      return await fn();
    } finally {
      this.watching = true;
    }
  }

  /** The exits seen since the last call. */
  takeExits(): ServiceExit[] {
    return this.exits.splice(0);
  }

  /** Until the watchdog has every service running and ready again. */
  async allRunning(): Promise<void> {
    const deadline = Date.now() + 240_000;
    while (this.reviving.size > 0 || SERVICES.some((n) => !isAlive(this.pipeline.services[n].pid))) {
      if (Date.now() > deadline) throw new Error(`services not running again after 240 s: ${[...this.reviving].join(', ')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async stop(): Promise<void> {
    this.watching = false;
    clearInterval(this.watchdog);
    await this.producer.disconnect().catch(() => undefined);
    await this.pipeline.stop().catch(() => undefined);
    await this.receivers.close();
    await this.stack.close().catch(() => undefined);
    await this.infra.stop();
  }

  /**
   * Gives every tenant these subscriptions too (a scenario's own), from then on planned for every
   * event like the others, and waits until the dispatcher knows them.
   */
  async addSubscriptions(specs: readonly SubscriptionSpec[]): Promise<void> {
    await inParallel(
      this.tenants.map((tenant, i) => ({ tenant, i })),
      2,
      async ({ tenant, i }) => {
        tenant.subscriptions.push(...(await inParallel(specs, 4, (spec) => this.createSubscription(tenant, i, spec))));
      },
    );
    await this.waitForIndex(this.enabledSubscriptions());
  }

  /** Deletes every tenant's subscriptions of these names: the scenarios after the one that added them do not plan for them. */
  async removeSubscriptions(names: readonly string[]): Promise<void> {
    await inParallel(this.tenants, 2, async (tenant) => {
      const gone = tenant.subscriptions.filter((s) => names.includes(s.name));
      for (const sub of gone) {
        const r = await this.pipeline.call('subscription-registry', 'DELETE', `/v1/subscriptions/${sub.id}`, tenant.apiKey);
        if (r.status !== 204) throw new Error(`deleting ${sub.path} answered ${r.status}: ${JSON.stringify(r.body)}`);
      }
      tenant.subscriptions = tenant.subscriptions.filter((s) => !gone.includes(s));
    });
  }

  private async createWorld(count: number): Promise<void> {
    this.tenants = await inParallel(Array.from({ length: count }, (_, i) => i), 2, async (i) => {
      const { tenantId, apiKey } = await this.pipeline.createTenant();
      const tenant: ChaosTenant = { id: tenantId, apiKey, subscriptions: [] };
      tenant.subscriptions = await inParallel(SUBSCRIPTIONS, 4, (spec) => this.createSubscription(tenant, i, spec));
      return tenant;
    });
    await this.waitForIndex(this.enabledSubscriptions());
  }

  /** One subscription of the `index`-th tenant, at `/<name>/<index>` on its behaviour's origin. */
  private async createSubscription(tenant: ChaosTenant, index: number, spec: SubscriptionSpec): Promise<ChaosSubscription> {
    const path = `/${spec.name}/${String(index)}`;
    const r = await this.pipeline.call<{ id?: string }>('subscription-registry', 'POST', '/v1/subscriptions', this.stack.adminKey, {
      tenant_id: tenant.id,
      url: `${this.receivers.origin(spec.behaviour)}${path}`,
      event_types: spec.eventTypes,
      ...(spec.timeoutMs ? { timeout_ms: spec.timeoutMs } : {}),
      ...(spec.ordering ? { ordering: spec.ordering } : {}),
      ...(spec.batch ? { batch: spec.batch } : {}),
    });
    if (r.status !== 201 || !r.body.id) throw new Error(`creating subscription ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    if (spec.disabled) {
      const d = await this.pipeline.call('subscription-registry', 'PATCH', `/v1/subscriptions/${r.body.id}`, tenant.apiKey, { enabled: false });
      if (d.status !== 200) throw new Error(`disabling ${path} answered ${d.status}: ${JSON.stringify(d.body)}`);
    }
    const sub: ChaosSubscription = { ...spec, id: r.body.id, path };
    this.byId.set(sub.id, sub);
    return sub;
  }

  private enabledSubscriptions(): number {
    return this.tenants.reduce((n, t) => n + t.subscriptions.filter((s) => !s.disabled).length, 0);
  }

  /** The dispatcher learns subscriptions from the changelog: load before it knows them would be misrouted, not lost. */
  private async waitForIndex(want: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const text = await (await fetch(`${this.pipeline.url('dispatcher')}/metrics`)).text();
      const size = Number(/^hookstream_subscription_index_size(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? -1);
      if (size >= want) return;
      if (Date.now() > deadline) throw new Error(`the dispatcher indexed ${size} of ${want} subscriptions within 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
