import { SERVICES, type ServiceName } from '@hookstream/testing';
import { sleep } from '../bench/harness/clock.ts';
import { attackShortfall, connectionOf, HostileTenant, type HostileReport, type HostileSizes } from './harness/hostile-tenant.ts';
import type { LoadResult } from './harness/load.ts';
import { type MetricSample, MetricsSampler } from './harness/metrics-sampler.ts';
import { orderedScenario } from './harness/ordered-scenario.ts';
import { chaosServiceEnv, type ChaosSystem } from './harness/system.ts';

export type Mode = 'short' | 'full';

export interface Sizes {
  /** Events per second, steady, through the whole scenario. */
  ratePerSecond: number;
  /** Load before the fault, and after it has been repaired. */
  leadMs: number;
  tailMs: number;
  /** How long Redis stays down, the broker and Postgres stay down, and hostile load lasts. */
  redisDownMs: number;
  infraDownMs: number;
  hostileMs: number;
  /** The hostile tenant: how long it acts, and how hard. */
  hostileTenantMs: number;
  hostileTenant: HostileSizes;
  /**
   * Load before a baseline round, accounted but not timed: a round right after a service
   * restarted (or the suite started) measures JIT, pools and fresh tables' first plans, and a
   * baseline inflated so would let any fault round pass its ratio.
   */
  warmupMs: number;
  /**
   * Whether a latency bar (maxP99Ratio) fails the run. Only the full form enforces it: like the
   * short bench's, the short form's figures are informative, since its 20 s rounds on a machine
   * shared with the test run are too short for a stable p99; lost deliveries, 5xx and poison
   * left out of quarantine fail both forms.
   */
  enforceLatency: boolean;
  /** The scenarios whose faults the `ordered` round injects, in turn (harness/ordered-scenario.ts). */
  orderedFaults: readonly string[];
}

export const SIZES: Record<Mode, Sizes> = {
  short: {
    ratePerSecond: 30,
    leadMs: 2000,
    tailMs: 2000,
    redisDownMs: 10_000,
    infraDownMs: 3000,
    hostileMs: 4000,
    // The short form's ratio is informative (enforceLatency false): 12 s of each kind of attack
    // are enough to show none stops delivery, and keep npm test within its budget.
    hostileTenantMs: 12_000,
    hostileTenant: { eventsPerSecond: 5, poisonPerSecond: 2, regexPerSecond: 2, rotationsPerSecond: 5, subscriptions: 1000, slowEndpoints: 50 },
    // The short form's latency is informative, so a shorter warm-up only blurs a figure nobody judges.
    warmupMs: 5000,
    enforceLatency: false,
    // One fault that kills the dispatcher (with the rest): every fault takes a service restart's 30 s or more.
    orderedFaults: ['kill_all_services'],
  },
  full: {
    ratePerSecond: 100,
    leadMs: 5000,
    tailMs: 5000,
    redisDownMs: 30_000,
    infraDownMs: 10_000,
    hostileMs: 20_000,
    hostileTenantMs: 60_000,
    hostileTenant: { eventsPerSecond: 10, poisonPerSecond: 5, regexPerSecond: 5, rotationsPerSecond: 10, subscriptions: 1000, slowEndpoints: 50 },
    warmupMs: 30_000,
    enforceLatency: true,
    orderedFaults: ['kill_dispatcher', 'kill_all_services', 'kafka_crash', 'postgres_restart'],
  },
};

export interface FaultContext {
  system: ChaosSystem;
  sizes: Sizes;
  log: (message: string) => void;
  /** What the scenario reports beyond the ledger (kept in the results file), and problems it found. */
  report: (details: ScenarioDetails) => void;
}

/** What a scenario reports beyond the ledger, and the problems it found itself. */
export interface ScenarioDetails {
  report: unknown;
  problems: string[];
}

/** A round once everything it owed has ended and the ledger is taken: what `verify` checks. */
export interface RoundOutcome {
  system: ChaosSystem;
  /** The round's event ids (and so its delivery keys) start with it. */
  prefix: string;
  load: LoadResult;
  /** The round's delivery keys in dead_letters. */
  deadLetters: ReadonlySet<string>;
  log: (message: string) => void;
}

