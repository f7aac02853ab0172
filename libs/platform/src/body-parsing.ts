import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { DomainError } from '@hookstream/domain';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Observable } from 'rxjs';
import { jsonBodyVerifier } from './json-body.js';
import { BODY_LIMIT, PUBLIC_ROUTE } from './route-access.js';

export interface BodyLimits {
  /** Largest body an authenticated route reads, in bytes. */
  authenticated: number;
  /** Largest body a public route reads (partner callbacks); 0 for services whose public routes take none. */
  public: number;
  /** Smaller limits of the authenticated routes that name one (@BodyLimit). */
  named: Readonly<Record<string, number>>;
  /** Keep the exact bytes as `req.rawBody`, for routes that verify a signature over them. */
  rawBody: boolean;
}

type RawRequest = Request & { rawBody?: Buffer };

/**
 * Reads JSON and form bodies only once the API-key guard has let the request through: guards run
 * before interceptors, so a request without a valid key is refused before a byte of its body is
 * read, and a public route reads at most its own small limit.
 */
@Injectable()
export class BodyParsingInterceptor implements NestInterceptor {
  /** One set of parsers per limit in use. */
  private readonly parsers = new Map<number, RequestHandler[]>();

  constructor(
    private readonly reflector: Reflector,
    private readonly limits: BodyLimits,
  ) {
    for (const limit of [limits.authenticated, limits.public, ...Object.values(limits.named)]) {
      if (!this.parsers.has(limit)) this.parsers.set(limit, parsersFor(limit, limits.rawBody));
    }
  }

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (ctx.getType() !== 'http') return next.handle();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [ctx.getHandler(), ctx.getClass()]);
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    // body-parser drains a body it refuses before answering; a declared length over the limit is
    // refused here instead, unread.
    const limit = isPublic ? this.limits.public : this.limitOf(this.reflector.get<string | undefined>(BODY_LIMIT, ctx.getHandler()));
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      throw new DomainError('payload_too_large', `the body exceeds the limit of ${limit} bytes`, { limit_bytes: limit });
    }
    const parsers = this.parsers.get(limit);
    // Every configured limit has its parsers from the constructor: a miss is a wiring mistake,
    // and parsing nothing would hand the handler an unread body.
    if (!parsers) throw new Error(`no body parsers for the limit of ${limit} bytes`);
    for (const parse of parsers) {
      // body-parser reports with an Error carrying `type` and `status`, which the error filter reads.
      await new Promise<void>((resolve, reject) => {
        parse(req, res, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error('the body could not be read')) : resolve()));
      });
    }
    return next.handle();
  }

  /** A named limit that was never configured is a wiring mistake: it fails the request loudly. */
  private limitOf(name: string | undefined): number {
    if (name === undefined) return this.limits.authenticated;
    const limit = this.limits.named[name];
    if (limit === undefined) throw new Error(`no body limit named "${name}" is configured for this service`);
    return limit;
  }
}

function parsersFor(limit: number, keepRaw: boolean): RequestHandler[] {
  const keepRawForm = keepRaw
    ? (req: RawRequest, _res: Response, buf: Buffer) => {
        req.rawBody = buf;
      }
    : undefined;
  return [
    express.json({ limit, verify: jsonBodyVerifier(keepRaw) }),
    express.urlencoded({ limit, extended: false, ...(keepRawForm ? { verify: keepRawForm } : {}) }),
  ];
}
