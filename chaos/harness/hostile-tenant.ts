import { Worker } from 'node:worker_threads';
import { physicalTopic, TOPICS } from '@hookstream/contracts';
import { sleep } from '../../bench/harness/clock.ts';
import { inParallel } from '../../bench/harness/system.ts';
import { HOSTILE_PATHS } from './receiver.ts';
import type { ChaosSystem } from './system.ts';

/**
 * What the hostile tenant needs of the world: JSON calls to the services, raw messages on the
 * ingest topic, and the origin its endpoints live on. Backed by the ChaosSystem for its setup,
 * and by plain fetch and its own producer in the worker thread its attack runs in
 * (hostile-worker.ts).
 */
export interface HostileIo {
  call(service: 'ingress-gateway' | 'subscription-registry', method: string, path: string, key: string, body: unknown): Promise<{ status: number; body: unknown }>;
  produceRaw(messages: { key: string; value: string; partition: number }[]): Promise<void>;
  ingestPartitions(): Promise<number>;
  okOrigin: string;
}

/** Everything a worker needs to take over a hostile tenant created on the main thread. */
export interface HostileState {
  tenantId: string;
  apiKey: string;
  prefix: string;
  subscriptionIds: string[];
}

/** What the attack found, handed back from the worker. */
export interface HostileTally {
  answers: Record<string, Record<string, number>>;
  refused: Record<string, Record<string, number>>;
  kafkaPoison: Record<string, number>;
  regexMaxMs: number;
}

/** Where the worker finds the services and the ingest topic. */
export interface HostileConnection {
  urls: Record<'ingress-gateway' | 'subscription-registry', string>;
  brokers: string[];
  ingestTopic: string;
  okOrigin: string;
}

export interface HostileWorkerData {
  state: HostileState;
  ms: number;
  sizes: HostileSizes;
  connection: HostileConnection;
}

export function connectionOf(system: ChaosSystem): HostileConnection {
  return {
    urls: { 'ingress-gateway': system.pipeline.url('ingress-gateway'), 'subscription-registry': system.pipeline.url('subscription-registry') },
    brokers: system.stack.brokers,
    ingestTopic: physicalTopic(system.stack.topicPrefix, TOPICS.ingest),
    okOrigin: system.receivers.origin('ok'),
  };
}

/** A HostileIo over the system under test, for the main thread. */
export function systemIo(system: ChaosSystem): HostileIo {
  return {
    call: (service, method, path, key, body) => system.pipeline.call(service, method, path, key, body),
    produceRaw: (messages) => system.produceRaw('ingest', messages),
    ingestPartitions: () => system.partitionsOf('ingest'),
    okOrigin: system.receivers.origin('ok'),
  };
}

/** How hard the hostile tenant pushes, per form of the suite. */
export interface HostileSizes {
  /** Events per second to its own slow, late and failing endpoints, over HTTP. */
  eventsPerSecond: number;
  /** Poison messages per second, each over Kafka (to every ingest partition in turn) and HTTP. */
  poisonPerSecond: number;
  /** Events per second whose data meets the catastrophic-backtracking pattern. */
  regexPerSecond: number;
  /** Secret rotations per second of one subscription. */
  rotationsPerSecond: number;
  /** Subscriptions it tries to create (beyond its quota, if it has one). */
  subscriptions: number;
  /** Endpoints on the shared origin that answer after 10 s. */
  slowEndpoints: number;
}

/**
 * The streams of the attack that ran short of their planned counts (rate × seconds) by more than
 * `slack`, as problems: an attack that fell behind (its thread runs at the lowest CPU priority)
 * would measure a milder tenant than the one the round promises.
 */
