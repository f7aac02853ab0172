import { performance } from 'node:perf_hooks';
import { compilePayloadFilter, type FilterableEvent } from '@hookstream/domain';
import { extent, median } from '../harness/stats.ts';
import { type Scenario, type ScenarioResult, trustedFigure } from '../harness/scenario.ts';
import type { BenchContext } from '../harness/scenario.ts';

/**
 * A payload filter of the kind tenants write (eight conditions: ranges, lists, an $or, a $not,
 * an existence test) that every bench event passes, so the filtered fan-out delivers exactly
 * what the unfiltered one does and the difference is the filters' cost.
 */
export const BENCH_FILTER: Record<string, unknown> = {
  'data.seq': { $gte: 0, $lt: 1_000_000_000 },
  'data.pad': { $exists: true },
  type: { $in: ['bench.fanout.all', 'bench.fanout_filtered.all', 'order.placed'] },
  $or: [{ 'data.region': 'eu' }, { 'data.seq': { $nin: [-1, -2, -3] } }],
  $not: { 'data.seq': { $in: [-5, -6] } },
  occurred_at: { $gte: '2000-01-01' },
};

/**
 * (e) One event to 1,000 subscriptions: the time from publishing it to the last of its
 * deliveries arriving, repeated (one event at a time) and reported as the worst repeat.
 */
async function runFanout(ctx: BenchContext, tag: string, filter: Record<string, unknown> | null): Promise<ScenarioResult> {
  const { system, options } = ctx;
  const world = await system.createFanoutWorld(tag, options.sizes.fanoutSubscriptions, filter);
  await system.waitForIndex();
  const repeats: { first_ms: number; last_ms: number }[] = [];
  const keys: string[] = [];
  let stalled: string | null = null;
  const straysBefore = await system.beginPhase(world);
  const window = system.meter.start();
  for (let r = 0; r < options.sizes.fanoutRepeats && !stalled; r++) {
    const event = system.planFanout(world, r);
    keys.push(...event.keys);
    const log = await system.publisher.burst([event]);
    stalled = await system.awaitDelivered(keys.length);
    const receipts = await system.receiver.receipts();
    const times = event.keys.flatMap((k) => receipts.get(k)?.firstOkAt ?? []);
    const published = log.scheduledAt[0] ?? 0;
    const { min, max } = extent(times);
    repeats.push({ first_ms: min - published, last_ms: max - published });
  }
  const usage = window.stop();
  const { ledger } = await system.finishPhase(world, keys, { stalled, straysBefore });
  const dispatcherCpu = usage.processes['dispatcher']?.cpu_s;
  return {
    figures: {
      last_receipt_ms: extent(repeats.map((r) => r.last_ms)).max,
      last_receipt_median_ms: median(repeats.map((r) => r.last_ms)),
      first_receipt_median_ms: median(repeats.map((r) => r.first_ms)),
      dispatcher_cpu_ms_per_delivery: dispatcherCpu === undefined || keys.length === 0 ? null : (dispatcherCpu * 1000) / keys.length,
      subscriptions: world.subscriptions.length,
      repeats: repeats.length,
    },
    usage,
    ledger,
    details: { repeats },
  };
}

export const fanout: Scenario = {
  name: 'fanout',
  title: '(e) fan-out: one event to 1,000 subscriptions, time to the last receipt',
  run: (ctx) => runFanout(ctx, 'fanout', null),
};

/**
 * The same with a payload filter on each of the 1,000 subscriptions (BENCH_FILTER), beside the
 * unfiltered run: the bar is at most 20 % more. Also times the filter itself in this
 * process, compiled as the dispatcher compiles it, on an event like the bench's.
 */
export const fanoutFiltered: Scenario = {
  name: 'fanout_filtered',
  title: '(e′) fan-out to 1,000 subscriptions, each with an eight-condition payload filter',
  fullOnly: true,
  async run(ctx) {
    const result = await runFanout(ctx, 'fanout_filtered', BENCH_FILTER);
    const compiled = compilePayloadFilter(BENCH_FILTER);
    if (!compiled.ok) throw new Error(`the bench filter does not compile: ${JSON.stringify(compiled.problems)}`);
    const event: FilterableEvent = { id: 'evt_bench', type: 'bench.fanout_filtered.all', occurred_at: new Date().toISOString(), data: { seq: 7, pad: 'x'.repeat(1000) } };
    const runs = 200_000;
    let passed = 0;
    const started = performance.now();
    for (let i = 0; i < runs; i++) if (compiled.filter.matches(event)) passed++;
    const evalNs = ((performance.now() - started) * 1e6) / runs;
    if (passed !== runs) throw new Error('the bench event does not pass the bench filter');
    const ratio = (figure: string) => {
      const plain = trustedFigure(ctx.results, 'fanout', figure);
      const filtered = result.figures[figure];
      return plain && typeof filtered === 'number' ? filtered / plain : null;
    };
    result.figures['filter_eval_ns'] = evalNs;
    result.figures['last_receipt_median_vs_unfiltered'] = ratio('last_receipt_median_ms');
    result.figures['dispatcher_cpu_vs_unfiltered'] = ratio('dispatcher_cpu_ms_per_delivery');
    return result;
  },
};
