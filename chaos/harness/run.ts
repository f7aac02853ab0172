import { SERVICES } from '@hookstream/testing';
import { sleep } from '../../bench/harness/clock.ts';
import type { Receipt } from '../../bench/harness/ledger.ts';
import type { ChaosScenario, ScenarioDetails, Sizes } from '../scenarios.ts';
import { chaosMeter, type CpuSample, cpuSeconds } from './cpu.ts';
import { type LoopWatch, watchEventLoop } from './event-loop.ts';
import { compareLatency, type LatencyBucket, type LatencyComparison, latencyStages, latencyTimeline, publishToReceipt, type StageLatency } from './latency.ts';
import { accountChaos, type ChaosLedger } from './ledger.ts';
import { SteadyLoad } from './load.ts';
import type { ChaosSystem, ServiceExit } from './system.ts';

export interface ScenarioReport {
  title: string;
  ok: boolean;
  /** Seconds the fault took to inject and repair (a restart includes waiting until ready). */
  fault_s: number;
  /** Seconds from the last acknowledged publish until every delivery had ended. */
  settle_s: number;
  published: { http: number; kafka: number; publish_retries: Record<string, number> };
  ledger: ChaosLedger;
  /** Services that exited on their own and were started again (an orchestrator's restarts). */
  service_exits: ServiceExit[];
  problems: string[];
  /** A scenario with a baseline: that round's ledger, and both rounds' latency. */
  baseline?: { ledger: ChaosLedger; settle_s: number };
  latency_ms?: LatencyComparison;
  /** Publish → receipt by 5 s of publication time, to tell a burst from a whole round's slowdown. */
  latency_timeline_ms?: { baseline: LatencyBucket[]; during: LatencyBucket[] };
  latency_stages_ms?: { baseline: StageLatency; during: StageLatency };
  /** CPU seconds each process used in each round (services and the private infrastructure; null where one restarted). */
  cpu_s?: { baseline?: CpuSample; during?: CpuSample };
  /** What the scenario itself reports (the hostile tenant's answers, quarantined messages). */
  details?: unknown;
}

/** Publications still unacknowledged this long after the load stops are a problem. */
const ACK_DEADLINE_MS = 120_000;

/**
 * One scenario: steady load, the fault in the middle of it, then waiting until every delivery
 * the acknowledged events owe has ended (arrived, or dead-lettered), and the ledger. Stops
 * waiting when nothing moves for `stallMs`: what has not ended then is lost. A scenario with a
 * baseline first runs the same load without the fault (after a warm-up round of it), and
 * compares the good tenants' publish → receipt latency of both rounds.
 */
