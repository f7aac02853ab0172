import { failsFirstAttempt } from '../harness/failure.ts';
import { latencies } from '../harness/publisher.ts';
import type { Scenario } from '../harness/scenario.ts';
import { extent, quantiles } from '../harness/stats.ts';

const FAIL_FRACTION = 0.5;

/**
 * (f) The retry path: the receiver answers 503 to the first attempt of half of the deliveries
 * (the same ones every run), the dispatcher schedules each retry one second later (RETRY_DELAYS
 * of the bench), the retry-scheduler stores and fires it, and the dispatcher sends it again.
 * Measured: the time until every delivery has arrived, and that every attempt was recorded.
 */
export const retryPath: Scenario = {
  name: 'retry_path',
  title: '(f) retry path: 50 % of first attempts fail, retried after 1 s',
  async run({ system, options }) {
    const prepared = await system.prepareSpread('retry', options.sizes.retryEvents);
    const { events, keys } = prepared;
    const failing = new Set(keys.filter((k) => failsFirstAttempt(k, FAIL_FRACTION)));
    const phase = await system.receiver.withMode({ fail_first_fraction: FAIL_FRACTION, fail_status: 503 }, () =>
      system.runPhase(prepared, (e) => system.publisher.burst(e), failing.size),
    );
    const { log, usage } = phase;
    const at = (k: string) => phase.receipts.get(k)?.firstOkAt ?? null;
    const retried = quantiles(latencies(events, log, (k) => (failing.has(k) ? at(k) : null)));
    const firstTry = quantiles(latencies(events, log, (k) => (failing.has(k) ? null : at(k))));
    const last = extent(keys.flatMap((k) => at(k) ?? [])).max;
    return {
      figures: {
        all_delivered_s: (last - log.startedAt) / 1000,
        retried_p50_ms: retried.p50,
        retried_p99_ms: retried.p99,
        first_try_p99_ms: firstTry.p99,
        deliveries: keys.length,
        first_attempts_failed: phase.ledger.failedAnswers,
        attempts_recorded: phase.ledger.attempts.total,
      },
      usage,
      ledger: phase.ledger,
      details: { attempts_by_outcome: phase.ledger.attempts.byOutcome, retry_delays: system.env.dispatcher?.['RETRY_DELAYS'] },
    };
  },
};
