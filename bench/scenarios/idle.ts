import { sleep } from '../harness/clock.ts';
import type { Scenario } from '../harness/scenario.ts';

/**
 * What the platform costs when nobody uses it: CPU and peak RSS per process over 30 s (9 s in the
 * short run) without traffic, after the warm-up and a rest of a third of that (its retries and
 * flushes over) (so pools, topics and caches exist as they would in production).
 * An idle service still heartbeats, polls Kafka, sweeps leases and scrapes nothing; every
 * percent here is paid by every replica, all day.
 */
export const idle: Scenario = {
  name: 'idle',
  title: 'idle: CPU and memory of every process without traffic',
  async run({ system, options }) {
    const windowMs = options.sizes.idleSeconds * 1000;
    await sleep(windowMs / 3);
    const window = system.meter.start();
    await sleep(windowMs);
    const usage = window.stop();
    const ours = Object.entries(usage.processes).filter(([, u]) => !u.shared);
    const figures: Record<string, number | null> = {
      services_cpu_pct: round(ours.reduce((a, [, u]) => a + u.cpu_pct, 0)),
      machine_busy_pct: round(usage.machine.busy_pct),
    };
    for (const [name, u] of Object.entries(usage.processes)) {
      figures[`${name.replaceAll('-', '_')}_cpu_pct`] = round(u.cpu_pct);
      if (u.rss_peak_mb !== null) figures[`${name.replaceAll('-', '_')}_rss_mb`] = u.rss_peak_mb;
    }
    return { figures, usage };
  },
};

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
