import { describe, expect, it } from '@jest/globals';
import { sumSeries } from './metrics-sampler.ts';

describe('sumSeries', () => {
  it('sums every labelled series of the names asked for, and ignores comments, other names and NaN', () => {
    const text = [
      '# HELP hookstream_kafka_consumer_lag lag',
      '# TYPE hookstream_kafka_consumer_lag gauge',
      'hookstream_kafka_consumer_lag{topic="a",partition="0"} 3',
      'hookstream_kafka_consumer_lag{topic="a",partition="1"} 4',
      'hookstream_deliveries_held 12',
      'hookstream_deliveries_held_other 99',
      'hookstream_retries_pending NaN',
    ].join('\n');
    expect(sumSeries(text, ['hookstream_kafka_consumer_lag', 'hookstream_deliveries_held', 'hookstream_retries_pending', 'hookstream_absent'])).toEqual({
      hookstream_kafka_consumer_lag: 7,
      hookstream_deliveries_held: 12,
      hookstream_retries_pending: 0,
      hookstream_absent: 0,
    });
  });

  it('reads names with digits in them (prom-client calls its event-loop quantiles p50, p99)', () => {
    const text = ['nodejs_eventloop_lag_p99_seconds 0.0123', 'nodejs_eventloop_lag_p50_seconds 1.5e-3'].join('\n');
    expect(sumSeries(text, ['nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_p50_seconds'])).toEqual({
      nodejs_eventloop_lag_p99_seconds: 0.0123,
      nodejs_eventloop_lag_p50_seconds: 0.0015,
    });
  });
});
