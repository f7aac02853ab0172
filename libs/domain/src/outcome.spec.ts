import { describe, expect, it } from '@jest/globals';
import { type AttemptResult, classifyOutcome, countsAgainstHost } from './outcome.js';

const now = new Date('2026-11-22T10:00:00Z');
const response = (statusCode: number, headers: Record<string, string> = {}): AttemptResult => ({ kind: 'response', statusCode, headers, durationMs: 10 });
const error = (errorClass: Extract<AttemptResult, { kind: 'error' }>['errorClass']): AttemptResult => ({ kind: 'error', errorClass, message: errorClass, durationMs: 10 });

describe('classifyOutcome', () => {
  it.each([200, 201, 202, 204, 299])('%s is delivered', (status) => {
    expect(classifyOutcome(response(status), now)).toEqual({ kind: 'delivered' });
  });

  it('410 means the endpoint is gone', () => {
    expect(classifyOutcome(response(410), now).kind).toBe('gone');
  });

  it.each([429, 503])('%s retries, honouring Retry-After', (status) => {
    expect(classifyOutcome(response(status, { 'retry-after': '30' }), now)).toMatchObject({ kind: 'retry', statusCode: status, retryAfterMs: 30_000 });
  });

  it('ignores Retry-After on other statuses', () => {
    expect(classifyOutcome(response(500, { 'retry-after': '30' }), now)).toMatchObject({ kind: 'retry', retryAfterMs: null });
  });

  it.each([301, 302, 307, 308])('%s is a failure: redirects are not followed', (status) => {
    expect(classifyOutcome(response(status), now)).toMatchObject({ kind: 'retry', errorClass: 'http_status', reason: expect.stringContaining('not followed') as unknown });
  });

  it.each([400, 401, 404, 500, 502])('%s retries', (status) => {
    expect(classifyOutcome(response(status), now)).toMatchObject({ kind: 'retry', statusCode: status });
  });

  it.each(['timeout', 'connection', 'dns', 'tls', 'unknown'] as const)('a %s error retries', (cls) => {
    expect(classifyOutcome(error(cls), now)).toMatchObject({ kind: 'retry', errorClass: cls, statusCode: null });
  });

  it.each(['ssrf_refused', 'invalid_url'] as const)('a %s error is permanent', (cls) => {
    expect(classifyOutcome(error(cls), now)).toMatchObject({ kind: 'permanent', errorClass: cls });
  });
});

describe('countsAgainstHost', () => {
  it('counts 5xx, 429 and transport errors, not 4xx or SSRF refusals', () => {
    expect(countsAgainstHost(response(503))).toBe(true);
    expect(countsAgainstHost(response(429))).toBe(true);
    expect(countsAgainstHost(response(404))).toBe(false);
    expect(countsAgainstHost(response(200))).toBe(false);
    expect(countsAgainstHost(error('timeout'))).toBe(true);
    expect(countsAgainstHost(error('ssrf_refused'))).toBe(false);
  });
});
