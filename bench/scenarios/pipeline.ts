import { partitionLoads } from '../harness/partitions.ts';
import { cpuMsPerDelivery, platformCpuMs } from '../harness/proc.ts';
import type { BatchSettings } from '@hookstream/contracts';
import { type BenchContext, type Scenario, type ScenarioResult, trustedFigure } from '../harness/scenario.ts';
import { DEFAULT_SHAPE } from '../harness/system.ts';
import { extent, steadyRate } from '../harness/stats.ts';

/**
 * (c) Sustained deliveries per second end to end: N events published to hookstream.ingest as
 * fast as the broker takes them, one delivery each, spread evenly over tenants (the ingest and
 * events partitions) and subscriptions (the deliveries partitions). The rate is taken between
 * the 10th and the 90th percentile of receipt times, when every stage is busy; every delivery
 * is then accounted for, attempts included. The https variant sends as many events to the
 * receiver's HTTPS ports, right after: what TLS adds per delivery. It runs on a database the
 * plain run has just grown, which, if anything, counts against it.
 */
function pipelineScenario(scheme: 'http' | 'https'): Scenario {
  return {
    name: scheme === 'http' ? 'pipeline' : 'pipeline_https',
    title: scheme === 'http' ? '(c) pipeline: sustained deliveries/s end to end, every attempt recorded' : '(c′) pipeline over HTTPS: the same, to TLS endpoints',
    fullOnly: scheme === 'https',
    run: (ctx) => measurePipeline(ctx, scheme),
  };
}

export const pipeline = pipelineScenario('http');
export const pipelineHttps = pipelineScenario('https');

/** Keys per subscription in pipeline_ordered: each key has one delivery in flight at a time. */
const ORDERING_KEYS = 16;

/**
 * (c″) The same load to subscriptions that order by key (docs/guides/ordering.md), each over
 * ORDERING_KEYS keys: what the claim, the entry and the release cost per delivery, beside the
 * unordered pipeline's figures.
 */
export const pipelineOrdered: Scenario = {
  name: 'pipeline_ordered',
  title: `(c″) pipeline, ordered by key: the same, each subscription over ${String(ORDERING_KEYS)} ordering keys`,
  fullOnly: true,
  run: (ctx) => measurePipeline(ctx, 'http', ORDERING_KEYS),
};

/**
 * Batches of up to BATCH.max_events in pipeline_batched. The wait lets a subscription's share of
 * the burst fill them; it is far below the time the burst takes to deliver.
 */
const BATCH: BatchSettings = { max_events: 100, max_bytes: 1024 * 1024, max_wait_ms: 200 };

/**
 * (c‴) The same load to subscriptions that take batches of up to 100 (docs/guides/batching.md):
 * deliveries/s and CPU per delivery beside the unbatched pipeline's, and how many events each
 * request carried.
 */
export const pipelineBatched: Scenario = {
  name: 'pipeline_batched',
  title: `(c‴) pipeline, batched: the same, each subscription taking batches of up to ${String(BATCH.max_events)}`,
  fullOnly: true,
  run: (ctx) => measurePipeline(ctx, 'http', 0, BATCH),
};

