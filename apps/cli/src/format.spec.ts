import { describe, expect, it } from '@jest/globals';
import { duration, fields, progressLine, table, when } from './format.js';

describe('output', () => {
  it('aligns a table on its widest values, shows absent values as "-" and cuts long ones', () => {
    const rows = [
      { id: 'a', n: 1, text: 'short' },
      { id: 'bbbb', n: null, text: 'x'.repeat(20) },
    ];
    expect(
      table(
        [
          { header: 'ID', value: (r) => r.id },
          { header: 'N', value: (r) => r.n },
          { header: 'TEXT', value: (r) => r.text, max: 8 },
        ],
        rows,
      ),
    ).toBe(['ID    N  TEXT', 'a     1  short', 'bbbb  -  xxxxxxx…'].join('\n'));
  });

  it('aligns fields and keeps a value on one line', () => {
    expect(fields([['job', 'j1'], ['last error', 'a\nb'], ['cancelled by', null]])).toBe(['job:          j1', 'last error:   a b', 'cancelled by: -'].join('\n'));
  });

  it('shows times to the second, and durations in the largest units', () => {
    expect(when('2026-11-22T10:00:03.123Z')).toBe('2026-11-22T10:00:03Z');
    expect(when(null)).toBe('-');
    expect([duration(42), duration(60), duration(185), duration(7260), duration(36_000)]).toEqual(['42s', '1m', '3m 5s', '2h 1m', '10h']);
  });

  it('tells a job’s progress with the time left at its rate while it runs', () => {
    expect(progressLine({ id: 'j1', status: 'running', total: 1840, sent: 410, skipped: 2, rate_per_second: 10 })).toBe(
      'job j1 running: 410 sent, 2 skipped of 1840 (22%), about 2m 23s left at 10/s',
    );
    expect(progressLine({ id: 'j1', status: 'completed', total: 0, sent: 0, skipped: 0, rate_per_second: 10 })).toBe('job j1 completed: 0 sent, 0 skipped of 0 (100%)');
    expect(progressLine({ id: 'j1', status: 'running', total: 10, sent: 1, skipped: 0, rate_per_second: 10, last_error: 'kafka down' })).toContain('(last error: kafka down)');
  });
});
