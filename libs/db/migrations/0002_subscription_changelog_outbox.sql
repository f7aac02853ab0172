-- The subscriptions table doubles as the changelog outbox: a row whose published_version is
-- behind its version has a change (or a delete) that hookstream.subscriptions has not yet
-- acknowledged. The registry's relay publishes those rows and then advances published_version,
-- so a crash between the Postgres commit and the Kafka publish loses nothing.
ALTER TABLE subscriptions ADD COLUMN published_version integer NOT NULL DEFAULT 0;
CREATE INDEX subscriptions_unpublished ON subscriptions (updated_at) WHERE published_version < version;
