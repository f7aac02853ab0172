import { epochMs } from '../harness/clock.ts';
import { cpuMsPerDelivery } from '../harness/proc.ts';
import { latencies } from '../harness/publisher.ts';
import { type BenchContext, type Scenario, type ScenarioResult, trustedFigure } from '../harness/scenario.ts';
import { quantiles } from '../harness/stats.ts';

/**
 * (d) Publish → receipt latency under an open-loop load: events are published to
 * hookstream.ingest on a fixed schedule whatever the pipeline answers, and each delivery's
 * latency is its receipt time at the receiver minus the time its event was due (so a publisher
 * falling behind counts against the figure, never hides it).
 */
function latencyScenario(name: string, tag: string, title: string, rateOf: (ctx: BenchContext) => number | null): Scenario {
  return {
    name,
    title,
    async run(ctx): Promise<ScenarioResult> {
      const { system, options } = ctx;
      const rate = rateOf(ctx);
      if (rate === null || !(rate > 0)) return { figures: { rate_per_s: null }, notes: ['skipped: it needs the sustained rate of a pipeline scenario that passed'] };
      const prepared = await system.prepareSpread(tag, Math.round(rate * options.sizes.latencySeconds));
      const { events } = prepared;
      const { log, usage, ledger, receipts } = await system.runPhase(prepared, (e) => system.publisher.openLoop(e, rate));
      const q = quantiles(latencies(events, log, (k) => receipts.get(k)?.firstOkAt ?? null));
      const lag = quantiles(log.sentAt.map((at, i) => at - (log.scheduledAt[i] ?? at)));
      const lastSent = log.sentAt[log.sentAt.length - 1] ?? epochMs();
      return {
        figures: {
          rate_per_s: rate,
          p50_ms: q.p50,
          p95_ms: q.p95,
          p99_ms: q.p99,
          max_ms: q.max,
          publisher_lag_p99_ms: lag.p99,
          achieved_rate_per_s: (events.length * 1000) / (lastSent - log.startedAt + 1000 / rate),
          events: events.length,
        },
        usage,
        ledger,
        details: { cpu_ms_per_delivery: cpuMsPerDelivery(usage, prepared.keys.length) },
      };
    },
  };
}

/**
 * Light load, where a batch is mostly one message: what a delivery costs when nothing amortises
 * a batch's queries, commits and produce requests (most tenants' traffic, most of the day).
 */
export const latencyAt50 = latencyScenario('latency_50', 'lat50', '(d) publish → receipt latency and CPU per delivery at 50 events/s, open loop', () => 50);

export const latencyAt1000 = latencyScenario('latency_1000', 'lat1000', '(d) publish → receipt latency at 1,000 events/s, open loop', () => 1000);

/** 80 % of the sustained rate the pipeline scenario measured: busy, but not queueing without end. */
export const latencyNearSaturation = latencyScenario('latency_near_saturation', 'latsat', '(d) publish → receipt latency near saturation (80 % of the sustained rate)', (ctx) => {
  const sustained = trustedFigure(ctx.results, 'pipeline', 'sustained_per_s');
  return sustained === null ? null : Math.round(sustained * 0.8);
});
