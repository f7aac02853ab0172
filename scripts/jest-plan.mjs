// How each jest tier runs: its per-test time limit (jest takes testTimeout from the command line
// or the root config only) and which of its files may run side by side.

export const TIMEOUTS = { unit: 5_000, integration: 60_000, e2e: 180_000 };

/**
 * Integration files that measure time: send rates, fair shares, latency bounds, due times.
 * They run one at a time, after the rest, so that a neighbour's load cannot fail them. The rest run
 * two at a time: each makes its own database, topics, consumer groups and ports, and most of their
 * time is spent waiting (services starting, consumers joining), which two files overlap.
 */
export const TIMED_INTEGRATION = [
  'apps/dispatcher/test/breaker.int-spec.ts',
  'apps/dispatcher/test/fairness.int-spec.ts',
  'apps/dispatcher/test/fanout-job-fairness.int-spec.ts',
  // Another tenant's delivery ahead of most of a 10,000 fan-out, and each of those sent once.
  'apps/dispatcher/test/fanout.int-spec.ts',
  // Three services of its own, and random failures: heavy enough to slow a neighbour.
  'apps/dispatcher/test/ordered-delivery.int-spec.ts',
  'apps/dispatcher/test/host-backlog.int-spec.ts',
  'apps/dispatcher/test/limits.int-spec.ts',
  'apps/dispatcher/test/outcomes.int-spec.ts',
  'apps/dispatcher/test/slow-tenant.int-spec.ts',
  'apps/dispatcher/test/tenant-breakers.int-spec.ts',
  'apps/dlq-inspector/test/replay-jobs.int-spec.ts',
  'apps/ingress-gateway/test/tenant-schemas.int-spec.ts',
  'apps/retry-scheduler/test/retry-scheduler.int-spec.ts',
  'apps/retry-scheduler/test/scheduled-retries.int-spec.ts',
  'apps/subscription-registry/test/event-type-schemas.int-spec.ts',
  'libs/domain/test/schema-worst-case.int-spec.ts',
  'test/integration/retention.int-spec.ts',
  // How much of a body a client could write before its 401: a loaded neighbour lets it write more.
  'test/integration/auth-before-parse.int-spec.ts',
];

const pattern = (path) => `/${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

/**
 * The jest runs that make up one tier, each as [label, arguments]. Integration and e2e files share
 * one broker and one machine: e2e files (five services each) run one at a time, integration files
 * as TIMED_INTEGRATION says.
 */
export function jestRuns(tier) {
  if (tier === 'unit') return [['unit', []]];
  if (tier === 'e2e') return [['e2e', ['--runInBand']]];
  const timed = TIMED_INTEGRATION.map(pattern);
  return [
    ['integration', ['--maxWorkers=2', '--testPathIgnorePatterns', ...timed]],
    ['integration (timed, one at a time)', ['--runInBand', '--testPathPatterns', ...timed]],
  ];
}
