-- subscription-registry: how the dispatcher authenticates to a subscription's endpoint (basic,
-- bearer, OAuth 2.0 client credentials, mTLS). One row per subscription that has any. The whole
-- credential (user and password, token, client id and secret, certificate and key) is one JSON
-- document sealed like a signing secret: AES-256-GCM under SUBSCRIPTION_SECRETS_KEYS, bound to
-- the subscription (libs/domain signing-secret-seal.ts, id `endpoint-auth`). Nothing is in clear.
CREATE TABLE subscription_endpoint_auth (
  subscription_id uuid PRIMARY KEY REFERENCES subscriptions (id) ON DELETE CASCADE,
  type            text NOT NULL CHECK (type IN ('basic', 'bearer', 'oauth2_client_credentials', 'mtls')),
  sealed          bytea NOT NULL,
  sealed_key_id   text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The re-seal job finds rows under a retired key.
CREATE INDEX subscription_endpoint_auth_reseal ON subscription_endpoint_auth (sealed_key_id, subscription_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON subscription_endpoint_auth TO hookstream_registry;
