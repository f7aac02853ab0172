import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { constantTimeEqual, DomainError, hasScope, parseApiKey, type TenantScope } from '@hookstream/domain';
import type { Request } from 'express';
import { KeyUsage } from './key-usage.js';
import { ADMIN_ONLY_ROUTE, ANY_KEY_ROUTE, PUBLIC_ROUTE, REQUIRED_SCOPE } from './route-access.js';

/** Who is calling: an operator (every scope), or a tenant key with its scopes. */
export type Principal = { kind: 'admin'; keyId: string } | { kind: 'tenant'; tenantId: string; keyId: string; scopes: readonly string[] };

/** Looks up a tenant key; implemented over the api_keys table by libs/db. */
export interface ApiKeyVerifier {
  verify(rawKey: string): Promise<Principal | 'revoked' | { expiredAt: Date } | null>;
}
export const API_KEY_VERIFIER = Symbol('API_KEY_VERIFIER');
/** The operator key from ADMIN_API_KEY, if the service was given one. */
export const ADMIN_KEY = Symbol('ADMIN_KEY');

/** How logs and audit rows name the bootstrap operator key from ADMIN_API_KEY. */
export const BOOTSTRAP_ADMIN_KEY_ID = 'admin:bootstrap';

type AuthedRequest = Request & { principal?: Principal };

/** One guard protects every route of every service; routes opt out with @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_VERIFIER) private readonly verifier: ApiKeyVerifier,
    @Inject(ADMIN_KEY) private readonly adminKey: string | null,
    private readonly usage: KeyUsage,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const raw = bearer(req.headers.authorization);
    if (!raw) throw new DomainError('unauthenticated', 'send an API key as "Authorization: Bearer <key>"');
    let principal: Principal | null = null;
    if (this.adminKey && constantTimeEqual(raw, this.adminKey)) {
      principal = { kind: 'admin', keyId: BOOTSTRAP_ADMIN_KEY_ID };
    } else if (parseApiKey(raw)) {
      const found = await this.verifier.verify(raw);
      if (found === 'revoked') throw new DomainError('forbidden', 'this API key has been revoked');
      if (found && 'expiredAt' in found) throw new DomainError('unauthenticated', `this API key expired at ${found.expiredAt.toISOString()}`);
      principal = found;
    }
    if (!principal) throw new DomainError('unauthenticated', 'unknown API key');
    if (principal.kind === 'tenant') {
      if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY_ROUTE, targets)) throw new DomainError('forbidden', 'this route needs an admin key');
      const required = this.reflector.getAllAndOverride<TenantScope | undefined>(REQUIRED_SCOPE, targets);
      if (required) {
        if (!hasScope(principal.scopes, required)) {
          throw new DomainError('forbidden', `this API key lacks the scope "${required}"`, { missing_scope: required, key_scopes: principal.scopes });
        }
      } else if (this.reflector.getAllAndOverride<boolean | undefined>(ANY_KEY_ROUTE, targets) !== true) {
        // Default deny: a route that declares no scope (nor @AnyKey) is for operators only.
        throw new DomainError('forbidden', 'this route declares no scope a tenant key can hold; it needs an admin key');
      }
    }
    if (principal.keyId !== BOOTSTRAP_ADMIN_KEY_ID) this.usage.record(principal.keyId);
    req.principal = principal;
    return true;
  }
}

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? (m[1]) : null;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new DomainError('unauthenticated', 'no API key on this request');
  return principal;
});

/**
 * The tenant a request acts for: a tenant key acts for its own tenant only; an admin key must
 * name one. A tenant asking for another tenant's resource gets 404, never 403, so ids do not leak.
 */
export function tenantScope(principal: Principal, requested?: string | null): string {
  if (principal.kind === 'tenant') {
    if (requested && requested !== principal.tenantId) throw new DomainError('not_found', 'no such resource');
    return principal.tenantId;
  }
  if (!requested) throw new DomainError('validation_failed', 'an admin key must name the tenant', [{ path: 'tenant_id', message: 'required with an admin key' }]);
  return requested;
}
