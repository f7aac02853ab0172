import { describe, expect, it } from '@jest/globals';
import { customHeaderProblems, isValidHeaderName, MAX_CUSTOM_HEADERS, MAX_HEADER_VALUE } from './headers.js';

describe('customHeaderProblems', () => {
  it('accepts no headers and ordinary ones', () => {
    expect(customHeaderProblems({})).toEqual([]);
    expect(customHeaderProblems({ 'X-Tenant': 'acme', Authorization: 'Bearer partner-token', 'X-Empty': '' })).toEqual([]);
  });

  it.each(['Connection', 'Keep-Alive', 'Transfer-Encoding', 'TE', 'Trailer', 'Upgrade', 'Host', 'Content-Length', 'Content-Type', 'Content-Encoding', 'Expect', 'Proxy-Authorization', 'Proxy-Anything', 'Webhook-Id', 'WEBHOOK-TIMESTAMP', 'webhook-signature', 'Webhook-Custom', 'Traceparent', 'tracestate'])(
    'refuses %s, whatever its case',
    (name) => {
      expect(customHeaderProblems({ [name]: 'x' })).toEqual([{ path: `headers.${name}`, message: 'is set by Hookstream or by the connection and cannot be overridden' }]);
    },
  );

  it('refuses the subscription signature header, case-insensitively', () => {
    expect(customHeaderProblems({ 'X-Partner-Signature': 'x' }, 'x-partner-signature')).toEqual([{ path: 'headers.X-Partner-Signature', message: 'is the signature header' }]);
    expect(customHeaderProblems({ 'X-Partner-Signature': 'x' }, null)).toEqual([]);
  });

  it.each(['Bad Name', 'X:Colon', 'X-Ü', '', 'X(1)', 'X"Q'])('refuses the name %j', (name) => {
    expect(customHeaderProblems({ [name]: 'x' })).toEqual([{ path: `headers.${name}`, message: 'is not a valid header name' }]);
  });

  it.each(['a\r\nX-Injected: 1', 'a\nb', 'a\rb', 'a\0b'])('refuses the value %j', (value) => {
    expect(customHeaderProblems({ 'X-A': value })).toEqual([{ path: 'headers.X-A', message: 'must not contain line breaks' }]);
  });

  it(`allows values up to ${MAX_HEADER_VALUE} characters`, () => {
    expect(customHeaderProblems({ 'X-A': 'v'.repeat(MAX_HEADER_VALUE) })).toEqual([]);
    expect(customHeaderProblems({ 'X-A': 'v'.repeat(MAX_HEADER_VALUE + 1) })).toEqual([{ path: 'headers.X-A', message: 'must be at most 1024 characters' }]);
  });

  it(`allows at most ${MAX_CUSTOM_HEADERS} headers`, () => {
    const headers = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`X-H${i}`, 'v']));
    expect(customHeaderProblems(headers(20))).toEqual([]);
    expect(customHeaderProblems(headers(21))).toEqual([{ path: 'headers', message: 'at most 20 custom headers' }]);
  });

  it('reports every problem, one per offending header', () => {
    const problems = customHeaderProblems({ Host: 'x', 'X-Ok': 'fine', 'Bad Name': 'y\n' });
    expect(problems.map((p) => p.path)).toEqual(['headers.Host', 'headers.Bad Name', 'headers.Bad Name']);
  });
});

describe('isValidHeaderName', () => {
  it.each([
    ['X-Custom', true],
    ["x!#$%&'*+.^_`|~0-9", true],
    ['X Custom', false],
    ['X:Custom', false],
    ['', false],
  ])('%j → %s', (name, expected) => {
    expect(isValidHeaderName(name)).toBe(expected);
  });
});
