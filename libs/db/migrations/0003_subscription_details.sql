-- Endpoint details partners expect (Svix/Stripe parity): a name, custom headers, metadata
-- labels, per-endpoint rate limit and concurrency, and the signature scheme.
ALTER TABLE subscriptions
  ADD COLUMN name text,
  ADD COLUMN headers jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN rate_limit_per_second integer CHECK (rate_limit_per_second > 0),
  ADD COLUMN max_concurrency integer CHECK (max_concurrency > 0),
  ADD COLUMN signature_scheme text NOT NULL DEFAULT 'standard'
    CHECK (signature_scheme IN ('standard', 'ed25519', 'legacy_sha256')),
  -- The header that carries `sha256=<hex>` for the legacy scheme.
  ADD COLUMN signature_header text,
  ADD CONSTRAINT legacy_needs_header CHECK (signature_scheme <> 'legacy_sha256' OR signature_header IS NOT NULL);

-- ed25519 keys: `secret` holds the private key (whsk_…), never shown; `public_key` (whpk_…) is
-- readable by the tenant so receivers can verify.
ALTER TABLE subscription_secrets ADD COLUMN public_key text;

-- Republish every live subscription so the changelog carries the new fields.
UPDATE subscriptions SET version = version + 1 WHERE deleted_at IS NULL;
