-- Issue 4: per-tenant limits, a time-partitioned events table, and verified partner callbacks.

-- subscription-registry: per-tenant intake limits (null = the gateway's defaults) ----------------

ALTER TABLE tenants
  ADD COLUMN max_event_bytes integer CHECK (max_event_bytes BETWEEN 1024 AND 10485760),
  ADD COLUMN rate_limit_per_second double precision CHECK (rate_limit_per_second > 0),
  ADD COLUMN rate_limit_burst integer CHECK (rate_limit_burst >= 1);

-- ingress-gateway: events, partitioned by day of received_at ----------------------------------

-- Uniqueness can no longer live on `events`: a unique key on a partitioned table must contain the
-- partition key, and (tenant_id, id, received_at) would let the same id in twice. This table is
-- the last word on duplicates instead; it also says in which partition an event lives.
CREATE TABLE event_keys (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

ALTER TABLE events RENAME TO events_unpartitioned;
ALTER TABLE events_unpartitioned RENAME CONSTRAINT events_pkey TO events_unpartitioned_pkey;
ALTER INDEX events_unpublished RENAME TO events_unpartitioned_unpublished;

-- Partitions are named events_pYYYYMMDD and hold one UTC day, [day, day + 1). The gateway creates
-- them ahead of time (at boot and hourly, under an advisory lock); retention drops whole ones.
-- received_at is stored to the millisecond, so the ISO string carried on hookstream.events names
-- the row exactly (JavaScript dates have no microseconds).
CREATE TABLE events (
  tenant_id     text NOT NULL,
  id            text NOT NULL,
  type          text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  data          jsonb NOT NULL,
  source        text NOT NULL,                -- 'http' | 'kafka' | 'incoming'
  published_at  timestamptz,                  -- null until hookstream.events has acknowledged it
  PRIMARY KEY (tenant_id, id, received_at)
) PARTITION BY RANGE (received_at);
-- Drained on start and continuously: persisted but not yet acknowledged by the broker.
CREATE INDEX events_unpublished ON events (received_at) WHERE published_at IS NULL;

-- The safety net for a day nobody created a partition for; the gateway moves such rows into
-- their own partition on its next pass. Indexed by time so that pass finds them without a scan.
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_default_received_at ON events_default (received_at);

INSERT INTO event_keys (tenant_id, id, received_at)
  SELECT tenant_id, id, date_trunc('milliseconds', received_at) FROM events_unpartitioned;
INSERT INTO events (tenant_id, id, type, occurred_at, received_at, data, source, published_at)
  SELECT tenant_id, id, type, occurred_at, date_trunc('milliseconds', received_at), data, source, published_at
    FROM events_unpartitioned;
DROP TABLE events_unpartitioned;

-- ingress-gateway: partner integrations ---------------------------------------------------------

CREATE TABLE integration_configs (
  id              text PRIMARY KEY,             -- int_…, random; part of the callback URL
  tenant_id       text NOT NULL REFERENCES tenants (id),
  provider        text NOT NULL CHECK (provider IN ('stripe', 'github', 'payfast', 'standard-webhooks', 'hmac')),
  name            text,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  settings        jsonb NOT NULL DEFAULT '{}',  -- provider settings, nothing secret
  -- AES-256-GCM (iv ‖ tag ‖ ciphertext) of the secrets as JSON, bound to (id, tenant_id) as
  -- associated data; secrets_key_id names the key from INTEGRATION_SECRETS_KEYS that sealed it.
  secrets         bytea NOT NULL,
  secrets_key_id  text NOT NULL,
  -- After a secret change with an overlap, the replaced secrets (sealed with the new ones) still
  -- verify until then.
  previous_secrets_until timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX integration_configs_tenant ON integration_configs (tenant_id, created_at, id);

-- Every partner callback, verified or not. An audit trail: never deleted (the trigger below).
CREATE TABLE incoming_webhooks (
  id                 uuid PRIMARY KEY,
  tenant_id          text NOT NULL,
  integration_id     text NOT NULL REFERENCES integration_configs (id),
  provider           text NOT NULL,
  -- Set only once the signature is verified: an unverified claim to an event id must never be
  -- able to occupy the unique key below and shadow the genuine event.
  provider_event_id  text,
  event_id           text,                      -- the internal event it became
  event_type         text,
  occurred_at        timestamptz,               -- the provider's time for it, else when we got it
  payload            jsonb,                     -- the parsed body (form posts as an object)
  raw_body           bytea,                     -- the exact bytes received, to re-verify later
  content_type       text,
  signature          text,                      -- the signature as received
  source_ip          text,
  status             text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  failure_reason     text,
  retry_count        integer NOT NULL DEFAULT 0, -- how often the provider re-sent this event
  received_at        timestamptz NOT NULL DEFAULT now(),
  last_received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at       timestamptz,
  UNIQUE (integration_id, provider_event_id)
);
CREATE INDEX incoming_webhooks_tenant ON incoming_webhooks (tenant_id, received_at DESC, id);
CREATE INDEX incoming_webhooks_integration ON incoming_webhooks (integration_id, received_at DESC, id);
-- Verified callbacks whose event is not yet known to be published: re-driven by the gateway.
CREATE INDEX incoming_webhooks_pending ON incoming_webhooks (last_received_at) WHERE status = 'pending';

CREATE FUNCTION incoming_webhooks_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'incoming_webhooks is an audit trail: rows are never deleted';
END $$;
CREATE TRIGGER incoming_webhooks_no_delete BEFORE DELETE ON incoming_webhooks
  FOR EACH ROW EXECUTE FUNCTION incoming_webhooks_are_kept();
CREATE TRIGGER incoming_webhooks_no_truncate BEFORE TRUNCATE ON incoming_webhooks
  FOR EACH STATEMENT EXECUTE FUNCTION incoming_webhooks_are_kept();