async function measurePipeline({ system, options, results }: BenchContext, scheme: 'http' | 'https', orderingKeys = 0, batch: BatchSettings | null = null): Promise<ScenarioResult> {
  const tag = batch ? 'pipelinebatch' : orderingKeys > 0 ? 'pipelineord' : scheme === 'http' ? 'pipeline' : 'pipelinetls';
  const prepared = await system.prepareSpread(tag, options.sizes.pipelineEvents, DEFAULT_SHAPE, scheme, orderingKeys, batch);
  const { events, keys, world } = prepared;
  const { log, usage, ledger, receipts, requests } = await system.runPhase(prepared, (e) => system.publisher.burst(e));
  const times = keys.flatMap((k) => receipts.get(k)?.firstOkAt ?? []);
  const steady = steadyRate(times);
  const last = extent(times).max;
  const publishPerS = (events.length * 1000) / (log.ackedAt - log.startedAt);
  const notes = publishPerS < steady.perSecond * 1.5 ? [`publishing (${Math.round(publishPerS)}/s) was not much faster than delivering: the figure may be the publisher's`] : [];
  return {
    figures: {
      sustained_per_s: steady.perSecond,
      overall_per_s: (keys.length * 1000) / (last - log.startedAt),
      publish_per_s: publishPerS,
      deliveries: keys.length,
      duration_s: (last - log.startedAt) / 1000,
      cpu_ms_per_delivery: platformCpuMs(cpuMsPerDelivery(usage, keys.length)),
      ...(scheme === 'https' ? tlsCost(results, steady.perSecond, platformCpuMs(cpuMsPerDelivery(usage, keys.length))) : {}),
      ...(orderingKeys > 0 ? orderingCost(results, steady.perSecond, platformCpuMs(cpuMsPerDelivery(usage, keys.length))) : {}),
      ...(batch ? { ...versusPlain(results, steady.perSecond, platformCpuMs(cpuMsPerDelivery(usage, keys.length))), events_per_request: requests > 0 ? keys.length / requests : null } : {}),
    },
    usage,
    ledger,
    details: {
      tenants: world.tenants.length,
      subscriptions: world.subscriptions.length,
      ingest_partition_loads: partitionLoads(events.map((e) => e.envelope.tenant_id), system.partitions.ingest),
      deliveries_partition_loads: partitionLoads(
        events.map((_, i) => world.subscriptions[i % world.subscriptions.length]?.id ?? ''),
        system.partitions.deliveries,
      ),
      cpu_ms_per_delivery: cpuMsPerDelivery(usage, keys.length),
    },
    notes,
  };
}

/** What ordering adds: this run's rate and CPU per delivery over the plain pipeline's (null when that did not run or failed). */
function orderingCost(results: ReadonlyMap<string, ScenarioResult>, perSecond: number, cpuMs: number | null): Record<string, number | null> {
  const { rate, cpu } = versusPipeline(results, perSecond, cpuMs);
  return { rate_vs_unordered: rate, cpu_vs_unordered: cpu };
}

/** What batching gives: this run's rate and CPU per delivery over the plain pipeline's. */
function versusPlain(results: ReadonlyMap<string, ScenarioResult>, perSecond: number, cpuMs: number | null): Record<string, number | null> {
  const { rate, cpu } = versusPipeline(results, perSecond, cpuMs);
  return { rate_vs_unbatched: rate, cpu_vs_unbatched: cpu };
}

/** This run's rate and CPU per delivery over the plain pipeline's (null when that did not run or failed). */
function versusPipeline(results: ReadonlyMap<string, ScenarioResult>, perSecond: number, cpuMs: number | null): { rate: number | null; cpu: number | null } {
  const plainRate = trustedFigure(results, 'pipeline', 'sustained_per_s');
  const plainCpu = trustedFigure(results, 'pipeline', 'cpu_ms_per_delivery');
  return { rate: plainRate ? perSecond / plainRate : null, cpu: plainCpu && cpuMs !== null ? cpuMs / plainCpu : null };
}

/**
 * What TLS adds: this run's rate and CPU per delivery over the plain pipeline's, and its rate over
 * the raw HTTPS ceiling (null when the other scenario did not run or failed its accounting).
 */
function tlsCost(results: ReadonlyMap<string, ScenarioResult>, perSecond: number, cpuMs: number | null): Record<string, number | null> {
  const plainRate = trustedFigure(results, 'pipeline', 'sustained_per_s');
  const plainCpu = trustedFigure(results, 'pipeline', 'cpu_ms_per_delivery');
  const ceiling = trustedFigure(results, 'http_ceiling_https', 'requests_per_s');
  return {
    vs_https_ceiling: ceiling ? perSecond / ceiling : null,
    rate_vs_http: plainRate ? perSecond / plainRate : null,
    cpu_vs_http: plainCpu && cpuMs !== null ? cpuMs / plainCpu : null,
  };
}
