import { describe, expect, it } from '@jest/globals';
import { DomainError, ERROR_CODES, type ErrorCode } from './errors.js';

describe('DomainError', () => {
  it.each([
    ['validation_failed', 422],
    ['malformed_json', 400],
    ['payload_too_large', 413],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['idempotency_in_progress', 409],
    ['rate_limited', 429],
    ['quota_exceeded', 422],
    ['quota_rate_limited', 429],
    ['unsupported_media_type', 415],
    ['invalid_url', 422],
    ['url_not_allowed', 422],
    ['unavailable', 503],
    ['internal', 500],
  ] as [ErrorCode, number][])('%s → HTTP %s', (code, status) => {
    expect(new DomainError(code, 'x').httpStatus).toBe(status);
  });

  it('maps every code to an HTTP error status', () => {
    expect(Object.keys(ERROR_CODES)).toHaveLength(17);
    for (const status of Object.values(ERROR_CODES)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it('is an Error carrying its code, message and details', () => {
    const details = [{ path: 'url', message: 'must be https' }];
    const err = new DomainError('validation_failed', 'the subscription is invalid', details);
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.name).toBe('DomainError');
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('the subscription is invalid');
    expect(err.details).toBe(details);
  });

  it('leaves details undefined when none are given', () => {
    expect(new DomainError('not_found', 'no such subscription').details).toBeUndefined();
  });
});
