import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { DomainError, type ErrorCode } from '@hookstream/domain';
import type { Request, Response } from 'express';
import { type Logger, LOGGER } from './logger.js';
import { isDependencyUnavailable } from './unavailable.js';
import { lingerOnClose } from './lingering-close.js';

export interface ErrorBody {
  code: string;
  message: string;
  details: unknown;
}

/** Express body-parser errors carry a dotted `type` and a 4xx `status`; they are the caller's fault, not ours. */
interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

/**
 * body-parser's `type` is lower-case and dotted (`entity.too.large`). Other libraries set a `type`
 * too: kafkajs puts the broker's error there (`OUT_OF_ORDER_SEQUENCE_NUMBER`), which must never
 * reach a caller as its own mistake.
 */
function isBodyParserError(err: unknown): err is BodyParserError {
  if (typeof err !== 'object' || err === null) return false;
  const { type, status } = err as { type?: unknown; status?: unknown };
  return typeof type === 'string' && /^[a-z]+(\.[a-z]+)+$/.test(type) && (status === undefined || (typeof status === 'number' && status >= 400 && status < 500));
}

/**
 * A kafkajs failure: the event log refused or could not take a write (a broker restarting, a
 * leader moving). What was persisted is published again by a retry with the same id, or the
 * outbox, so the caller should retry: 503.
 */
function isKafkaFailure(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.startsWith('KafkaJS');
}

const STATUS_TO_CODE: Record<number, ErrorCode | 'bad_request'> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The one place where errors become HTTP responses: `{ code, message, details }`. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body, headers } = this.toResponse(err);
    if (status >= 500) this.logger.error({ err }, 'request failed');
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    // A body still arriving was refused unread (no key, too large): close rather than read it all,
    // lingering briefly so the client's upload does not turn our answer into a reset.
    const req = host.switchToHttp().getRequest<Request>();
    if (!req.complete) {
      res.setHeader('Connection', 'close');
      lingerOnClose(req.socket);
    }
    res.status(status).json(body);
  }

  private toResponse(err: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
    // Nest wraps body-parser failures in an HttpException; the cause says what went wrong (our
    // JSON body check throws a DomainError from inside the parser).
    const cause = err instanceof HttpException ? (err.cause ?? err) : err;
    if (cause instanceof DomainError) {
      const headers: Record<string, string> = {};
      const retryAfter = (cause.details as { retry_after_seconds?: number } | undefined)?.retry_after_seconds;
      if (cause.httpStatus === 429 && retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
      return { status: cause.httpStatus, body: { code: cause.code, message: cause.message, details: cause.details ?? null }, headers };
    }
    if (isBodyParserError(cause)) {
      const parserErr = cause;
      if (parserErr.type === 'entity.too.large') {
        return { status: 413, body: { code: 'payload_too_large', message: `the body exceeds the limit of ${parserErr.limit ?? '?'} bytes`, details: { limit_bytes: parserErr.limit ?? null } }, headers: {} };
      }
      if (parserErr.type === 'entity.parse.failed') {
        return { status: 400, body: { code: 'malformed_json', message: 'the body is not valid JSON', details: null }, headers: {} };
      }
      return { status: parserErr.status ?? 400, body: { code: 'bad_request', message: parserErr.type, details: null }, headers: {} };
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      return { status, body: { code: STATUS_TO_CODE[status] ?? 'http_error', message: err.message, details: null }, headers: {} };
    }
    // Postgres restarting or unreachable: the caller should retry shortly (with the same id, which
    // dedup makes safe whatever got stored), not treat it as our bug.
    if (isDependencyUnavailable(err) || isKafkaFailure(err)) {
      return { status: 503, body: { code: 'unavailable', message: 'a dependency is unavailable; retry shortly', details: null }, headers: { 'Retry-After': '1' } };
    }
    return { status: 500, body: { code: 'internal', message: 'internal error', details: null }, headers: {} };
  }
}
