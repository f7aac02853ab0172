import { DomainError } from '@hookstream/domain';
import { type Principal, tenantScope } from '@hookstream/platform';

/**
 * The tenant a request reads or acts on: a tenant key, its own (naming another is a 404, as
 * tenantScope answers); an admin key, the one it names with tenant_id, or every tenant (null).
 */
export function inspectorScope(principal: Principal, requested: string | undefined): string | null {
  if (principal.kind === 'tenant') return tenantScope(principal, requested);
  return requested ?? null;
}

/** An Idempotency-Key header, if sent: 1-255 printable ASCII characters, or a 422 naming it. */
export function idempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (/^[\x21-\x7e]{1,255}$/.test(raw)) return raw;
  throw new DomainError('validation_failed', 'invalid Idempotency-Key', [{ path: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters without spaces' }]);
}
