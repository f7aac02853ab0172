import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { DomainErrorFilter } from './error-filter.js';
import { createLogger } from './logger.js';

/** What the filter answers for an error, through a response that records status and body. */
function answer(err: unknown): { status: number; body: { code: string; message: string } } {
  const sent = { status: 0, body: { code: '', message: '' } };
  const res = {
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: { code: string; message: string }) {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ complete: true }) }) } as unknown as ArgumentsHost;
  new DomainErrorFilter(createLogger('error-filter-spec', 'silent')).catch(err, host);
  return sent;
}

describe('DomainErrorFilter', () => {
  it("answers a Kafka failure 503 (retry), even one whose broker error code looks like body-parser's type", () => {
    // What the idempotent producer threw while a broker restarted: once answered 400 bad_request.
    const outOfOrder = Object.assign(new Error('The broker received an out of order sequence number'), { name: 'KafkaJSProtocolError', type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', retriable: false });
    expect(answer(outOfOrder)).toMatchObject({ status: 503, body: { code: 'unavailable' } });
    expect(answer(Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded' }))).toMatchObject({ status: 503 });
  });

  it("keeps body-parser's own errors the caller's: 413, 400 malformed_json, and its other 4xx", () => {
    expect(answer(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413, limit: 10 }))).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(answer(Object.assign(new Error('bad json'), { type: 'entity.parse.failed', status: 400 }))).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
    expect(answer(Object.assign(new Error('charset'), { type: 'charset.unsupported', status: 415 }))).toMatchObject({ status: 415, body: { code: 'bad_request' } });
  });

  it('answers anything unknown 500 internal, without its message', () => {
    expect(answer(Object.assign(new Error('secret detail'), { type: 'SOMETHING' }))).toEqual({ status: 500, body: { code: 'internal', message: 'internal error', details: null } });
  });
});
