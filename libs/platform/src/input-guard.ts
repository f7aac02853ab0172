import { type CallHandler, createParamDecorator, type ExecutionContext, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type FieldError, formatPath, type JsonPath, UNSTORABLE_TEXT_MESSAGE, unstorableTextPaths } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { jsonTextProblemsOf } from './json-body.js';

const PARTNER_PAYLOAD = 'hookstream:partner-payload';
const PER_ITEM_BODY = 'hookstream:per-item-body';
const ITEM_PROBLEMS = Symbol('hookstream:item-problems');

/**
 * The body is a partner's signed payload, kept as received (the signature covers its bytes): the
 * hostile-input rules do not apply to it. Path and query still do.
 */
export const PartnerPayload = (): MethodDecorator => SetMetadata(PARTNER_PAYLOAD, true);

/**
 * The body is `{ [field]: [item, …] }` answered per item: problems inside an item go to the
 * handler (read them with @ItemProblems()), so one bad item does not fail its neighbours.
 */
export const PerItemBody = (field: string): MethodDecorator => SetMetadata(PER_ITEM_BODY, field);

type RequestWithItems = Request & { [ITEM_PROBLEMS]?: Map<number, FieldError[]> };

/** Per item index, what the input interceptor found wrong in it (paths relative to the item). */
export const ItemProblems = createParamDecorator((_: unknown, ctx: ExecutionContext): Map<number, FieldError[]> => {
  return ctx.switchToHttp().getRequest<RequestWithItems>()[ITEM_PROBLEMS] ?? new Map<number, FieldError[]>();
});

interface Problem {
  path: JsonPath;
  message: string;
}

const MAX_REPORTED = 20;

/**
 * Every route, before its handler: text Postgres cannot store (U+0000, lone surrogates) anywhere
 * in the path, query or JSON body, and what the body's JSON text hid from the parser (duplicate
 * keys, numbers that do not round-trip), answer 422 with each field's path instead of reaching a
 * query. Runs after the auth guard, so only an authenticated caller's body is walked.
 */
@Injectable()
export class InputInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<RequestWithItems>();
    const handler = ctx.getHandler();
    const outside: FieldError[] = [];
    for (const [where, value] of [['params', req.params], ['query', req.query]] as const) {
      for (const path of unstorableTextPaths(value, MAX_REPORTED)) outside.push({ path: `${where}.${formatPath(path)}`, message: UNSTORABLE_TEXT_MESSAGE });
    }
    if (!this.reflector.get<boolean | undefined>(PARTNER_PAYLOAD, handler)) {
      const body: Problem[] = [
        ...jsonTextProblemsOf(req),
        ...unstorableTextPaths(req.body, MAX_REPORTED).map((path) => ({ path, message: UNSTORABLE_TEXT_MESSAGE })),
      ];
      const field = this.reflector.get<string | undefined>(PER_ITEM_BODY, handler);
      const items = new Map<number, FieldError[]>();
      for (const p of body) {
        const [head, index, ...rest] = p.path;
        if (field !== undefined && head === field && typeof index === 'number') {
          items.set(index, [...(items.get(index) ?? []), { path: formatPath(rest), message: p.message }]);
        } else outside.push({ path: formatPath(p.path), message: p.message });
      }
      req[ITEM_PROBLEMS] = items;
    }
    if (outside.length) {
      const details = outside.slice(0, MAX_REPORTED);
      throw new DomainError('validation_failed', `invalid request: ${details.map((e) => e.path).join(', ')}`, details);
    }
    return next.handle();
  }
}
