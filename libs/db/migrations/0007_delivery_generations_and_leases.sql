-- dispatcher ----------------------------------------------------------------------------------

-- (generation, attempts) is the last planned attempt the dispatcher acted on: a replay or manual
-- retry starts generation + 1 at attempt 1. A hookstream.deliveries message at or below it (or
-- for a generation already delivered or dead) is a duplicate and is never sent again.
ALTER TABLE deliveries ADD COLUMN generation integer NOT NULL DEFAULT 0;

-- Attempts still running (or queued behind a subscription's limits) when their Kafka batch was
-- committed. The owning process renews its leases while it lives and deletes each one in the
-- transaction that records the attempt; a lease left to expire belonged to a process that died,
-- and any dispatcher's sweeper puts its message back on hookstream.deliveries.
CREATE TABLE delivery_leases (
  delivery_id      uuid NOT NULL,
  generation       integer NOT NULL,
  attempt          integer NOT NULL,
  tenant_id        text NOT NULL,
  subscription_id  uuid NOT NULL,
  owner            text NOT NULL,               -- host:pid:nonce of the dispatcher holding it
  expires_at       timestamptz NOT NULL,
  message          jsonb NOT NULL,              -- the hookstream.deliveries message, to re-drive as is
  traceparent      text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (delivery_id, generation, attempt)
);
CREATE INDEX delivery_leases_expiry ON delivery_leases (expires_at);
CREATE INDEX delivery_leases_owner ON delivery_leases (owner);

-- Large fan-outs continue in the background after their event's offset is committed, a chunk
-- of subscriptions (in id order) at a time. The row is the durable cursor; its owner renews it
-- with every chunk, and a job left to expire is resumed by any dispatcher.
CREATE TABLE fanout_jobs (
  tenant_id    text NOT NULL,
  event_id     text NOT NULL,
  event        jsonb NOT NULL,                -- the hookstream.events message
  traceparent  text,
  after_id     uuid NOT NULL,                 -- subscriptions up to this id are done
  owner        text NOT NULL,
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX fanout_jobs_expiry ON fanout_jobs (expires_at);
