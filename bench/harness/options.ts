import { parseArgs } from 'node:util';

export type Mode = 'short' | 'full';

/** How much each phase does. Short fits CI (under two minutes in all); full is for a quiet machine. */
export interface Sizes {
  /** Seconds of the raw HTTP ceiling after one second of warm-up. */
  httpSeconds: number;
  kafkaMessages: number;
  warmupEvents: number;
  pipelineEvents: number;
  /** Seconds of open-loop publishing, at 1,000 events/s and near saturation. */
  latencySeconds: number;
  /** Seconds of each open-loop step of the latency curve. */
  curveStepSeconds: number;
  /** The idle scenario's window, after a rest of a third of it. */
  idleSeconds: number;
  fanoutSubscriptions: number;
  fanoutRepeats: number;
  retryEvents: number;
  /** Attempt rows loaded for the endpoint-health read (its target is for 10 million), and requests timed. */
  healthAttemptRows: number;
  healthRequests: number;
}

export const SIZES: Record<Mode, Sizes> = {
  // npm test runs the short form to prove nothing is lost under load; its figures are informative,
  // and its sizes keep npm test within its 25 minutes.
  short: { httpSeconds: 5, kafkaMessages: 30_000, warmupEvents: 2_000, pipelineEvents: 15_000, latencySeconds: 6, curveStepSeconds: 4, idleSeconds: 6, fanoutSubscriptions: 1000, fanoutRepeats: 3, retryEvents: 4_000, healthAttemptRows: 100_000, healthRequests: 200 },
  full: { httpSeconds: 20, kafkaMessages: 300_000, warmupEvents: 10_000, pipelineEvents: 300_000, latencySeconds: 60, curveStepSeconds: 15, idleSeconds: 30, fanoutSubscriptions: 1000, fanoutRepeats: 10, retryEvents: 40_000, healthAttemptRows: 10_000_000, healthRequests: 1000 },
};

export interface BenchOptions {
  mode: Mode;
  sizes: Sizes;
  /** The dispatcher's SEND_CONCURRENCY, and the raw HTTP ceiling's concurrency. */
  sendConcurrency: number;
  /** Ports the receiver listens on: each is one origin (one keep-alive pool, one breaker). */
  receiverPorts: number;
  /** Size of the body a receiver gets (the JSON of id, type, timestamp and data). */
  bodyBytes: number;
  cpuProf: boolean;
  resultsDir: string;
  /** Scenario names to run (all when empty). */
  only: string[];
  /** A phase fails when no delivery arrives for this long. */
  stallMs: number;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run bench [-- options]      (npm run bench:short for the CI size)

  --short                 the short run (CI runs it in npm test); leaves out the variants
                          marked fullOnly (https, fanout_filtered) unless --only names them
  --cpu-prof              start every service with node --cpu-prof (bench/profiles/<run>/<service>/)
  --results-dir DIR       where the results JSON goes (bench/results)
  --only a,b              run only these scenarios (names as in the results)
  --send-concurrency N    the dispatcher's SEND_CONCURRENCY and the HTTP ceiling's (256)
  --receiver-ports N      origins the receiver listens on (4: 64 sockets each cover 256)
  --body-bytes N          webhook body size in bytes (512)
  --stall-seconds N       fail a phase after this long without progress (60)`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number, got "${value}"`);
  return n;
}

export function parseOptions(argv: string[], defaultResultsDir: string): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        short: { type: 'boolean', default: false },
        'cpu-prof': { type: 'boolean', default: false },
        'results-dir': { type: 'string' },
        only: { type: 'string' },
        'send-concurrency': { type: 'string' },
        'receiver-ports': { type: 'string' },
        'body-bytes': { type: 'string' },
        'stall-seconds': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) throw new UsageError('');
  const mode: Mode = v.short ? 'short' : 'full';
  const bodyBytes = positiveInt('body-bytes', v['body-bytes'], 512);
  if (bodyBytes < 160) throw new UsageError('--body-bytes must be at least 160: the id, type and timestamp alone take that much');
  return {
    mode,
    sizes: SIZES[mode],
    sendConcurrency: positiveInt('send-concurrency', v['send-concurrency'], 256),
    receiverPorts: positiveInt('receiver-ports', v['receiver-ports'], 4),
    bodyBytes,
    cpuProf: v['cpu-prof'],
    resultsDir: v['results-dir'] ?? defaultResultsDir,
    only: (v.only ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    stallMs: positiveInt('stall-seconds', v['stall-seconds'], 60) * 1000,
  };
}
