-- subscription-registry: signing secrets (HMAC whsec_… and ed25519 private keys whsk_…) are
-- stored sealed (AES-256-GCM under SUBSCRIPTION_SECRETS_KEYS, bound to the subscription and the
-- secret's id; libs/domain/src/signing-secret-seal.ts), never in clear.
--
-- Rows written before this migration still hold `secret` in clear. The registry's re-seal job
-- (apps/subscription-registry/src/subscriptions/secret-reseal.worker.ts) seals them at its first
-- run after the upgrade and sets `secret` to NULL in the same UPDATE; it also re-seals rows whose
-- key is no longer the first of the keyring. `secret` stays as a column only for that hand-over.
ALTER TABLE subscription_secrets
  ALTER COLUMN secret DROP NOT NULL,
  ADD COLUMN sealed        bytea,
  ADD COLUMN sealed_key_id text,
  ADD CONSTRAINT subscription_secrets_sealed_or_legacy
    CHECK ((sealed IS NOT NULL AND sealed_key_id IS NOT NULL) OR secret IS NOT NULL);

-- What the re-seal job looks for: legacy clear rows, and rows under a key being retired.
CREATE INDEX subscription_secrets_reseal ON subscription_secrets (sealed_key_id, id);

-- The purge job deletes secrets past their overlap window.
CREATE INDEX subscription_secrets_expired ON subscription_secrets (expires_at) WHERE expires_at IS NOT NULL;