export interface ChaosScenario {
  name: string;
  title: string;
  /** In the short form (CI) too. */
  short: boolean;
  /** Needs the three-node Kafka cluster (`--cluster`), and runs only there. */
  cluster?: boolean;
  /** Every n-th event goes to the hostile receivers (0: none). */
  hostileEvery: number;
  /** Injects the fault and repairs it; load runs throughout. */
  inject(ctx: FaultContext): Promise<void>;
  /**
   * Runs the same load without the fault first, for as long as this says, and compares the good
   * tenants' publish → receipt latency of the two rounds.
   */
  baseline?: (sizes: Sizes) => number;
  /** Events per second of the good tenants, where the scenario needs its own (else the form's). */
  ratePerSecond?: number;
  /** Every event carries an ordering key, this many keys per tenant (absent: no event does). */
  orderingKeys?: number;
  /**
   * After the fault round has settled: the scenario's own checks of what arrived, kept with its
   * details as what `inject` reports is (and their problems fail it the same way).
   */
  verify?: (outcome: RoundOutcome) => ScenarioDetails;
  /** With a baseline: the largest p99 ratio (fault round ÷ baseline) that passes. */
  maxP99Ratio?: number;
  /** Before the baseline (or the fault), and after the fault: configuration the scenario needs. */
  prepare?: (ctx: FaultContext) => Promise<void>;
  restore?: (ctx: FaultContext) => Promise<void>;
}

/** Waits until every partition of the run's topics has all its replicas in sync again. */
async function untilInSync(system: ChaosSystem, log: (message: string) => void): Promise<void> {
  const started = Date.now();
  for (;;) {
    const lagging = await system.underReplicated().catch(() => Number.NaN);
    if (lagging === 0) break;
    if (Date.now() - started > 120_000) throw new Error(`partitions still under-replicated after 120 s: ${String(lagging)}`);
    await sleep(500);
  }
  log(`  every partition in sync after ${String(Math.round((Date.now() - started) / 100) / 10)} s`);
}

const killOne = (service: ServiceName): ChaosScenario => ({
  name: `kill_${service.replace(/-/g, '_')}`,
  title: `SIGKILL ${service}, then start it again`,
  short: false,
  hostileEvery: 0,
  inject: async ({ system }) => {
    await system.pipeline.restart(service, 'kill');
  },
});

