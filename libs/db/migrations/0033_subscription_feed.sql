-- The catch-up feed (GET /v1/subscriptions/:id/events): every event that matched a subscription,
-- in the order its matches were recorded, delivered or not (docs/adr/0011-catch-up-feed.md).

-- dispatcher: where each delivery row stands in its subscription's feed. feed_tx is the
-- transaction that wrote the row and feed_seq its place within that transaction; the feed reads
-- in (feed_tx, feed_seq) order and only below the oldest transaction still running, so a row that
-- commits late can never appear behind a cursor a reader already holds. The sequence's cache only
-- makes values from different sessions interleave, which (feed_tx, feed_seq) does not mind: one
-- transaction runs in one session.
--
-- Added without defaults first and given them after: rows written before this migration keep
-- NULL (they are not in the feed) and the table is not rewritten.
CREATE SEQUENCE delivery_feed_seq AS bigint CACHE 1000;
ALTER TABLE deliveries
  ADD COLUMN feed_tx           xid8,
  ADD COLUMN feed_seq          bigint,
  ADD COLUMN event_received_at timestamptz;   -- the event's received_at: its row in events, partition included
ALTER TABLE deliveries
  ALTER COLUMN feed_tx SET DEFAULT pg_current_xact_id(),
  ALTER COLUMN feed_seq SET DEFAULT nextval('delivery_feed_seq');

-- One subscription's feed after a cursor: an index range scan, however many rows the table holds.
CREATE INDEX deliveries_feed ON deliveries (subscription_id, feed_tx, feed_seq) WHERE feed_tx IS NOT NULL;

GRANT USAGE ON SEQUENCE delivery_feed_seq TO hookstream_dispatcher;

-- subscription-registry: when a subscription was last enabled again (NULL: enabled since it was
-- created). While an ordered subscription is disabled its matches wait in their keys; the backlog
-- bound counts only what queued after this, so enabling one does not pause it again at once for
-- the backlog it is about to drain.
ALTER TABLE subscriptions ADD COLUMN enabled_at timestamptz;
