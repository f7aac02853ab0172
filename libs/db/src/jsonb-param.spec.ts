import { describe, expect, it } from '@jest/globals';
import { jsonbParam } from './jsonb-param.js';

describe('jsonbParam', () => {
  it('writes rows as JSON, paired surrogates and other escapes untouched', () => {
    const rows = [{ a: 'x"y\n', b: 1, c: null, d: '😀', e: new Date(Date.UTC(2026, 0, 1)) }];
    expect(JSON.parse(jsonbParam(rows))).toEqual([{ a: 'x"y\n', b: 1, c: null, d: '😀', e: '2026-01-01T00:00:00.000Z' }]);
  });

  it('replaces NUL and lone surrogates, which jsonb refuses, with U+FFFD', () => {
    const text = jsonbParam([{ m: 'a\u0000b', hi: 'x\ud800', lo: '\udc00y' }]);
    expect(text).not.toMatch(/\\u0000|\\ud[89a-f]/i);
    expect(JSON.parse(text)).toEqual([{ m: 'a\ufffdb', hi: 'x\ufffd', lo: '\ufffdy' }]);
  });

  it('leaves an escaped backslash followed by the letters of an escape alone', () => {
    const value = ['\\u0000', '\\ud800', '\\\u0000'];
    expect(JSON.parse(jsonbParam(value))).toEqual(['\\u0000', '\\ud800', '\\\ufffd']);
  });
});
