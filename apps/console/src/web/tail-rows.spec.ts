import { describe, expect, it } from '@jest/globals';
import { addRows, MAX_ROWS, shown, statusRowOf, type TailRow } from './tail-rows.ts';

const status = (n: number, outcome = 'delivered') =>
  JSON.stringify({ delivery_id: `d${String(n)}`, tenant_id: 't', subscription_id: 's', event_id: `evt_${String(n)}`, attempt: 1, outcome, status_code: 200, error_class: null, duration_ms: 12, at: '2026-12-07T10:00:00Z' });

describe('the live tail\'s rows', () => {
  it('reads a status event, and refuses what is not one', () => {
    expect(statusRowOf(status(1), 'd1.1')).toMatchObject({ kind: 'status', key: 'd1.1', delivery_id: 'd1', outcome: 'delivered', status_code: 200, duration_ms: 12 });
    for (const bad of ['', 'null', '[]', '{"delivery_id":"d"}', JSON.stringify({ delivery_id: 'x'.repeat(201), outcome: 'delivered', at: 'now', attempt: 1 }), '{"delivery_id":"d","outcome":"x","at":"t","attempt":"1"}']) {
      expect(statusRowOf(bad, null)).toBeNull();
    }
  });

  it('keeps the newest first, each once, and at most MAX_ROWS', () => {
    const rows = (from: number, to: number): TailRow[] => Array.from({ length: to - from }, (_, i) => statusRowOf(status(from + i), `d${String(from + i)}.1`)).filter((r): r is NonNullable<typeof r> => r !== null);
    let table = addRows([], rows(0, 3));
    expect(table.map((r) => r.key)).toEqual(['d2.1', 'd1.1', 'd0.1']);
    table = addRows(table, rows(2, 4));
    expect(table.map((r) => r.key)).toEqual(['d3.1', 'd2.1', 'd1.1', 'd0.1']);
    table = addRows(table, rows(4, 4 + MAX_ROWS));
    expect(table).toHaveLength(MAX_ROWS);
    expect(table[0]?.key).toBe(`d${String(3 + MAX_ROWS)}.1`);
  });

  it('filters failures and text, and always shows a gap', () => {
    const ok = statusRowOf(status(1), null);
    const dead = statusRowOf(status(2, 'dead_lettered'), null);
    if (!ok || !dead) throw new Error('rows');
    expect([ok, dead].filter((r) => shown(r, { failuresOnly: true, text: '' }))).toEqual([dead]);
    expect([ok, dead].filter((r) => shown(r, { failuresOnly: false, text: 'evt_1' }))).toEqual([ok]);
    expect(shown({ kind: 'gap', key: 'g', from: 'a', to: 'b' }, { failuresOnly: true, text: 'zzz' })).toBe(true);
  });
});
