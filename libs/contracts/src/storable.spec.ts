import { describe, expect, it } from '@jest/globals';
import { eventEnvelopeSchema, parseWith } from './envelope.js';
import { int32Schema, isBigintDigits, isoTimestampSchema, MAX_DATA_DEPTH, tooDeepAt, unstorableTextPaths } from './storable.js';

const nest = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

describe('isoTimestampSchema', () => {
  it.each(['1970-01-01T00:00:00Z', '2026-11-22T10:00:00Z', '2024-02-29T12:00:00.123456+02:00', '9999-12-31T23:59:59Z', '2026-01-01T00:00:00+14:00'])('accepts %s', (v) => {
    expect(isoTimestampSchema.safeParse(v).success).toBe(true);
  });

  it.each([
    ['0000-01-01T00:00:00Z', 'between 1970'],
    ['1969-12-31T23:59:59Z', 'between 1970'],
    ['1970-01-01T00:30:00+01:00', 'between 1970'],
    ['9999-12-31T23:30:00-01:00', 'between 1970'],
    ['2026-01-01T00:00:00+23:59', '±14:00'],
    ['2026-02-30T00:00:00Z', 'Invalid'],
    ['2023-02-29T00:00:00Z', 'Invalid'],
    ['2026-06-30T23:59:60Z', 'Invalid'],
    [`2026-01-01T00:00:00.${'1'.repeat(40)}Z`, 'at most 40'],
  ])('refuses %s', (v, message) => {
    const result = isoTimestampSchema.safeParse(v);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });

  it.each(['yesterday', '10000-01-01T00:00:00Z'])('reports one issue for a malformed %s', (v) => {
    expect(isoTimestampSchema.safeParse(v).error?.issues).toHaveLength(1);
  });

  it('makes the envelope refuse the year 0000 with its field path', () => {
    const envelope = { id: 'evt_1', type: 'a.b', tenant_id: 'acme', occurred_at: '0000-01-01T00:00:00Z', data: {} };
    expect(parseWith(eventEnvelopeSchema, envelope)).toEqual({ ok: false, errors: [{ path: 'occurred_at', message: 'must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z' }] });
  });
});

describe('integer widths', () => {
  it('int32Schema holds what a Postgres integer holds, and no more', () => {
    expect(int32Schema.safeParse(2 ** 31 - 1).success).toBe(true);
    expect(int32Schema.safeParse(-(2 ** 31)).success).toBe(true);
    expect(int32Schema.safeParse(2 ** 31).success).toBe(false);
    expect(int32Schema.safeParse(2 ** 53 + 1).success).toBe(false);
    expect(int32Schema.safeParse(Infinity).success).toBe(false);
  });

  it('isBigintDigits bounds digit strings by bigint', () => {
    expect(isBigintDigits('9223372036854775807')).toBe(true);
    expect(isBigintDigits('9223372036854775808')).toBe(false);
    expect(isBigintDigits('99999999999999999999')).toBe(false);
    expect(isBigintDigits('-1')).toBe(false);
  });
});

describe('unstorableTextPaths', () => {
  it('lists every bad string and key in document order', () => {
    expect(unstorableTextPaths({ a: 'x\u0000', b: ['ok', '\ud800'], 'k\udfff': 1, c: 'pair 😀' })).toEqual([['a'], ['b', 1], ['k\udfff']]);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    let v: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(unstorableTextPaths(v)[0]).toHaveLength(100_000);
  });
});

describe('depth', () => {
  it('tooDeepAt names the first object past the limit', () => {
    expect(tooDeepAt(nest(3), 3)).toBeNull();
    expect(tooDeepAt(nest(4), 3)).toEqual(['a', 'a', 'a']);
    expect(tooDeepAt([[[]]], 2)).toEqual([0, 0]);
  });

  it(`refuses data nested deeper than ${MAX_DATA_DEPTH} levels before walking it`, () => {
    const envelope = { id: 'evt_1', type: 'a.b', tenant_id: 'acme', occurred_at: '2026-11-22T10:00:00Z' };
    expect(parseWith(eventEnvelopeSchema, { ...envelope, data: nest(MAX_DATA_DEPTH) }).ok).toBe(true);
    const result = parseWith(eventEnvelopeSchema, { ...envelope, data: nest(50_000) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toBe(`nested deeper than ${MAX_DATA_DEPTH} levels`);
  });
});