export async function runScenario(system: ChaosSystem, scenario: ChaosScenario, sizes: Sizes, stallMs: number, log: (m: string) => void): Promise<ScenarioReport> {
  const problems: string[] = [];
  const ctx = { system, sizes, log, report: () => undefined };
  try {
    await system.unwatched(() => scenario.prepare?.(ctx) ?? Promise.resolve());
  } catch (err) {
    problems.push(`the scenario could not be prepared: ${(err as Error).message}`);
  }
  const roundSizes = scenario.ratePerSecond ? { ...sizes, ratePerSecond: scenario.ratePerSecond } : sizes;
  const servicePids = () => Object.fromEntries(SERVICES.map((n) => [n, system.pipeline.services[n].pid]));
  const { meter, names } = chaosMeter(servicePids, { postgres: system.infra.postgres.port, kafka: system.infra.kafka.port, redis: system.infra.redis.port });
  const cpu: { baseline?: CpuSample; during?: CpuSample } = {};
  const loop: { baseline?: LoopWatch; during?: LoopWatch } = {};
  let baseline: Round | null = null;
  if (scenario.baseline) {
    log(`  warm-up round: ${sizes.warmupMs / 1000} s of the same load, accounted but not timed`);
    const warmup = await runRound(system, system.eventPrefix(`warmup_${scenario.name}`), roundSizes, stallMs, log, scenario, { quietMs: sizes.warmupMs });
    problems.push(...warmup.problems.map((p) => `warm-up: ${p}`));
    // Its own prefix, which the fault round's does not start: each round accounts only for its own events.
    log('  baseline round: the same load without the fault');
    const metered = meter.start();
    loop.baseline = watchEventLoop();
    baseline = await runRound(system, system.eventPrefix(`baseline_${scenario.name}`), roundSizes, stallMs, log, scenario, { quietMs: scenario.baseline(sizes) });
    cpu.baseline = cpuSeconds(metered.stop(), names());
    loop.baseline.stop();
    problems.push(...baseline.problems.map((p) => `baseline: ${p}`));
  }
  const metered = meter.start();
  loop.during = watchEventLoop();
  const round = await runRound(system, system.eventPrefix(scenario.name), roundSizes, stallMs, log, scenario, { inject: (report) => scenario.inject({ ...ctx, report }) });
  cpu.during = cpuSeconds(metered.stop(), names());
  loop.during.stop();
  if (cpu.baseline) log(`  CPU seconds by process, baseline → during: ${Object.keys(cpu.during).map((k) => `${k} ${cpu.baseline?.[k] ?? '?'} → ${cpu.during?.[k] ?? '?'}`).join(', ')}`);
  // The harness publishes, receives and times on one event loop: a delay there is in every latency it measures.
  if (loop.baseline) log(`  harness event-loop delay p99/max ms, baseline → during: ${loop.baseline.summary()} → ${loop.during.summary()}`);
  problems.push(...round.problems);
  try {
    await system.unwatched(() => scenario.restore?.(ctx) ?? Promise.resolve());
  } catch (err) {
    problems.push(`the scenario could not be undone: ${(err as Error).message}`);
  }
  let latency: LatencyComparison | undefined;
  let timeline: { baseline: LatencyBucket[]; during: LatencyBucket[] } | undefined;
  let stages: { baseline: StageLatency; during: StageLatency } | undefined;
  if (baseline) {
    const counted = (path: string) => GOOD_PATHS.some((p) => path.startsWith(p));
    latency = compareLatency(publishToReceipt(round.sentAt, round.receipts, counted), publishToReceipt(baseline.sentAt, baseline.receipts, counted));
    timeline = { baseline: latencyTimeline(baseline.sentAt, baseline.receipts, counted, 5000), during: latencyTimeline(round.sentAt, round.receipts, counted, 5000) };
    log(`  good tenants' p99 by 5 s of publication, during: ${timeline.during.map((b) => `${b.from_s}s ${b.p99}`).join(', ')}`);
    const [baselineStages, roundStages] = await Promise.all([system.stageTimes(system.eventPrefix(`baseline_${scenario.name}`)), system.stageTimes(system.eventPrefix(scenario.name))]);
    stages = { baseline: latencyStages(baseline.sentAt, baseline.receipts, counted, baselineStages), during: latencyStages(round.sentAt, round.receipts, counted, roundStages) };
    const p = (q: StageLatency) =>
      [
        `gateway ${q.gateway.p50}/${q.gateway.p99} (${Object.entries(q.gateway_by_source).map(([source, x]) => `${source} ${x.p50}/${x.p99}`).join(', ')})`,
        ...(['fanout', 'queue', 'send'] as const).map((k) => `${k} ${q[k].p50}/${q[k].p99}`),
      ].join(', ');
    log(`  good tenants' stages, p50/p99 ms: baseline ${p(stages.baseline)}; during ${p(stages.during)}`);
    log(`  good tenants' publish → receipt: p50 ${latency.during.p50} ms, p99 ${latency.during.p99} ms (baseline p50 ${latency.baseline.p50} ms, p99 ${latency.baseline.p99} ms; ratio ${latency.p99_ratio})`);
    const limit = scenario.maxP99Ratio ?? Infinity;
    if (!(latency.p99_ratio <= limit) && !sizes.enforceLatency) log(`  the p99 ratio is above ${limit}×; informative in this form (the full form enforces it)`);
    else if (!(latency.p99_ratio <= limit)) problems.push(`the good tenants' p99 publish → receipt was ${latency.during.p99} ms, ${latency.p99_ratio}× the baseline's ${latency.baseline.p99} ms (at most ${limit}×)`);
  }
  if (round.details) problems.push(...round.details.problems);
  return {
    title: scenario.title,
    ok: problems.length === 0,
    fault_s: round.faultS,
    settle_s: round.settleS,
    published: round.published,
    ledger: round.ledger,
    service_exits: round.exits,
    problems,
    ...(baseline ? { baseline: { ledger: baseline.ledger, settle_s: baseline.settleS } } : {}),
    ...(latency ? { latency_ms: latency } : {}),
    ...(timeline ? { latency_timeline_ms: timeline } : {}),
    ...(stages ? { latency_stages_ms: stages } : {}),
    cpu_s: cpu,
    ...(round.details ? { details: round.details.report } : {}),
  };
}

/** The good tenants' subscriptions that answer at once: their latency is the platform's, not the endpoint's. */
const GOOD_PATHS = ['/ok-a/', '/ok-b/'];

interface Round {
  faultS: number;
  settleS: number;
  published: ScenarioReport['published'];
  sentAt: Map<string, number>;
  receipts: Map<string, Receipt>;
  ledger: ChaosLedger;
  exits: ServiceExit[];
  problems: string[];
  details: ScenarioDetails | null;
}

/**
 * Load for the lead time, then the fault (or, without one, `quietMs` more of load), the tail,
 * and the accounting.
 */
