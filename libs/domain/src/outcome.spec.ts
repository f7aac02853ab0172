import { describe, expect, it } from '@jest/globals';
import { type AttemptResult, classifyOutcome, countsAgainstHost } from './outcome.js';

type TransportError = Extract<AttemptResult, { kind: 'error' }>['errorClass'];

const now = new Date('2026-11-22T10:00:00Z');
const response = (statusCode: number, headers: Record<string, string | string[] | undefined> = {}): AttemptResult => ({
  kind: 'response',
  statusCode,
  headers,
  durationMs: 10,
});
const error = (errorClass: TransportError, message = `${errorClass} happened`): AttemptResult => ({ kind: 'error', errorClass, message, durationMs: 10 });

describe('classifyOutcome: responses', () => {
  it.each([200, 201, 202, 204, 299])('%s is delivered', (status) => {
    expect(classifyOutcome(response(status), now)).toEqual({ kind: 'delivered' });
  });

  it('410 means the endpoint is gone for good', () => {
    expect(classifyOutcome(response(410), now)).toEqual({ kind: 'gone', reason: 'endpoint answered 410 Gone' });
  });

  it.each([429, 503])('%s retries after the Retry-After seconds', (status) => {
    expect(classifyOutcome(response(status, { 'retry-after': '30' }), now)).toEqual({
      kind: 'retry',
      errorClass: 'http_status',
      statusCode: status,
      reason: `endpoint answered ${status}`,
      retryAfterMs: 30_000,
    });
  });

  it('reads a Retry-After HTTP-date relative to now', () => {
    expect(classifyOutcome(response(429, { 'retry-after': 'Sun, 22 Nov 2026 10:02:00 GMT' }), now)).toMatchObject({ kind: 'retry', retryAfterMs: 120_000 });
  });

  it('uses the first Retry-After when the header repeats', () => {
    expect(classifyOutcome(response(503, { 'retry-after': ['12', '99'] }), now)).toMatchObject({ kind: 'retry', retryAfterMs: 12_000 });
  });

  it.each([
    [429, {}],
    [503, {}],
    [429, { 'retry-after': 'whenever' }],
  ])('%s without a readable Retry-After retries on the schedule', (status, headers) => {
    expect(classifyOutcome(response(status, headers), now)).toMatchObject({ kind: 'retry', statusCode: status, retryAfterMs: null });
  });

  it.each([500, 502, 504, 400, 301])('ignores Retry-After on %s', (status) => {
    expect(classifyOutcome(response(status, { 'retry-after': '30' }), now)).toMatchObject({ kind: 'retry', statusCode: status, retryAfterMs: null });
  });

  it.each([300, 301, 302, 303, 304, 307, 308])('%s is a failure to retry: redirects are not followed', (status) => {
    expect(classifyOutcome(response(status, { location: 'https://elsewhere.example/' }), now)).toEqual({
      kind: 'retry',
      errorClass: 'http_status',
      statusCode: status,
      reason: `redirect ${status} (redirects are not followed)`,
      retryAfterMs: null,
    });
  });

  it.each([100, 199])('informational %s is not a delivery', (status) => {
    expect(classifyOutcome(response(status), now)).toMatchObject({ kind: 'retry', statusCode: status });
  });

  it.each([400, 401, 403, 404, 405, 408, 409, 413, 422, 500, 501, 502, 504, 599])('%s retries', (status) => {
    expect(classifyOutcome(response(status), now)).toEqual({
      kind: 'retry',
      errorClass: 'http_status',
      statusCode: status,
      reason: `endpoint answered ${status}`,
      retryAfterMs: null,
    });
  });
});

describe('classifyOutcome: transport errors', () => {
  it.each(['timeout', 'connection', 'dns', 'tls', 'certificate', 'unknown', 'breaker_open'] as const)('a %s error retries, keeping the message', (cls) => {
    expect(classifyOutcome(error(cls, 'socket hang up'), now)).toEqual({
      kind: 'retry',
      errorClass: cls,
      statusCode: null,
      reason: 'socket hang up',
      retryAfterMs: null,
    });
  });

  it.each(['ssrf_refused', 'invalid_url', 'subscription_missing'] as const)('a %s error is permanent', (cls) => {
    expect(classifyOutcome(error(cls, 'no'), now)).toEqual({ kind: 'permanent', errorClass: cls, statusCode: null, reason: 'no' });
  });
});

describe('countsAgainstHost', () => {
  it.each([500, 502, 503, 504, 429])('counts %s', (status) => {
    expect(countsAgainstHost(response(status))).toBe(true);
  });

  it.each([200, 204, 301, 400, 404, 410, 422])('does not count %s', (status) => {
    expect(countsAgainstHost(response(status))).toBe(false);
  });

  it.each(['timeout', 'connection', 'dns', 'tls', 'certificate', 'unknown'] as const)('counts a %s error', (cls) => {
    expect(countsAgainstHost(error(cls))).toBe(true);
  });

  it.each(['ssrf_refused', 'invalid_url'] as const)('does not count a %s refusal', (cls) => {
    expect(countsAgainstHost(error(cls))).toBe(false);
  });
});