export function attackShortfall(sizes: HostileSizes, ms: number, tally: Pick<HostileTally, 'answers' | 'kafkaPoison'>, slack = 0.1): string[] {
  const answered = (prefix: string) =>
    Object.entries(tally.answers)
      .filter(([op]) => op === prefix || op.startsWith(`${prefix}.`))
      .reduce((sum, [, byStatus]) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  const streams: [string, number, number][] = [
    ['publications', sizes.eventsPerSecond, answered('publish')],
    ['backtracking publications', sizes.regexPerSecond, answered('publish_regex')],
    ['poison messages on Kafka', sizes.poisonPerSecond, Object.values(tally.kafkaPoison).reduce((a, b) => a + b, 0)],
    ['poison requests', sizes.poisonPerSecond, answered('poison_http')],
    ['secret rotations', sizes.rotationsPerSecond, answered('rotate_secret')],
  ];
  return streams
    .map(([name, perSecond, done]) => ({ name, planned: Math.floor((perSecond * ms) / 1000), done }))
    .filter((s) => s.done < s.planned * (1 - slack))
    .map((s) => `the hostile tenant made ${s.done} ${s.name} of the ${s.planned} planned`);
}

/** A raw message value and what makes it poison. */
interface Poison {
  kind: string;
  body: string;
}

/** The catastrophic-backtracking pattern: exponential on a backtracking engine for "aaa…a!". */
export const EVIL_PATTERN = '^(a+)+$';

/**
 * Envelope texts that a parser, Postgres or Kafka would choke on, as raw JSON text (some of them
 * cannot be written with JSON.stringify: lone surrogates, integers past 2^53, deep nesting).
 */
export function poisonBodies(tenantId: string, id: string): Poison[] {
  const head = (occurredAt: string) => `{"id":"${id}","type":"hostile.poison","tenant_id":"${tenantId}","occurred_at":"${occurredAt}","data":`;
  const ok = '2026-12-04T10:00:00Z';
  const depth = 5000;
  return [
    { kind: 'year_0000', body: `${head('0000-01-01T00:00:00Z')}{"a":1}}` },
    { kind: 'year_10000', body: `${head('+010000-01-01T00:00:00Z')}{"a":1}}` },
    { kind: 'nul_in_data', body: `${head(ok)}{"a":"x\\u0000y"}}` },
    { kind: 'nul_in_key', body: `${head(ok)}{"a\\u0000":1}}` },
    { kind: 'lone_surrogate', body: `${head(ok)}{"a":"\\ud800"}}` },
    { kind: 'int_2_53_plus_1', body: `${head(ok)}{"n":9007199254740993}}` },
    { kind: 'int_2_31', body: `${head(ok)}{"n":2147483648}}` },
    { kind: 'huge_exponent', body: `${head(ok)}{"n":1e400}}` },
    { kind: 'deep_nesting', body: `${head(ok)}${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}` },
    { kind: 'duplicate_keys', body: `${head(ok)}{"a":1,"a":2}}` },
    { kind: 'not_json', body: `${head(ok)}{"a":` },
    { kind: 'huge_string', body: `${head(ok)}{"s":"${'x'.repeat(2 * 1024 * 1024)}"}}` },
  ];
}

export interface HostileReport {
  tenant_id: string;
  /** Every answer the services gave the hostile tenant, by what it tried and the status. */
  answers: Record<string, Record<string, number>>;
  /** Poison messages produced to the ingest topic, by kind. */
  kafka_poison: Record<string, number>;
  /** Slowest answer to a publication of the catastrophic-backtracking payload, in ms. */
  regex_publish_max_ms: number;
  /** What the hostile tenant could not do because of a quota, by operation and error code. */
  refused: Record<string, Record<string, number>>;
}

/**
 * One tenant doing everything issue 13 lists at once: poison over Kafka and HTTP, the
 * catastrophic-backtracking schema on a strict catalog, 50 endpoints that answer after 10 s and
 * 10 that answer after its own 1 s timeout, on the origin the good tenants use, plus endpoints
 * there that always fail (breaker tripping), 1,000 subscriptions, and secret rotation spam.
 */
export class HostileTenant {
  private answers: Record<string, Record<string, number>> = {};
  private refused: Record<string, Record<string, number>> = {};
  private kafkaPoison: Record<string, number> = {};
  private regexMaxMs = 0;
  private readonly subscriptionIds: string[] = [];
  private seq = 0;
  /** Its own count, so every kind of poison comes round in turn. */
  private poisonSeq = 0;

  private readonly io: HostileIo;
  readonly tenantId: string;
  private readonly apiKey: string;
  private readonly prefix: string;

  // Plain fields, not parameter properties: the suite runs on Node's type stripping.
  private constructor(io: HostileIo, tenantId: string, apiKey: string, prefix: string) {
    this.io = io;
    this.tenantId = tenantId;
    this.apiKey = apiKey;
    this.prefix = prefix;
  }

  /** A fresh tenant with its catalog (strict, the evil pattern on `hostile.regex`) and endpoints. */
  static async create(system: ChaosSystem, prefix: string, sizes: HostileSizes): Promise<HostileTenant> {
    const { tenantId, apiKey } = await system.pipeline.createTenant();
    const t = new HostileTenant(systemIo(system), tenantId, apiKey, prefix);
    const types: [string, Record<string, unknown> | null][] = [
      ['hostile.regex', { type: 'object', properties: { s: { type: 'string', pattern: EVIL_PATTERN } } }],
      ['hostile.slow', null],
      ['hostile.late', null],
      ['hostile.fail', null],
      ['hostile.many', null],
    ];
    for (const [name, schema] of types) await t.must('event_type', 'POST', '/v1/event-types', { name, schema });
    await t.must('catalog_mode', 'PUT', `/v1/tenants/${tenantId}/catalog-mode`, { strict_event_types: true });
    const ok = t.io.okOrigin;
    const endpoints = [
      ...Array.from({ length: sizes.slowEndpoints }, (_, i) => ({ url: `${ok}${HOSTILE_PATHS.slow}${i}`, type: 'hostile.slow', timeout_ms: 15_000 })),
      ...Array.from({ length: 10 }, (_, i) => ({ url: `${ok}${HOSTILE_PATHS.late}${i}`, type: 'hostile.late', timeout_ms: 1000 })),
      ...Array.from({ length: 10 }, (_, i) => ({ url: `${ok}${HOSTILE_PATHS.fail}${i}`, type: 'hostile.fail', timeout_ms: 1000 })),
    ];
    await inParallel(endpoints, 4, async (e) => {
      const r = await t.patiently('subscription', 'POST', '/v1/subscriptions', { url: e.url, event_types: [e.type], timeout_ms: e.timeout_ms });
      const id = (r.body as { id?: unknown }).id;
      if (r.status === 201 && typeof id === 'string') t.subscriptionIds.push(id);
    });
    return t;
  }

  /** What a worker needs to take this tenant over (see `resume`). */
  state(): HostileState {
    return { tenantId: this.tenantId, apiKey: this.apiKey, prefix: this.prefix, subscriptionIds: [...this.subscriptionIds] };
  }

  /** The tenant `state` describes, acting through `io` (in the worker thread). */
  static resume(io: HostileIo, state: HostileState): HostileTenant {
    const t = new HostileTenant(io, state.tenantId, state.apiKey, state.prefix);
    t.subscriptionIds.push(...state.subscriptionIds);
    return t;
  }

  tally(): HostileTally {
    return { answers: this.answers, refused: this.refused, kafkaPoison: this.kafkaPoison, regexMaxMs: this.regexMaxMs };
  }

  /**
   * The attack, run in a worker thread (hostile-worker.ts) so its own work (2 MiB poison bodies,
   * 5,000-deep nesting, kafkajs encoding them) cannot stall the event loop that stamps the good
   * tenants' publications and receipts: in one process it did, by up to 227 ms, and those
   * stalls were the good tenants' p99. A real hostile tenant is another client on another
   * machine; here it still shares the CPU, which is the contention the round measures.
   */
  async runIsolated(ms: number, sizes: HostileSizes, connection: HostileConnection): Promise<void> {
    const worker = new Worker(new URL('./hostile-worker.ts', import.meta.url), { workerData: { state: this.state(), ms, sizes, connection } satisfies HostileWorkerData });
    const tally = await new Promise<HostileTally>((resolve, reject) => {
      worker.once('message', (m: HostileTally) => resolve(m));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the hostile tenant's worker exited with ${code} before reporting`)));
    });
    await worker.terminate();
    this.answers = tally.answers;
    this.refused = tally.refused;
    this.kafkaPoison = tally.kafkaPoison;
    this.regexMaxMs = tally.regexMaxMs;
  }

  /** Everything at once until `ms` have passed. */
  async run(ms: number, sizes: HostileSizes): Promise<void> {
    const until = Date.now() + ms;
    const partitions = await this.io.ingestPartitions();
    await Promise.all([
      this.every(sizes.eventsPerSecond, until, async () => {
        const type = ['hostile.slow', 'hostile.late', 'hostile.fail'][this.seq % 3] ?? 'hostile.slow';
        await this.publish('publish', { id: this.nextId(), type, occurred_at: new Date().toISOString(), data: { n: this.seq } });
      }),
      this.every(sizes.regexPerSecond, until, async () => {
        const started = Date.now();
        await this.publish('publish_regex', { id: this.nextId(), type: 'hostile.regex', occurred_at: new Date().toISOString(), data: { s: `${'a'.repeat(30 + (this.seq % 11))}!` } });
        this.regexMaxMs = Math.max(this.regexMaxMs, Date.now() - started);
      }),
      this.every(sizes.poisonPerSecond, until, async () => {
        const n = this.poisonSeq++;
        const bodies = poisonBodies(this.tenantId, `${this.prefix}poison_${n}`);
        const poison = bodies[n % bodies.length];
        if (!poison) return;
        await this.io.produceRaw([{ key: this.tenantId, value: poison.body, partition: n % partitions }]);
        this.kafkaPoison[poison.kind] = (this.kafkaPoison[poison.kind] ?? 0) + 1;
        // Over HTTP the tenant id comes from the key: the same text without it is the body.
        const http = poison.body.replace(`"tenant_id":"${this.tenantId}",`, '');
        await this.call(`poison_http.${poison.kind}`, 'POST', '/v1/events', http, 'ingress-gateway');
      }),
      this.every(sizes.rotationsPerSecond, until, async () => {
        const id = this.subscriptionIds[0];
        if (id) await this.call('rotate_secret', 'POST', `/v1/subscriptions/${id}/secret/rotate`, { overlap_seconds: 7 * 24 * 3600 });
      }),
      this.createMany(sizes.subscriptions, until),
    ]);
  }

  /** Disables its endpoints, so its retries stop loading the scenarios that follow. */
  async stop(): Promise<void> {
    await inParallel(this.subscriptionIds, 4, async (id) => {
      await this.patiently('disable', 'PATCH', `/v1/subscriptions/${id}`, { enabled: false });
    });
  }

  report(): HostileReport {
    return { tenant_id: this.tenantId, answers: this.answers, kafka_poison: this.kafkaPoison, regex_publish_max_ms: this.regexMaxMs, refused: this.refused };
  }

  /** Answers of 5xx (or none at all) the hostile tenant got: each is a problem. */
  serverErrors(): string[] {
    const out: string[] = [];
    for (const [op, byStatus] of Object.entries(this.answers)) {
      for (const [status, n] of Object.entries(byStatus)) if (!/^[234]\d\d$/.test(status)) out.push(`${op} answered ${status} ${n} times`);
    }
    return out;
  }

  /**
   * Creates `count` subscriptions as fast as four callers can, waiting out rate limits, until they
   * are all made or refused, or the attack ends (`until`): the per-minute quota on configuration
   * changes is what stops it reaching 1,000 within a short attack.
   */
  private async createMany(count: number, until: number): Promise<void> {
    const ok = this.io.okOrigin;
    let next = 0;
    await inParallel([0, 1, 2, 3], 4, async () => {
      while (next < count && Date.now() < until) {
        const i = next++;
        await this.patiently('create_subscription', 'POST', '/v1/subscriptions', { url: `${ok}/h-many/${i}`, event_types: ['hostile.many'] });
      }
    });
  }

  private nextId(): string {
    return `${this.prefix}${this.seq++}`;
  }

  private async publish(op: string, body: Record<string, unknown>): Promise<void> {
    await this.call(op, 'POST', '/v1/events', body, 'ingress-gateway');
  }

  /** Calls `perSecond` times a second until `until`, never more than four at once. */
  private async every(perSecond: number, until: number, fn: () => Promise<void>): Promise<void> {
    if (perSecond <= 0) return;
    const running = new Set<Promise<void>>();
    const started = Date.now();
    for (let i = 0; Date.now() < until; i++) {
      const due = started + (i * 1000) / perSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      if (running.size >= 4) await Promise.race(running);
      const p = fn().finally(() => running.delete(p));
      running.add(p);
    }
    await Promise.all(running);
  }

  private async call(op: string, method: string, path: string, body: unknown, service: 'ingress-gateway' | 'subscription-registry' = 'subscription-registry'): Promise<{ status: number; body: unknown }> {
    let status: string;
    let parsed: unknown = null;
    try {
      const r = await this.io.call(service, method, path, this.apiKey, body);
      status = String(r.status);
      parsed = r.body;
      const code = (r.body as { code?: unknown } | null)?.code;
      if ((r.status === 422 || r.status === 429) && typeof code === 'string' && /quota|limit|rate/.test(code)) {
        const byCode = (this.refused[op] ??= {});
        byCode[code] = (byCode[code] ?? 0) + 1;
      }
    } catch (err) {
      status = `no answer (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name})`;
    }
    const byStatus = (this.answers[op] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    return { status: Number(status) || 0, body: parsed };
  }

  /**
   * Like `call`, but waits out a 429's Retry-After and tries again, as a client that wants the
   * thing done does (the registry limits each tenant's configuration changes per minute).
   */
  private async patiently(op: string, method: string, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    for (;;) {
      const r = await this.call(op, method, path, body);
      if (r.status !== 429) return r;
      const details = (r.body as { details?: { retry_after_seconds?: unknown } } | null)?.details;
      const seconds = typeof details?.retry_after_seconds === 'number' ? details.retry_after_seconds : 1;
      await sleep(seconds * 1000);
    }
  }

  private async must(op: string, method: string, path: string, body: unknown): Promise<void> {
    const r = await this.patiently(op, method, path, body);
    if (r.status >= 300) throw new Error(`hostile tenant setup: ${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
}
