import { describe, expect, it } from '@jest/globals';
import { account, type AttemptCounts, attemptCounts, type Receipt, sumLedgers } from './ledger.ts';

const ok = (requests = 1, oks = 1): Receipt => ({ firstOkAt: 1, requests, oks });

function clean(keys: string[]): { receipts: Map<string, Receipt>; attempts: AttemptCounts; deliveryRows: Record<string, number> } {
  return {
    receipts: new Map(keys.map((k) => [k, ok()])),
    attempts: attemptCounts([{ outcome: 'delivered', status_code_class: 'ok', n: keys.length }]),
    deliveryRows: { delivered: keys.length },
  };
}

describe('account', () => {
  const keys = ['e1 /s/a', 'e2 /s/a', 'e3 /s/b'];

  it('passes a phase where every delivery arrived once and was recorded', () => {
    const ledger = account({ expected: keys, ...clean(keys) });
    expect(ledger).toMatchObject({ expected: 3, delivered: 3, lost: 0, unexpected: 0, duplicates: 0, requests: 3, failedAnswers: 0, problems: [] });
  });

  it('reports a lost delivery with its key', () => {
    const c = clean(keys.slice(0, 2));
    const ledger = account({ expected: keys, ...c, deliveryRows: { delivered: 2, pending: 1 } });
    expect(ledger.lost).toBe(1);
    expect(ledger.lostSample).toEqual(['e3 /s/b']);
    expect(ledger.problems.join('\n')).toMatch(/1 of 3 deliveries never arrived .*e3 \/s\/b/);
    expect(ledger.problems.join('\n')).toMatch(/only 2 of 3 deliveries rows are marked delivered/);
  });

  it('counts duplicates without calling them a loss', () => {
    const c = clean(keys);
    c.receipts.set('e1 /s/a', ok(2, 2));
    const ledger = account({ expected: keys, ...c, attempts: attemptCounts([{ outcome: 'delivered', status_code_class: 'ok', n: 4 }]) });
    expect(ledger.duplicates).toBe(1);
    expect(ledger.problems).toEqual([]);
  });

  it('flags requests the dispatcher did not record as attempts', () => {
    const c = clean(keys);
    const ledger = account({ expected: keys, ...c, attempts: attemptCounts([{ outcome: 'delivered', status_code_class: 'ok', n: 2 }]) });
    expect(ledger.problems.join('\n')).toMatch(/answered 3 requests but delivery_attempts holds 2/);
  });

  it('flags deliveries nobody published', () => {
    const c = clean(keys);
    c.receipts.set('stray /s/z', ok());
    const ledger = account({ expected: keys, ...c });
    expect(ledger.unexpected).toBe(1);
    expect(ledger.problems).toEqual(['1 deliveries arrived that this phase did not publish']);
  });

  it('counts a late duplicate of an earlier phase as a stray, outside this phase’s attempts', () => {
    const c = clean(keys);
    c.receipts.set('old1 /s/a', ok(2, 2));
    const ledger = account({ expected: keys, ...c, fromEarlierPhase: (k) => k.startsWith('old') });
    expect(ledger).toMatchObject({ strays: 2, unexpected: 0, requests: 3, problems: [] });
  });

  it('checks planned failures against the receiver and the recorded attempts', () => {
    const receipts = new Map<string, Receipt>([
      ['e1 /s/a', ok(2, 1)],
      ['e2 /s/a', ok()],
      ['e3 /s/b', ok()],
    ]);
    const attempts = attemptCounts([
      { outcome: 'delivered', status_code_class: 'ok', n: 3 },
      { outcome: 'retry_scheduled', status_code_class: 'other', n: 1 },
      { outcome: 'postponed', status_code_class: 'none', n: 2 },
    ]);
    expect(attempts).toEqual({ total: 6, byOutcome: { delivered: 3, retry_scheduled: 1, postponed: 2 }, answered: 4, answeredOk: 3 });
    const good = account({ expected: keys, receipts, attempts, deliveryRows: { delivered: 3 }, expectedFailedAnswers: 1 });
    expect(good.problems).toEqual([]);
    expect(good.failedAnswers).toBe(1);
    const wrong = account({ expected: keys, receipts, attempts, deliveryRows: { delivered: 3 }, expectedFailedAnswers: 2 });
    expect(wrong.problems).toEqual(['the receiver failed 1 requests on purpose, 2 were planned']);
  });
});

describe('sumLedgers', () => {
  it('adds the counts of several phases and keeps every problem', () => {
    const a = account({ expected: ['e1 /s/a', 'e2 /s/a'], ...clean(['e1 /s/a', 'e2 /s/a']) });
    const b = account({ expected: ['e3 /s/a', 'e4 /s/a'], ...clean(['e3 /s/a']) });
    const both = sumLedgers([a, b]);
    expect(both).toMatchObject({ expected: 4, delivered: 3, lost: 1, requests: 3, deliveryRows: { delivered: 3 }, lostSample: ['e4 /s/a'] });
    expect(both.attempts).toEqual({ total: 3, byOutcome: { delivered: 3 }, answered: 3, answeredOk: 3 });
    expect(both.problems).toEqual(b.problems);
    expect(both.problems.length).toBeGreaterThan(0);
  });
});
