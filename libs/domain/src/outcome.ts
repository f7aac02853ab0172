import type { ErrorClass } from '@hookstream/contracts';
import { parseRetryAfter } from './retry-policy.js';

/** What the HTTP client reports about one attempt; no exceptions cross this boundary. */
export type AttemptResult =
  | { kind: 'response'; statusCode: number; headers: Record<string, string | string[] | undefined>; durationMs: number }
  | { kind: 'error'; errorClass: Exclude<ErrorClass, 'http_status'>; message: string; durationMs: number };

export type OutcomeDecision =
  | { kind: 'delivered' }
  /** The endpoint said it is gone for good: disable the subscription. */
  | { kind: 'gone'; reason: string }
  | { kind: 'retry'; errorClass: ErrorClass; statusCode: number | null; reason: string; retryAfterMs: number | null }
  | { kind: 'permanent'; errorClass: ErrorClass; statusCode: number | null; reason: string };

const PERMANENT_ERRORS: ReadonlySet<ErrorClass> = new Set(['ssrf_refused', 'invalid_url', 'subscription_missing']);

export function classifyOutcome(result: AttemptResult, now: Date): OutcomeDecision {
  if (result.kind === 'error') {
    if (PERMANENT_ERRORS.has(result.errorClass)) {
      return { kind: 'permanent', errorClass: result.errorClass, statusCode: null, reason: result.message };
    }
    return { kind: 'retry', errorClass: result.errorClass, statusCode: null, reason: result.message, retryAfterMs: null };
  }
  const status = result.statusCode;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone', reason: 'endpoint answered 410 Gone' };
  const retryAfter = status === 429 || status === 503 ? headerValue(result.headers['retry-after']) : undefined;
  return {
    kind: 'retry',
    errorClass: 'http_status',
    statusCode: status,
    reason: status >= 300 && status < 400 ? `redirect ${status} (redirects are not followed)` : `endpoint answered ${status}`,
    retryAfterMs: parseRetryAfter(retryAfter, now),
  };
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Failures that never reached the endpoint's host, or were another host's (a token URL, our egress proxy). */
const NOT_THE_HOSTS: ReadonlySet<ErrorClass> = new Set(['ssrf_refused', 'invalid_url', 'auth_token', 'egress_proxy']);

/**
 * Whether an attempt says something about the target host rather than this one request:
 * connection trouble, timeouts, 5xx and 429 count toward opening the host's breaker; a 4xx
 * is the endpoint's verdict on one payload and does not.
 */
export function countsAgainstHost(result: AttemptResult): boolean {
  if (result.kind === 'error') return !NOT_THE_HOSTS.has(result.errorClass);
  return result.statusCode >= 500 || result.statusCode === 429;
}
