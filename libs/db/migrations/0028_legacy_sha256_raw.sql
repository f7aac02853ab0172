-- subscription-registry: the `legacy_sha256_raw` signature scheme, sha256=<hex> keyed by the secret
-- string itself, as seed 004's dispatcher signed (its receivers verify unchanged). Its secrets are
-- stored like the others (whsec_ + base64 of the string's bytes), so only the scheme's CHECKs move.
ALTER TABLE subscriptions
  DROP CONSTRAINT subscriptions_signature_scheme_check,
  ADD CONSTRAINT subscriptions_signature_scheme_check
    CHECK (signature_scheme IN ('standard', 'ed25519', 'legacy_sha256', 'legacy_sha256_raw')),
  DROP CONSTRAINT legacy_needs_header,
  ADD CONSTRAINT legacy_needs_header
    CHECK (signature_scheme NOT IN ('legacy_sha256', 'legacy_sha256_raw') OR signature_header IS NOT NULL);