export const SCENARIOS: readonly ChaosScenario[] = [
  ...SERVICES.map(killOne),
  {
    name: 'kill_all_services',
    title: 'SIGKILL all five services at once, then start them again',
    // The short form's `ordered` round injects this same fault under the same ledger (every
    // subscription, ordered or not) and checks order too: a round of its own would repeat it.
    short: false,
    hostileEvery: 0,
    inject: async ({ system }) => {
      await system.killTogether(SERVICES);
    },
  },
  {
    name: 'kafka_crash',
    title: 'SIGKILL the (private) Kafka broker, keep it down, start it again',
    short: true,
    hostileEvery: 0,
    inject: async ({ system, sizes }) => {
      await system.infra.kafka.crash();
      await sleep(sizes.infraDownMs);
      await system.infra.kafka.start();
    },
  },
  {
    name: 'kafka_restart',
    title: 'stop the (private) Kafka broker gracefully, keep it down, start it again',
    short: false,
    hostileEvery: 0,
    inject: async ({ system, sizes }) => {
      await system.infra.kafka.stop();
      await sleep(sizes.infraDownMs);
      await system.infra.kafka.start();
    },
  },
  {
    name: 'broker_kill',
    title: 'SIGKILL the Kafka node leading the most event and delivery partitions, keep it down, start it again',
    short: false,
    cluster: true,
    hostileEvery: 0,
    inject: async ({ system, sizes, log }) => {
      const id = await system.busiestLeader();
      log(`  killing node ${String(id)}`);
      await system.infra.kafka.node(id).crash();
      await sleep(sizes.infraDownMs);
      await system.infra.kafka.node(id).start();
      await untilInSync(system, log);
    },
  },
  {
    name: 'broker_rolling_restart',
    title: 'restart the three Kafka nodes one at a time (SIGTERM), each once every partition is back in sync',
    short: false,
    cluster: true,
    hostileEvery: 0,
    inject: async ({ system, log }) => {
      for (const node of system.infra.kafka.nodes) {
        log(`  restarting node ${String(node.id)}`);
        await node.stop();
        await node.start();
        await untilInSync(system, log);
      }
    },
  },
  {
    name: 'controller_kill',
    title: 'SIGKILL the active KRaft controller (a broker too), keep it down, start it again',
    short: false,
    cluster: true,
    hostileEvery: 0,
    inject: async ({ system, sizes, log }) => {
      const id = await system.infra.kafka.activeController();
      log(`  killing node ${String(id)}, the active controller`);
      await system.infra.kafka.node(id).crash();
      await sleep(sizes.infraDownMs);
      const next = await system.infra.kafka.activeController();
      log(`  node ${String(next)} took over as controller`);
      await system.infra.kafka.node(id).start();
      await untilInSync(system, log);
    },
  },
  {
    name: 'postgres_restart',
    title: 'crash the (private) Postgres (pg_ctl stop -m immediate), keep it down, start it again',
    short: true,
    hostileEvery: 0,
    inject: async ({ system, sizes }) => {
      await system.infra.postgres.crash();
      await sleep(sizes.infraDownMs);
      await system.infra.postgres.start();
    },
  },
  {
    name: 'redis_outage',
    title: 'SIGKILL the (private) Redis, keep it down, start it again empty and FLUSHALL',
    short: false,
    hostileEvery: 0,
    inject: async ({ system, sizes }) => {
      await system.infra.redis.kill();
      await sleep(sizes.redisDownMs);
      await system.infra.redis.start();
      await system.infra.redis.flushAll();
    },
  },
  {
    name: 'hostile_receivers',
    title: 'receivers that hang, reset, answer slowly, answer 429 + Retry-After, send 8 MiB bodies, or always fail',
    short: true,
    hostileEvery: 3,
    inject: async ({ sizes }) => {
      await sleep(sizes.hostileMs);
    },
  },
  orderedScenario(`short: ${SIZES.short.orderedFaults.join(', ')}; full: ${SIZES.full.orderedFaults.join(', ')}`, (name) => {
    const fault = SCENARIOS.find((s) => s.name === name);
    if (!fault) throw new Error(`no scenario ${name} to take a fault from`);
    return fault;
  }),
  hostileTenant(),
];

/** What the hostile_tenant round samples while the attack runs (summed over labels). */
const SAMPLED_SERIES = [
  'hookstream_deliveries_held',
  'hookstream_deliveries_in_flight',
  'hookstream_kafka_consumer_lag',
  'hookstream_fair_share_deferrals_total',
  'hookstream_kafka_messages_consumed_total',
  'hookstream_retries_pending',
  // Where a queue-stage spike comes from: outcomes wait for the group being written.
  'hookstream_outcome_group_size_sum',
  'hookstream_outcome_group_write_seconds_sum',
  'hookstream_outcome_group_write_seconds_count',
];

/** Per-service event-loop delay the hostile_tenant round samples (prom-client's default metric). */
const LOOP_SERIES = ['nodejs_eventloop_lag_p99_seconds'];

/** Quarantined messages the dlq-inspector holds for a tenant, by reason. */
export type QuarantineCounts = Record<string, number>;

/**
 * One tenant does everything issue 13 lists at once (see harness/hostile-tenant.ts) while the
 * good tenants publish at the steady rate to healthy endpoints, some on the origin the hostile
 * tenant shares. Breakers run with their production thresholds here (the other scenarios turn
 * them off): tripping one on the shared origin is part of the attack. Last in the list, since its
 * tenant's retries would otherwise load the scenarios after it.
 */
