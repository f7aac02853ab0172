import type { Receipt } from '../../bench/harness/ledger.ts';
import { accountChaos, type ChaosLedgerInput, type PlannedDelivery, settledCount } from './ledger.ts';

const got = (oks: number, requests = oks): Receipt => ({ firstOkAt: oks > 0 ? 1 : null, requests, oks });

function input(over: Partial<ChaosLedgerInput> = {}): ChaosLedgerInput {
  const planned: PlannedDelivery[] = [
    { key: 'e1 /ok/a', fate: 'deliver' },
    { key: 'e1 /hang/a', fate: 'deliver' },
    { key: 'e1 /dead/a', fate: 'dead' },
    { key: 'e1 /filtered/a', fate: 'filtered' },
    { key: 'e1 /disabled/a', fate: 'disabled' },
  ];
  return {
    publishedEvents: 1,
    planned,
    receipts: new Map([
      ['e1 /ok/a', got(1)],
      ['e1 /hang/a', got(1, 2)],
      ['e1 /dead/a', got(0, 8)],
    ]),
    deadLetters: new Set(['e1 /dead/a', 'e1 /disabled/a']),
    rows: new Map([
      ['e1 /ok/a', 'delivered'],
      ['e1 /hang/a', 'delivered'],
      ['e1 /dead/a', 'dead'],
      ['e1 /disabled/a', 'dead'],
    ]),
    ...over,
  };
}

describe('accountChaos', () => {
  it('balances a clean scenario: delivered + dead-lettered + accounted = planned, nothing lost', () => {
    const l = accountChaos(input());
    expect(l).toMatchObject({ planned: 5, delivered: 2, dead_lettered: 1, dead_lettered_unplanned: 0, accounted: { filtered: 1, disabled: 1 }, lost: 0, duplicates: 0, requests: 11 });
    expect(l.problems).toEqual([]);
  });

  it('reports a delivery that neither arrived nor died as lost, and fails', () => {
    const l = accountChaos(input({ receipts: new Map([['e1 /hang/a', got(1, 2)], ['e1 /dead/a', got(0, 8)]]) }));
    expect(l.lost).toBe(1);
    expect(l.lost_sample).toEqual(['e1 /ok/a']);
    expect(l.problems[0]).toMatch(/^lost 1 of 5/);
  });

  it('counts a second 2xx for a key as a duplicate, which is allowed', () => {
    const l = accountChaos(input({ receipts: new Map([...input().receipts, ['e1 /ok/a', got(3)]]) }));
    expect(l.duplicates).toBe(2);
    expect(l.problems).toEqual([]);
  });

  it('counts a dead letter for a receiver that would have accepted it, without calling it lost', () => {
    const receipts = new Map(input().receipts);
    receipts.set('e1 /hang/a', got(0, 3));
    const l = accountChaos(input({ receipts, deadLetters: new Set([...input().deadLetters, 'e1 /hang/a']), rows: new Map([...input().rows, ['e1 /hang/a', 'dead']]) }));
    expect(l).toMatchObject({ delivered: 1, dead_lettered: 2, dead_lettered_unplanned: 1, lost: 0 });
    expect(l.problems).toEqual([]);
  });

  it('fails when a filtered pair gets a request or a row, or a disabled pair a request', () => {
    const l = accountChaos(input({ receipts: new Map([...input().receipts, ['e1 /disabled/a', got(1)]]), rows: new Map([...input().rows, ['e1 /filtered/a', 'pending']]) }));
    expect(l.leaked).toBe(2);
    expect(l.accounted).toEqual({ filtered: 0, disabled: 0 });
    expect(l.problems.join('\n')).toMatch(/2 filtered pairs got a request or a deliveries row, or disabled pairs a request/);
  });

  it('calls a disabled pair lost without its dead letter, and unrecorded without a dead row', () => {
    const withoutLetter = accountChaos(input({ deadLetters: new Set(['e1 /dead/a']) }));
    expect(withoutLetter).toMatchObject({ lost: 1, lost_sample: ['e1 /disabled/a'] });
    const withoutRow = accountChaos(input({ rows: new Map([...input().rows].filter(([k]) => k !== 'e1 /disabled/a')) }));
    expect(withoutRow.unrecorded).toBe(1);
    expect(withoutRow.problems.join('\n')).toMatch(/e1 \/disabled\/a \(no row, not dead\)/);
  });

  it('fails when the deliveries table disagrees with what arrived', () => {
    const l = accountChaos(input({ rows: new Map([...input().rows, ['e1 /ok/a', 'failing']]) }));
    expect(l.unrecorded).toBe(1);
    expect(l.problems.join('\n')).toMatch(/e1 \/ok\/a \(failing, not delivered\)/);
  });

  it('fails on a delivery nobody planned', () => {
    const l = accountChaos(input({ receipts: new Map([...input().receipts, ['e9 /ok/a', got(1)]]) }));
    expect(l.unexpected).toBe(1);
    expect(l.problems).toHaveLength(1);
  });
});

describe('settledCount', () => {
  it('counts delivered and dead-lettered pairs (disabled ones too) and filtered ones', () => {
    const planned = input().planned;
    expect(settledCount(planned, new Set(['e1 /ok/a']), new Set())).toBe(2);
    expect(settledCount(planned, new Set(['e1 /ok/a', 'e1 /hang/a']), new Set(['e1 /dead/a', 'e1 /disabled/a']))).toBe(5);
  });
});