async function runRound(
  system: ChaosSystem,
  prefix: string,
  sizes: Sizes,
  stallMs: number,
  log: (m: string) => void,
  scenario: ChaosScenario,
  fault: { inject: (report: (d: ScenarioDetails) => void) => Promise<void> } | { quietMs: number },
): Promise<Round> {
  const load = new SteadyLoad(system, prefix, { ratePerSecond: sizes.ratePerSecond, hostileEvery: scenario.hostileEvery, orderingKeys: scenario.orderingKeys, maxInFlight: 200 });
  load.start();
  await sleep(sizes.leadMs);
  const faultStart = Date.now();
  const problems: string[] = [];
  let details: ScenarioDetails | null = null;
  if ('inject' in fault) {
    try {
      await system.unwatched(() =>
        fault.inject((d) => {
          details = d;
        }),
      );
    } catch (err) {
      problems.push(`the fault could not be injected or repaired: ${(err as Error).message}`);
    }
  } else await sleep(fault.quietMs);
  const faultS = (Date.now() - faultStart) / 1000;
  await sleep(sizes.tailMs);
  const loaded = await load.stop(ACK_DEADLINE_MS);
  const settleStart = Date.now();
  log(`  published ${loaded.published.http} over HTTP and ${loaded.published.kafka} to the ingest topic (publications retried: ${JSON.stringify(loaded.publishRetries)}); waiting for ${loaded.planned.length} pairs to end`);

  let ledger = accountChaos({ publishedEvents: 0, planned: [], receipts: new Map(), deadLetters: new Set(), rows: new Map() });
  let signature = '';
  let movedAt = Date.now();
  let dbError = '';
  let loggedAt = Date.now();
  for (;;) {
    try {
      const { rows, deadLetters } = await system.outcomes(prefix);
      dbError = '';
      ledger = accountChaos({
        publishedEvents: loaded.published.http + loaded.published.kafka,
        planned: loaded.planned,
        receipts: system.receivers.receiptsFor(prefix),
        deadLetters,
        rows,
      });
    } catch (err) {
      dbError = (err as Error).message;
    }
    if (!dbError && ledger.lost === 0 && ledger.unrecorded === 0) break;
    const now = `${ledger.delivered}/${ledger.dead_lettered}/${ledger.unrecorded}/${ledger.requests}`;
    if (Date.now() - loggedAt >= 10_000) {
      loggedAt = Date.now();
      log(`  after ${Math.round((loggedAt - settleStart) / 1000)} s: ${ledger.delivered} delivered, ${ledger.dead_lettered} dead-lettered, ${ledger.lost} not yet, ${ledger.unrecorded} not yet recorded${dbError ? `; Postgres: ${dbError}` : ''}`);
    }
    if (now !== signature) {
      signature = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) {
      problems.push(`nothing moved for ${stallMs / 1000} s; stopped waiting${dbError ? ` (last database error: ${dbError})` : ''}`);
      break;
    }
    await sleep(1000);
  }
  const settleS = (Date.now() - settleStart) / 1000;
  await system.allRunning().catch((err: unknown) => problems.push((err as Error).message));
  const exits = system.takeExits();
  for (const e of exits) log(`  ${e.service} exited on its own at ${e.at} and was started again; its last output:\n    ${e.last_output.join('\n    ')}`);
  // Late duplicates still on their way are counted if they arrive within a second.
  await sleep(1000);
  let deadLetters: ReadonlySet<string> = new Set();
  try {
    const outcomes = await system.outcomes(prefix);
    deadLetters = outcomes.deadLetters;
    ledger = accountChaos({ publishedEvents: loaded.published.http + loaded.published.kafka, planned: loaded.planned, receipts: system.receivers.receiptsFor(prefix), deadLetters, rows: outcomes.rows });
  } catch (err) {
    problems.push(`the final accounting could not read Postgres: ${(err as Error).message}`);
  }
  problems.push(...ledger.problems);
  // The fault round's only: a warm-up's or baseline's details are not kept.
  if (scenario.verify && 'inject' in fault) details = withVerified(details, scenario.verify({ system, prefix, load: loaded, deadLetters, log }));
  if (loaded.unacknowledged.length) problems.push(`${loaded.unacknowledged.length} publications were never acknowledged, e.g. ${loaded.unacknowledged.slice(0, 3).join(', ')}`);
  if (loaded.refused.length) problems.push(`${loaded.refused.length} publications were refused, e.g. ${loaded.refused.slice(0, 3).join('; ')}`);
  return {
    faultS: Math.round(faultS * 10) / 10,
    settleS: Math.round(settleS * 10) / 10,
    published: { ...loaded.published, publish_retries: loaded.publishRetries },
    sentAt: loaded.sentAt,
    receipts: system.receivers.receiptsFor(prefix),
    ledger,
    exits,
    problems,
    details,
  };
}

/** What the fault reported and what the scenario's own check found, as one `details` in the results file. */
function withVerified(fault: ScenarioDetails | null, verified: ScenarioDetails): ScenarioDetails {
  return fault ? { report: { fault: fault.report, verified: verified.report }, problems: [...fault.problems, ...verified.problems] } : verified;
}

/** One line per scenario, the ledger's columns. */
export function formatTable(reports: ReadonlyMap<string, ScenarioReport>): string {
  const head = ['scenario', 'events', 'pairs', 'delivered', 'dead', 'filtered', 'disabled', 'lost', 'dups', 'fault s', 'settle s', 'result'];
  const rows = [...reports].map(([name, r]) => {
    const l = r.ledger;
    return [name, l.published_events, l.planned, l.delivered, l.dead_lettered, l.accounted.filtered, l.accounted.disabled, l.lost, l.duplicates, r.fault_s, r.settle_s, r.ok ? 'ok' : 'FAILED'].map(String);
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}
