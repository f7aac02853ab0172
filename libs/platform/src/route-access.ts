import { SetMetadata } from '@nestjs/common';
import type { TenantScope } from '@hookstream/domain';

export const PUBLIC_ROUTE = 'hookstream:public';
export const ADMIN_ONLY_ROUTE = 'hookstream:admin-only';
export const REQUIRED_SCOPE = 'hookstream:scope';
export const ANY_KEY_ROUTE = 'hookstream:any-key';
export const BODY_LIMIT = 'hookstream:body-limit';

/** Opts a route out of the API-key guard (health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
/** Restricts a route to admin keys. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY_ROUTE, true);
/**
 * Any valid key may call this route, whatever its scopes: only for what a key may always know of
 * itself (GET /v1/api-keys/current). It never opens a route to a missing or revoked key.
 */
export const AnyKey = (): MethodDecorator & ClassDecorator => SetMetadata(ANY_KEY_ROUTE, true);
/**
 * The scope a tenant key needs for this route (on a controller: for its routes that name none).
 * A route with neither a scope, @AnyKey, @Public nor @AdminOnly is refused to tenant keys.
 */
export const RequireScope = (scope: TenantScope): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPE, scope);
/**
 * The route reads at most the service's limit of this name (ServiceDefinition.namedBodyLimits),
 * not the larger limit every authenticated route may read: a body over it is refused, unread when
 * its length is declared, before it is parsed.
 */
export const BodyLimit = (name: string): MethodDecorator => SetMetadata(BODY_LIMIT, name);
