import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Principal } from '@hookstream/platform';
import type { Request } from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import { QuotasService } from './quotas.service.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every configuration change a tenant key makes takes a token of its tenant's
 * `config_writes_per_minute` before the handler runs; a refusal answers 429 with Retry-After.
 * Operator (admin) keys are not limited: they act for the platform, and bulk set-up (bench,
 * declarative config) goes through them.
 */
@Injectable()
export class ConfigWriteRateInterceptor implements NestInterceptor {
  constructor(private readonly quotas: QuotasService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = req.principal;
    if (!WRITES.has(req.method) || principal?.kind !== 'tenant') return next.handle();
    return from(this.quotas.takeConfigWrite(principal.tenantId)).pipe(switchMap(() => next.handle()));
  }
}
