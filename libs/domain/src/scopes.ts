/**
 * What a tenant API key may do. A key holds a set of scopes; every authenticated route requires
 * exactly one, and a route that declares none is refused to tenant keys (default deny). Admin keys
 * (operators) hold every scope. Documented in docs/security.md and the runbook's "Scopes".
 */
export const TENANT_SCOPES = [
  /** POST /v1/events, /v1/events/batch. */
  'events:publish',
  /** Deliveries, attempts, events' delivery history, dead letters, replay jobs, quarantine, endpoint health. */
  'deliveries:read',
  /** Retry a delivery, replay dead letters, start or cancel replay jobs, re-drive quarantined messages. */
  'deliveries:retry',
  /** Subscriptions (without secrets), event types and the catalog, the tenant and its limits, the match dry-run. */
  'subscriptions:read',
  /** Create, change, enable, disable, delete and test subscriptions; event types and catalog mode. */
  'subscriptions:write',
  /** Read signing secrets, and rotate them (a rotation answers with the new secret). */
  'secrets:reveal',
  /** Create, list and revoke the tenant's API keys. */
  'keys:manage',
  /** Partner integrations: register, change their secrets, read their callbacks. */
  'integrations:manage',
] as const;

export type TenantScope = (typeof TENANT_SCOPES)[number];

export function isTenantScope(value: string): value is TenantScope {
  return (TENANT_SCOPES as readonly string[]).includes(value);
}

/** Whether a key holding `granted` may use a route requiring `required`. */
export function hasScope(granted: readonly string[], required: TenantScope): boolean {
  return granted.includes(required);
}
