import { partitionLoads } from '../harness/partitions.ts';
import { cpuMsPerDelivery, platformCpuMs } from '../harness/proc.ts';
import type { Scenario } from '../harness/scenario.ts';
import { extent, steadyRate } from '../harness/stats.ts';

/**
 * (c) Sustained deliveries per second end to end: N events published to hookstream.ingest as
 * fast as the broker takes them, one delivery each, spread evenly over tenants (the ingest and
 * events partitions) and subscriptions (the deliveries partitions). The rate is taken between
 * the 10th and the 90th percentile of receipt times, when every stage is busy; every delivery
 * is then accounted for, attempts included.
 */
export const pipeline: Scenario = {
  name: 'pipeline',
  title: '(c) pipeline: sustained deliveries/s end to end, every attempt recorded',
  async run({ system, options }) {
    const prepared = await system.prepareSpread('pipeline', options.sizes.pipelineEvents);
    const { events, keys, world } = prepared;
    const { log, usage, ledger, receipts } = await system.runPhase(prepared, (e) => system.publisher.burst(e));
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
  },
};
