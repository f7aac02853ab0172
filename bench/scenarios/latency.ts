import { epochMs } from '../harness/clock.ts';
import { writeCurveChart } from '../harness/curve-chart.ts';
import { type Ledger, sumLedgers } from '../harness/ledger.ts';
import { cpuMsPerDelivery, type Usage } from '../harness/proc.ts';
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
      const rate = rateOf(ctx);
      if (rate === null || !(rate > 0)) return { figures: { rate_per_s: null }, notes: ['skipped: it needs the sustained rate of a pipeline scenario that passed'] };
      return measureAt(ctx, tag, rate, ctx.options.sizes.latencySeconds);
    },
  };
}

/** One open-loop phase at `rate` events/s for `seconds`, in a world of its own (`tag`). */
async function measureAt({ system }: BenchContext, tag: string, rate: number, seconds: number): Promise<ScenarioResult & { figures: LatencyFigures; ledger: Ledger; usage: Usage }> {
  const prepared = await system.prepareSpread(tag, Math.round(rate * seconds));
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
}

interface LatencyFigures {
  rate_per_s: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  publisher_lag_p99_ms: number;
  achieved_rate_per_s: number;
  events: number;
  [name: string]: number;
}

/**
 * Light load, where a batch is mostly one message: what a delivery costs when nothing amortises
 * a batch's queries, commits and produce requests (most tenants' traffic, most of the day).
 */
export const latencyAt50 = latencyScenario('latency_50', 'lat50', '(d) publish → receipt latency and CPU per delivery at 50 events/s, open loop', () => 50);

// Full runs only: the short run's latency curve already steps through 1,000/s.
export const latencyAt1000 = { ...latencyScenario('latency_1000', 'lat1000', '(d) publish → receipt latency at 1,000 events/s, open loop', () => 1000), fullOnly: true };

/** 80 % of the sustained rate the pipeline scenario measured: busy, but not queueing without end. */
export const latencyNearSaturation = latencyScenario('latency_near_saturation', 'latsat', '(d) publish → receipt latency near saturation (80 % of the sustained rate)', (ctx) => {
  const sustained = trustedFigure(ctx.results, 'pipeline', 'sustained_per_s');
  return sustained === null ? null : Math.round(sustained * 0.8);
});

/** The open-loop rates of the latency curve (issue 16), lowest first. */
export const CURVE_RATES = [50, 100, 250, 500, 1000, 2000] as const;

/**
 * A step the pipeline did not keep up with: the publisher fell a tenth behind its schedule, or
 * the p99 grew past what queueing at a sustainable rate gives (a backlog growing for the whole
 * step). The curve stops there: every higher rate would only queue longer.
 */
export function fellBehind(f: Pick<LatencyFigures, 'rate_per_s' | 'achieved_rate_per_s' | 'p99_ms'>, stepSeconds: number): boolean {
  return f.achieved_rate_per_s < 0.9 * f.rate_per_s || f.p99_ms > (stepSeconds * 1000) / 2;
}

/**
 * (d) Publish → receipt latency across load: an open-loop step at each of CURVE_RATES (short
 * runs: 100 and 1,000 events/s), up to the first the pipeline falls behind at. The points go to
 * the results file and, drawn, to a PNG beside it (curve-chart.ts).
 */
export const latencyCurve: Scenario = {
  name: 'latency_curve',
  title: '(d) publish → receipt latency across load: p50, p95, p99 at each open-loop rate',
  async run(ctx): Promise<ScenarioResult> {
    const rates = ctx.options.mode === 'short' ? [100, 1000] : [...CURVE_RATES];
    const seconds = ctx.options.sizes.curveStepSeconds;
    const points: LatencyFigures[] = [];
    const ledgers: Ledger[] = [];
    const usages: Usage[] = [];
    let stoppedAt: number | null = null;
    for (const rate of rates) {
      const step = await measureAt(ctx, `curve${rate}`, rate, seconds);
      points.push(step.figures);
      ledgers.push(step.ledger);
      usages.push(step.usage);
      ctx.log(`    ${rate}/s: p50 ${Math.round(step.figures.p50_ms)} ms, p95 ${Math.round(step.figures.p95_ms)} ms, p99 ${Math.round(step.figures.p99_ms)} ms (published at ${Math.round(step.figures.achieved_rate_per_s)}/s)`);
      if (step.ledger.problems.length || fellBehind(step.figures, seconds)) {
        stoppedAt = rate;
        break;
      }
    }
    const figures: Record<string, number | null> = { steps: points.length, step_seconds: seconds, fell_behind_at_per_s: stoppedAt };
    for (const p of points) {
      for (const q of ['p50_ms', 'p95_ms', 'p99_ms'] as const) figures[`${q.slice(0, 3)}_ms_at_${p.rate_per_s}`] = p[q];
    }
    const chart = await writeCurveChart(ctx.options.resultsDir, ctx.runStamp, points, ctx.options.mode);
    return { figures, ledger: sumLedgers(ledgers), details: { points, chart, cpu_ms_per_delivery_by_rate: Object.fromEntries(points.map((p, i) => [p.rate_per_s, usages[i] ? cpuMsPerDelivery(usages[i], p.events) : null])) } };
  },
};