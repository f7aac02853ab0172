-- subscription-registry: API keys get scopes (what a tenant key may do), an optional expiry,
-- and who created them. libs/domain/src/scopes.ts lists the scopes; docs/security.md says what
-- each allows.
ALTER TABLE api_keys
  -- For tenant keys; admin keys (scope = 'admin') hold every scope and leave it NULL.
  ADD COLUMN scopes           text[],
  ADD COLUMN expires_at       timestamptz,
  -- The key that created this one ('admin:bootstrap' for ADMIN_API_KEY), and whether it was an
  -- operator's: a tenant cannot revoke a key an operator made for it.
  ADD COLUMN created_by       text,
  ADD COLUMN created_by_admin boolean NOT NULL DEFAULT false;

-- Keys made before scopes existed could do everything their tenant can: they keep exactly that.
UPDATE api_keys
   SET scopes = ARRAY['events:publish', 'deliveries:read', 'deliveries:retry', 'subscriptions:read',
                      'subscriptions:write', 'secrets:reveal', 'keys:manage', 'integrations:manage']
 WHERE scope = 'tenant';

ALTER TABLE api_keys ADD CONSTRAINT api_keys_tenant_scopes CHECK (scope = 'admin' OR scopes IS NOT NULL);
