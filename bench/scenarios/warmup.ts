import type { Scenario } from '../harness/scenario.ts';

/**
 * A first pass through the whole pipeline: connections, pools and the JIT warm up before
 * anything is timed, and a pipeline that loses or forgets deliveries is caught before the
 * measurements. Accounted, not measured.
 */
export const warmup: Scenario = {
  name: 'warmup',
  title: 'warm-up: a first pass through the pipeline, accounted but not timed',
  async run({ system, options }) {
    const prepared = await system.prepareSpread('warmup', options.sizes.warmupEvents, { tenants: 6, perTenant: 2, spare: 1 });
    const { ledger, usage } = await system.runPhase(prepared, (events) => system.publisher.burst(events));
    return { figures: { events: prepared.events.length, duration_s: usage.wall_s }, ledger };
  },
};