function hostileTenant(): ChaosScenario {
  const breakers = { BREAKER_VOLUME_THRESHOLD: undefined };
  let tenant: HostileTenant | null = null;
  return {
    name: 'hostile_tenant',
    title: 'one tenant sends poison over Kafka and HTTP, a catastrophic-backtracking schema, 50 endpoints that answer after 10 s, breaker-tripping endpoints on a shared origin, 1,000 subscriptions and rotation spam',
    short: true,
    hostileEvery: 0,
    baseline: (sizes) => sizes.hostileTenantMs,
    maxP99Ratio: 2,
    // The same good load in both forms, one this machine serves with headroom: the comparison
    // measures what the hostile tenant takes from the others, not the machine's saturation
    // (the bench's subject). The full form's attack lasts three times longer and is twice as hard.
    ratePerSecond: 30,
    prepare: async ({ system }) => {
      system.pipeline.services.dispatcher.setEnv(breakers);
      await system.pipeline.restart('dispatcher', 'stop');
    },
    restore: async ({ system }) => {
      await tenant?.stop();
      system.pipeline.services.dispatcher.setEnv({ BREAKER_VOLUME_THRESHOLD: chaosServiceEnv().dispatcher?.['BREAKER_VOLUME_THRESHOLD'] });
      await system.pipeline.restart('dispatcher', 'stop');
    },
    inject: async (ctx) => {
      const { system, sizes, log } = ctx;
      tenant = await HostileTenant.create(system, `evt_hostile_${system.runTag}_`, sizes.hostileTenant);
      log(`  hostile tenant ${tenant.tenantId} acting for ${sizes.hostileTenantMs / 1000} s`);
      const sampler = new MetricsSampler([system.pipeline.services.dispatcher.url, system.pipeline.services['retry-scheduler'].url], SAMPLED_SERIES);
      sampler.start();
      // Each service's own event-loop delay (prom-client resets its histogram per scrape), so a
      // latency regression names the process that stalled rather than the sum of them all.
      const loops = Object.entries(system.pipeline.services).map(([name, s]) => ({ name, sampler: new MetricsSampler([s.url], LOOP_SERIES) }));
      for (const l of loops) l.sampler.start();
      await tenant.runIsolated(sizes.hostileTenantMs, sizes.hostileTenant, connectionOf(system));
      const samples = sampler.stop();
      const eventLoop = Object.fromEntries(loops.map((l) => [l.name, l.sampler.stop().map((x) => Math.round((x.values['nodejs_eventloop_lag_p99_seconds'] ?? 0) * 1000))]));
      log(`  event-loop delay p99 per 5 s, ms: ${Object.entries(eventLoop).map(([n, v]) => `${n} ${v.join('/')}`).join('; ')}`);
      log(`  dispatcher and retry-scheduler every 5 s (${SAMPLED_SERIES.map((n) => n.replace('hookstream_', '')).join(' / ')}): ${samples.map((x) => `${x.at_s}s ${SAMPLED_SERIES.map((n) => Math.round(x.values[n] ?? 0)).join('/')}`).join(', ')}`);
      const problems = [...tenant.serverErrors().map((e) => `hostile tenant: ${e}`), ...attackShortfall(sizes.hostileTenant, sizes.hostileTenantMs, tenant.tally())];
      const poisoned = Object.values(tenant.report().kafka_poison).reduce((a, b) => a + b, 0);
      // The last poison may still be on its way through the gateway and the dlq-inspector.
      let quarantined: QuarantineCounts = {};
      const until = Date.now() + 30_000;
      for (;;) {
        quarantined = await system.quarantined(tenant.tenantId).catch((err: unknown) => {
          problems.push(`the quarantine could not be listed: ${(err as Error).message}`);
          return {};
        });
        if (Object.values(quarantined).reduce((a, b) => a + b, 0) >= poisoned || Date.now() > until) break;
        await sleep(1000);
      }
      const report: HostileReport & { quarantined: QuarantineCounts; metrics: MetricSample[]; event_loop_p99_ms: Record<string, number[]> } = { ...tenant.report(), quarantined, metrics: samples, event_loop_p99_ms: eventLoop };
      const held = Object.values(quarantined).reduce((a, b) => a + b, 0);
      if (held < poisoned) problems.push(`only ${held} of the ${poisoned} poison messages produced to the ingest topic are in quarantine`);
      log(`  hostile tenant: ${poisoned} poison messages on Kafka, ${held} quarantined ${JSON.stringify(quarantined)}; slowest regex publication ${report.regex_publish_max_ms} ms; refused ${JSON.stringify(report.refused)}`);
      ctx.report({ report, problems });
    },
  };
}
