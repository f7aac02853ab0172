-- dlq-inspector: bulk replay jobs, and an audit row for every replay (single or part of a job).
-- Owned by the dlq-inspector like dead_letters and replays (ARCHITECTURE.md, "Ownership of tables").

-- A death is replayed at most once unless forced, and every replay of a delivery gets a higher
-- generation than the last, so the dispatcher never mistakes a new replay for a redelivered one.
-- Both are decided under the dead letter's row lock: a single replay and a bulk job racing on one
-- letter serialise here, and the second one sees the first.
ALTER TABLE dead_letters
  ADD COLUMN replay_generation integer,      -- the highest generation a replay of this delivery was sent as
  ADD COLUMN replayed_dead_at  timestamptz;  -- the dead_at of the death last replayed (= dead_at: its latest death was replayed)

-- Recover (one subscription since T) and listing by subscription; admin listing across tenants.
CREATE INDEX dead_letters_subscription ON dead_letters (subscription_id, dead_at DESC, delivery_id DESC);
CREATE INDEX dead_letters_dead_at ON dead_letters (dead_at DESC, delivery_id DESC);

CREATE TABLE replay_jobs (
  id                uuid PRIMARY KEY,
  tenant_id         text,                     -- null: an operator's job over every tenant's dead letters
  kind              text NOT NULL CHECK (kind IN ('bulk', 'recover')),
  filter            jsonb NOT NULL,           -- what was asked for, as submitted (normalised)
  rate_per_second   integer NOT NULL CHECK (rate_per_second > 0),
  status            text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'cancelled')),
  total             integer NOT NULL DEFAULT 0,
  sent              integer NOT NULL DEFAULT 0,
  skipped           integer NOT NULL DEFAULT 0,
  requested_by      text NOT NULL,            -- API key id
  idempotency_key   text,
  request_hash      text NOT NULL,            -- the same key with a different request is refused
  created_at        timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz,
  finished_at       timestamptz,
  cancelled_by      text,
  lease_owner       text,                     -- the dlq-inspector process running it
  lease_expires_at  timestamptz,              -- another process may take over once this passes
  last_error        text
);
CREATE UNIQUE INDEX replay_jobs_idempotency ON replay_jobs ((COALESCE(tenant_id, '')), idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX replay_jobs_tenant ON replay_jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX replay_jobs_created ON replay_jobs (created_at DESC, id DESC);
CREATE INDEX replay_jobs_runnable ON replay_jobs (created_at) WHERE status IN ('queued', 'running');

-- replays: one row per replay of one dead letter. A job writes its rows as 'pending' when it is
-- created (its exact target set), then 'sent' or 'skipped' in the same transaction that produces
-- them, so a job resumed after a crash never sends a row twice.
ALTER TABLE replays
  ALTER COLUMN idempotency_key DROP NOT NULL,  -- a job's rows are keyed by (job_id, delivery_id) instead
  DROP CONSTRAINT replays_tenant_id_idempotency_key_key,
  ADD COLUMN job_id     uuid REFERENCES replay_jobs (id),
  ADD COLUMN dead_at    timestamptz,           -- the death replayed
  ADD COLUMN generation integer,               -- the generation it was sent as
  ADD COLUMN sent_at    timestamptz,           -- when hookstream.deliveries acknowledged it
  ADD COLUMN detail     text,                  -- why it was skipped or failed
  ADD CONSTRAINT replays_status CHECK (status IN ('requested', 'pending', 'sent', 'skipped', 'failed'));
-- Job rows have no key: leaving them out of this index keeps a large job's creation fast.
CREATE UNIQUE INDEX replays_idempotency ON replays (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX replays_job_delivery ON replays (job_id, delivery_id) WHERE job_id IS NOT NULL;
CREATE INDEX replays_job_pending ON replays (job_id, dead_at, delivery_id) WHERE status = 'pending';
