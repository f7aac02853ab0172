import { describe, expect, it } from '@jest/globals';
import { parseReceipts, receiverModeSchema, resetSchema } from './fast-receiver.ts';

describe('parseReceipts', () => {
  it('reads the receiver’s tab-separated lines', () => {
    const text = 'evt_1 /s/a\t1700000000123.25\t1\t1\nevt_2 /s/b\t\t1\t0\n';
    expect([...parseReceipts(text)]).toEqual([
      ['evt_1 /s/a', { firstOkAt: 1700000000123.25, requests: 1, oks: 1 }],
      ['evt_2 /s/b', { firstOkAt: null, requests: 1, oks: 0 }],
    ]);
  });
});

describe('receiverModeSchema', () => {
  it('takes a fraction and a failure status, 503 unless said', () => {
    expect(receiverModeSchema.parse({ fail_first_fraction: 0.5 })).toEqual({ fail_first_fraction: 0.5, fail_status: 503 });
    expect(receiverModeSchema.safeParse({ fail_first_fraction: 2 }).success).toBe(false);
    expect(receiverModeSchema.safeParse({ fail_first_fraction: 0.5, fail_status: 200 }).success).toBe(false);
  });
});

describe('resetSchema', () => {
  it('counts every key apart unless a prefix is named', () => {
    expect(resetSchema.parse({})).toEqual({ count_prefix: '' });
    expect(resetSchema.parse({ count_prefix: 'evt_ab12cd_pipeline_' })).toEqual({ count_prefix: 'evt_ab12cd_pipeline_' });
    expect(resetSchema.safeParse({ prefix: 'x' }).success).toBe(false);
  });
});
