import { describe, expect, it } from '@jest/globals';
import { evaluateTargets, ratios } from './report.ts';
import type { ScenarioResult } from './scenario.ts';
import { account, attemptCounts } from './ledger.ts';

const passed = (figures: Record<string, number>): ScenarioResult => ({ figures });

describe('targets and ratios', () => {
  const results = new Map<string, ScenarioResult>([
    ['http_ceiling', passed({ requests_per_s: 10_000 })],
    ['kafka_ceiling', passed({ end_to_end_per_s: 40_000 })],
    ['pipeline', passed({ sustained_per_s: 6000, cpu_ms_per_delivery: 0.31 })],
    ['latency_curve', passed({ p99_ms_at_100: 20 })],
    ['latency_1000', passed({ p99_ms: 50 })],
    ['fanout', passed({ last_receipt_ms: 1000 })],
    ['fanout_filtered', passed({ dispatcher_cpu_vs_unfiltered: 1.2 })],
    ['endpoint_health', passed({ p95_ms_at_10m_rows: 50 })],
    ['catch_up_feed', passed({ p95_ms_at_10m_events: 50.1 })],
  ]);

  it('divides the pipeline by each ceiling', () => {
    expect(ratios(results)).toEqual({ pipeline_vs_http_ceiling: 0.6, pipeline_vs_kafka_ceiling: 0.15 });
  });

  it('passes or misses each target at its boundary', () => {
    const byId = Object.fromEntries(evaluateTargets(results, ratios(results)).map((t) => [t.id, t.status]));
    expect(byId).toEqual({
      sustained_throughput: 'pass',
      cpu_per_delivery: 'miss',
      p99_latency_at_100: 'pass',
      p99_latency_at_1000: 'pass',
      pipeline_vs_http_ceiling: 'pass',
      fanout_1000: 'miss',
      filtered_fanout_overhead: 'pass',
      endpoint_health_p95: 'pass',
      catch_up_feed_p95: 'miss',
    });
  });

  it('reports a target whose scenario did not run as not measured', () => {
    const withoutHealth = new Map([...results].filter(([name]) => name !== 'endpoint_health'));
    const health = evaluateTargets(withoutHealth, ratios(withoutHealth)).find((t) => t.id === 'endpoint_health_p95');
    expect(health?.status).toBe('not measured');
  });

  it('takes nothing from a phase that failed its accounting', () => {
    const failed: ScenarioResult = {
      figures: { sustained_per_s: 9000 },
      ledger: account({ expected: ['e1 /s/a'], receipts: new Map(), attempts: attemptCounts([]), deliveryRows: {} }),
    };
    const withFailure = new Map(results).set('pipeline', failed);
    expect(ratios(withFailure).pipeline_vs_http_ceiling).toBeNull();
    const sustained = evaluateTargets(withFailure, ratios(withFailure)).find((t) => t.id === 'sustained_throughput');
    expect(sustained).toMatchObject({ measured: null, status: 'not measured' });
  });
});
