import { checkOrder, type OrderedEvent } from './ordering.ts';
import type { Arrival } from './receiver.ts';

const PATH = '/ordered/0';

/** Events e0..e(n-1) of key `k`, in publication order, and the deliveries they owe PATH. */
function key(k: string, n: number): { events: [string, OrderedEvent][]; owed: string[] } {
  const ids = Array.from({ length: n }, (_, seq) => `evt_${k}_${String(seq)}`);
  return { events: ids.map((id, seq) => [id, { key: k, seq, publishedAt: 0 }]), owed: ids.map((id) => `${id} ${PATH}`) };
}

/** Requests as `seq` (answered 2xx) or `seq!` (answered otherwise), for key `k`, one every 10 ms. */
function arrivals(k: string, script: string): Arrival[] {
  return script.split(' ').map((step, i) => ({ key: `evt_${k}_${step.replace('!', '')} ${PATH}`, at: i * 10, ok: !step.endsWith('!') }));
}

function check(script: string, n = 4, dead: number[] = []) {
  const { events, owed } = key('a', n);
  return checkOrder({ arrivals: arrivals('a', script), owed, events: new Map(events), deadLetters: new Set(dead.map((seq) => `evt_a_${String(seq)} ${PATH}`)) });
}

describe('checkOrder', () => {
  it('passes a key delivered in order, retries of the head included', () => {
    const r = check('0 1! 1 2 3');
    expect(r).toMatchObject({ streams: 1, deliveries: 4, requests: 5, failed_requests: 1, duplicates: 0, missing: 0, order_violations: 0 });
    // From each 2xx to the next event's first request: 0 → 1, 1 → 2, 2 → 3; not the retry of 1.
    expect(r.handoff_ms).toMatchObject({ count: 3, p50: 10, max: 10 });
  });

  it('times a handoff from the first 2xx of the previous event, not from a repeat of it', () => {
    const r = check('0 0 1', 2);
    expect(r.handoff_ms).toMatchObject({ count: 1, max: 20 });
  });

  it("times a handoff from the next event's publication when that came after the 2xx", () => {
    const { events, owed } = key('a', 2);
    const late = new Map(events.map(([id, e]) => [id, e.seq === 1 ? { ...e, publishedAt: 25 } : e]));
    const seen: Arrival[] = [
      { key: `evt_a_0 ${PATH}`, at: 0, ok: true },
      { key: `evt_a_1 ${PATH}`, at: 30, ok: true },
    ];
    const r = checkOrder({ arrivals: seen, owed, events: late, deadLetters: new Set() });
    expect(r.handoff_ms).toMatchObject({ count: 1, max: 5 });
  });

  it('counts a repeat of the latest event as a duplicate, not a violation', () => {
    const r = check('0 1 1 2 3 3');
    expect(r).toMatchObject({ duplicates: 2, order_violations: 0 });
  });

  it('flags an earlier event after a later one, even when it repeats one already delivered', () => {
    const r = check('0 1 2 1 3');
    expect(r.order_violations).toBe(1);
    expect(r.violation_sample).toEqual([`${PATH} a: 1 arrived after 2`]);
    expect(r.duplicates).toBe(1);
  });

  it('flags an event sent before its predecessor was answered 2xx', () => {
    const r = check('0 1! 2 1 3');
    // 2 skipped ahead of 1, and 1 then came back after 2.
    expect(r.violation_sample).toEqual([`${PATH} a: 2 arrived before 1 was delivered`, `${PATH} a: 1 arrived after 2`]);
  });

  it('flags an event that skips one never sent', () => {
    const r = check('0 2 3');
    expect(r.order_violations).toBe(2);
    expect(r.missing).toBe(1);
    expect(r.missing_sample).toEqual([`evt_a_1 ${PATH}`]);
  });

  it('lets a key move past a dead-lettered event', () => {
    const r = check('0 1! 1! 2 3', 4, [1]);
    expect(r).toMatchObject({ dead_lettered: 1, missing: 0, order_violations: 0 });
  });

  it('reports owed events that never arrived', () => {
    const r = check('0 1', 4);
    expect(r).toMatchObject({ missing: 2, order_violations: 0 });
  });

  it('keeps each key, and each subscription, in its own order', () => {
    const a = key('a', 2);
    const b = key('b', 2);
    const other = '/ordered-flaky/0';
    const owed = [...a.owed, ...b.owed, ...a.owed.map((k) => k.replace(PATH, other))];
    // Interleaved keys, and the other subscription behind: no key waits for another.
    const seen: Arrival[] = [...arrivals('b', '0'), ...arrivals('a', '0 1'), ...arrivals('b', '1'), { key: `evt_a_0 ${other}`, at: 50, ok: true }, { key: `evt_a_1 ${other}`, at: 60, ok: true }];
    const r = checkOrder({ arrivals: seen, owed, events: new Map([...a.events, ...b.events]), deadLetters: new Set() });
    expect(r).toMatchObject({ streams: 3, deliveries: 6, requests: 6, missing: 0, order_violations: 0 });
  });

  it('leaves requests for events never acknowledged to the ledger', () => {
    const { events, owed } = key('a', 1);
    const r = checkOrder({ arrivals: [{ key: `evt_unknown ${PATH}`, at: 0, ok: true }, ...arrivals('a', '0')], owed, events: new Map(events), deadLetters: new Set() });
    expect(r).toMatchObject({ requests: 1, order_violations: 0 });
  });
});
