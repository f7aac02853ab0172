/**
 * Every error a service can explain to a caller carries a stable code. One filter per service
 * maps codes to HTTP status; workers map them to retry/permanent decisions instead.
 */
export const ERROR_CODES = {
  validation_failed: 422,
  malformed_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_in_progress: 409,
  rate_limited: 429,
  /** A per-tenant quota on a count or a size (details name the quota, its limit and the field). */
  quota_exceeded: 422,
  /** A per-tenant quota on a rate or on concurrent work; Retry-After says when to try again. */
  quota_rate_limited: 429,
  /** An event type or id only a verified partner callback may carry (`stripe.*`, `int_…`). */
  reserved_for_callbacks: 422,
  invalid_url: 422,
  url_not_allowed: 422,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }
}
