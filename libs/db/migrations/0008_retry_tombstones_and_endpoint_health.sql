-- retry-scheduler ------------------------------------------------------------------------------

-- A fired retry leaves its row behind as a small tombstone (the payload is dropped) for a
-- retention period, so a redelivered hookstream.retries message for an attempt that already
-- fired is recognised and neither stored nor fired again. (generation, attempt, due_at) orders
-- the retries of one delivery: a replay starts a new generation, and a breaker postponement
-- repeats its attempt with a later due time.
ALTER TABLE scheduled_retries
  ADD COLUMN generation integer NOT NULL DEFAULT 0,
  ADD COLUMN fired_at timestamptz,
  ALTER COLUMN message DROP NOT NULL,
  ADD CONSTRAINT pending_retry_has_message CHECK (fired_at IS NOT NULL OR message IS NOT NULL);
UPDATE scheduled_retries SET generation = COALESCE((message -> 'delivery' ->> 'generation')::integer, 0);

-- Claims and "when is the next one due" read only pending rows; the sweeper finds old tombstones.
DROP INDEX scheduled_retries_due;
CREATE INDEX scheduled_retries_pending ON scheduled_retries (due_at) WHERE fired_at IS NULL;
CREATE INDEX scheduled_retries_fired ON scheduled_retries (fired_at) WHERE fired_at IS NOT NULL;

-- subscription-registry -------------------------------------------------------------------------

-- What hookstream.delivery-status says about each enabled subscription's endpoint: failing_since
-- is the first failed attempt after the latest success (null while healthy). A subscription that
-- has failed for the configured span is disabled (auto_disabled); a 410 disables it at once (gone).
-- The record holds for one version of the subscription: any change to it starts a new record.
CREATE TABLE subscription_health (
  subscription_id       uuid PRIMARY KEY,
  tenant_id             text NOT NULL,
  subscription_version  integer NOT NULL,
  last_success_at       timestamptz,
  failing_since         timestamptz,
  last_failure_at       timestamptz,
  last_status_code      integer,
  last_error_class      text,
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscription_health_tenant ON subscription_health (tenant_id);

-- Outbox of `subscription.disabled` operational events: written in the transaction that disables
-- the subscription and published to hookstream.ingest after it commits, so a crash in between
-- still publishes. The id is the event id, stable per disablement: the gateway drops a repeat.
CREATE TABLE subscription_disabled_events (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL,
  subscription_id  uuid NOT NULL,
  envelope         jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  published_at     timestamptz
);
CREATE INDEX subscription_disabled_events_unpublished ON subscription_disabled_events (created_at) WHERE published_at IS NULL;
