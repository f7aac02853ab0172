-- Delivery history (issue 9): the dlq-inspector reads deliveries, attempts and events to answer
-- "did my partner get event X, and what did they answer?", and endpoint health from aggregates.
-- delivery_attempts may be a plain or a time-partitioned table (0010): ADD COLUMN and a
-- non-unique index work on both.

-- dispatcher ----------------------------------------------------------------------------------

-- The request headers an attempt sent, with signatures and secret values already redacted by
-- the dispatcher (libs/domain redactHeaders) before it stores them. Null for older rows and for
-- postponements, which send nothing.
ALTER TABLE delivery_attempts ADD COLUMN request_headers jsonb;

-- Listing a tenant's deliveries newest first, and an operator's listing across tenants.
CREATE INDEX deliveries_tenant_created ON deliveries (tenant_id, created_at DESC, id DESC);
CREATE INDEX deliveries_created ON deliveries (created_at DESC, id DESC);

-- Rolling per-subscription aggregates of attempts, written by the dispatcher in the transaction
-- that records the attempts (so a bucket counts exactly the attempt rows that exist), at two
-- spans: a row per subscription per minute (the last hour is summed from 60 of them) and per
-- hour (the last day from 24). Endpoint health reads under a hundred rows and never scans
-- delivery_attempts. latency_histogram[i] counts attempts whose duration fell in bucket i of
-- the fixed boundaries in libs/domain (LATENCY_BOUNDS_MS), the last one "above the top bound".
CREATE TABLE endpoint_health_buckets (
  subscription_id        uuid NOT NULL,
  span                   text NOT NULL CHECK (span IN ('minute', 'hour')),
  bucket_start           timestamptz NOT NULL,
  tenant_id              text NOT NULL,
  attempts               integer NOT NULL DEFAULT 0,   -- HTTP attempts made (postponements excluded)
  successes              integer NOT NULL DEFAULT 0,
  failures               integer NOT NULL DEFAULT 0,
  postponements          integer NOT NULL DEFAULT 0,   -- breaker open or throttled: no attempt spent
  latency_histogram      integer[] NOT NULL,
  last_success_at        timestamptz,
  last_failure_at        timestamptz,
  last_failure_status    integer,
  last_failure_class     text,
  last_failure_message   text,
  last_breaker_open_at   timestamptz,                  -- latest postponement because the host's breaker was open
  last_attempt_at        timestamptz,                  -- latest attempt actually made
  PRIMARY KEY (subscription_id, span, bucket_start)
);
-- "Last success" and "last failure" may be older than a day: found by walking back from now
-- over only the hours that have one.
CREATE INDEX endpoint_health_buckets_last_success ON endpoint_health_buckets (subscription_id, bucket_start DESC) WHERE span = 'hour' AND successes > 0;
CREATE INDEX endpoint_health_buckets_last_failure ON endpoint_health_buckets (subscription_id, bucket_start DESC) WHERE span = 'hour' AND failures > 0;
-- The dispatcher prunes by age.
CREATE INDEX endpoint_health_buckets_start ON endpoint_health_buckets (span, bucket_start);

-- ingress-gateway (read by the dlq-inspector's event listing) ---------------------------------

CREATE INDEX events_tenant_received ON events (tenant_id, received_at DESC, id DESC);
CREATE INDEX events_received ON events (received_at DESC, id DESC);

-- retry-scheduler (read by endpoint health: pending retries of one subscription) ---------------

CREATE INDEX scheduled_retries_subscription_pending ON scheduled_retries (subscription_id) WHERE fired_at IS NULL;

-- dlq-inspector ---------------------------------------------------------------------------------

-- A manual retry of any delivery (not only a dead one) is audited in replays like a replay:
-- kind tells them apart, reason is why the caller asked.
ALTER TABLE replays
  ADD COLUMN kind   text NOT NULL DEFAULT 'replay' CHECK (kind IN ('replay', 'retry')),
  ADD COLUMN reason text;
