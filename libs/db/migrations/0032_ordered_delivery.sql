-- Ordered delivery, opt-in per subscription (docs/adr/0009-ordered-delivery.md).

-- subscription-registry: how a subscription orders its deliveries. `none`: not at all (every
-- subscription before this migration). `subscription`: all of its events in one order. `key`: the
-- events sharing an envelope `ordering_key`, each key on its own. `on_dead_letter`: whether a dead
-- letter lets its key move on (`skip`) or stops it until it is replayed or skipped (`block`).
-- `ordering_backlog_max`: entries held behind their heads past which the subscription is paused.
ALTER TABLE subscriptions
  ADD COLUMN ordering text NOT NULL DEFAULT 'none' CHECK (ordering IN ('none', 'subscription', 'key')),
  ADD COLUMN on_dead_letter text NOT NULL DEFAULT 'skip' CHECK (on_dead_letter IN ('skip', 'block')),
  ADD COLUMN ordering_backlog_max integer NOT NULL DEFAULT 10000 CHECK (ordering_backlog_max BETWEEN 1 AND 1000000);

-- ingress-gateway: the publisher's ordering key, kept so the outbox re-publishes it unchanged.
ALTER TABLE events ADD COLUMN ordering_key text;

-- dispatcher: a position in the order fan-out met the events in. One sequence for all: positions
-- only need to grow within a key, and a key's events are fanned out by one consumer at a time.
CREATE SEQUENCE ordered_position AS bigint;

-- dispatcher: one row per delivery of an ordered subscription whose key has not moved past it.
-- waiting: fanned out, not sent. sending: an attempt is outstanding, claimed by
-- (claim_generation, claim_attempt) for claim_owner (NULL: free for the next claimer, after a
-- postponement). dead: it ended in the dead-letter queue. A delivered entry is deleted in the
-- transaction that records its 2xx: nothing later needs it. `message` is the delivery message
-- fan-out made, produced again when the entry becomes its key's head.
CREATE TABLE ordered_entries (
  delivery_id       uuid PRIMARY KEY,
  tenant_id         text NOT NULL,
  subscription_id   uuid NOT NULL,
  ordering_key      text NOT NULL,
  position          bigint NOT NULL,
  state             text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'sending', 'dead')),
  claim_generation  integer,
  claim_attempt     integer,
  claim_owner       text,
  message           jsonb NOT NULL,
  traceparent       text,
  released_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- A key's entries in order: the head is the first row here that has not settled.
CREATE UNIQUE INDEX ordered_entries_key ON ordered_entries (subscription_id, ordering_key, position);
-- The release sweeper's scan: waiting entries by how long ago they were last produced.
CREATE INDEX ordered_entries_waiting ON ordered_entries (COALESCE(released_at, created_at)) WHERE state = 'waiting';
CREATE INDEX ordered_entries_tenant ON ordered_entries (tenant_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON ordered_entries TO hookstream_dispatcher;
GRANT USAGE ON SEQUENCE ordered_position TO hookstream_dispatcher;
-- The registry counts what each ordered subscription holds, to pause one past its bound.
GRANT SELECT ON ordered_entries TO hookstream_registry;
