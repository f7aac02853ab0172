-- Hookstream initial schema. One database; each table is written only by the service named
-- above it (ARCHITECTURE.md, "Ownership of tables"). Never edit this file after it lands:
-- add a new numbered file instead (the migrator refuses a changed checksum).

-- subscription-registry ---------------------------------------------------------------------

CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id            text PRIMARY KEY,             -- the public part of hsk_<id>_<secret>
  tenant_id     text NOT NULL REFERENCES tenants (id),
  name          text NOT NULL,
  scope         text NOT NULL DEFAULT 'tenant' CHECK (scope IN ('tenant', 'admin')),
  key_hash      bytea NOT NULL,               -- sha256 of the whole key; the key itself is shown once
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE subscriptions (
  id               uuid PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id),
  url              text NOT NULL,
  description      text,
  event_types      text[] NOT NULL CHECK (cardinality(event_types) > 0),
  enabled          boolean NOT NULL DEFAULT true,
  disabled_reason  text,
  retry_policy     jsonb,
  timeout_ms       integer NOT NULL DEFAULT 15000 CHECK (timeout_ms BETWEEN 1000 AND 30000),
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at       timestamptz
);
CREATE INDEX subscriptions_tenant ON subscriptions (tenant_id) WHERE deleted_at IS NULL;

CREATE TABLE subscription_secrets (
  id               uuid PRIMARY KEY,
  subscription_id  uuid NOT NULL REFERENCES subscriptions (id),
  secret           text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz                 -- set when rotated out; both sign until then
);
CREATE INDEX subscription_secrets_subscription ON subscription_secrets (subscription_id);

-- ingress-gateway -----------------------------------------------------------------------------

-- The unique key (tenant_id, id) is the last word on duplicates; Redis only answers faster.
CREATE TABLE events (
  tenant_id     text NOT NULL,
  id            text NOT NULL,
  type          text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  data          jsonb NOT NULL,
  source        text NOT NULL,                -- 'http' | 'kafka'
  published_at  timestamptz,                  -- null until hookstream.events has acknowledged it
  PRIMARY KEY (tenant_id, id)
);
-- Drained on start and continuously: persisted but not yet acknowledged by the broker.
CREATE INDEX events_unpublished ON events (received_at) WHERE published_at IS NULL;

-- dispatcher ----------------------------------------------------------------------------------

CREATE TABLE deliveries (
  id                uuid PRIMARY KEY,          -- derived from (tenant, event, subscription)
  tenant_id         text NOT NULL,
  event_id          text NOT NULL,
  subscription_id   uuid NOT NULL,
  event_type        text NOT NULL,
  status            text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failing', 'dead')),
  attempts          integer NOT NULL DEFAULT 0,
  last_status_code  integer,
  last_error        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, event_id, subscription_id)
);
CREATE INDEX deliveries_subscription ON deliveries (subscription_id, created_at DESC);

-- One immutable row per HTTP attempt (and per postponement by an open breaker).
CREATE TABLE delivery_attempts (
  id                 uuid PRIMARY KEY,
  delivery_id        uuid NOT NULL,
  tenant_id          text NOT NULL,
  subscription_id    uuid NOT NULL,
  attempt            integer NOT NULL,
  origin             text NOT NULL,
  outcome            text NOT NULL CHECK (outcome IN ('delivered', 'retry_scheduled', 'dead_lettered', 'postponed')),
  status_code        integer,
  error_class        text,
  error_message      text,
  response_body      text,                     -- first 4 KiB
  request_url        text NOT NULL,
  started_at         timestamptz NOT NULL,
  duration_ms        integer
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, started_at);

-- retry-scheduler -----------------------------------------------------------------------------

CREATE TABLE scheduled_retries (
  delivery_id      uuid PRIMARY KEY,           -- at most one pending retry per delivery
  tenant_id        text NOT NULL,
  subscription_id  uuid NOT NULL,
  attempt          integer NOT NULL,
  due_at           timestamptz NOT NULL,
  expires_at       timestamptz,
  message          jsonb NOT NULL,             -- the hookstream.retries message, to re-send as is
  traceparent      text,                       -- so the retry stays in the delivery's trace
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduled_retries_due ON scheduled_retries (due_at);

-- dlq-inspector -------------------------------------------------------------------------------

CREATE TABLE dead_letters (
  delivery_id       uuid PRIMARY KEY,
  tenant_id         text NOT NULL,
  subscription_id   uuid NOT NULL,
  event_id          text NOT NULL,
  event_type        text NOT NULL,
  reason            text NOT NULL,
  error_class       text NOT NULL,
  last_status_code  integer,
  attempts          integer NOT NULL,
  message           jsonb NOT NULL,            -- the hookstream.dlq message, body included
  dead_at           timestamptz NOT NULL,
  replayed_at       timestamptz,
  replay_count      integer NOT NULL DEFAULT 0
);
CREATE INDEX dead_letters_tenant ON dead_letters (tenant_id, dead_at DESC, delivery_id);

CREATE TABLE replays (
  id               uuid PRIMARY KEY,
  tenant_id        text NOT NULL,
  delivery_id      uuid NOT NULL,
  requested_by     text NOT NULL,              -- API key id
  idempotency_key  text NOT NULL,
  requested_at     timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL,
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX replays_delivery ON replays (delivery_id);
