import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopWatch {
  stop(): void;
  /** "p99/max" in milliseconds. */
  summary(): string;
}

/** Watches this process's event-loop delay (10 ms resolution) until stopped. */
export function watchEventLoop(): LoopWatch {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop: () => histogram.disable(),
    summary: () => `${Math.round(histogram.percentile(99) / 1e6)}/${Math.round(histogram.max / 1e6)}`,
  };
}
