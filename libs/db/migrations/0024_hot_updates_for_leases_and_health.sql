-- dispatcher: let the two per-delivery updates rewrite their rows in place (HOT updates).
--
-- Postgres can update a row without touching any index only when no indexed column changes,
-- columns in a partial index's predicate included, and the new version fits on the same page.
-- Neither of these could:
--
-- * delivery_leases: renewal moves expires_at, which delivery_leases_expiry indexes. Every renewal
--   wrote a new entry into all three indexes; in hostile_tenant's attack (9,000 leases held)
--   that was 149,000 updates and 130 MB of WAL a minute, and the bloated primary key slowed the
--   lookups of every batch. The sweeper reads expired leases every LEASE_SWEEP_INTERVAL_MS by
--   scanning the table instead (one scan of the leases held, which are in flight or queued).
--
-- * endpoint_health_buckets: every attempt moves successes or failures, the predicates of the
--   two partial indexes (0.4 % of the bench's 87,000 bucket updates were HOT). The "last
--   success" and "last failure" lookups walk the primary key (subscription_id, span,
--   bucket_start) backwards instead, over at most the retained hourly buckets.
--
-- Both tables leave room on each page for the next versions of their rows. Leases are written in
-- batches and renewed together, all rows of a page in one statement, before the old versions
-- can be pruned: half of each page stays free for them.
DROP INDEX IF EXISTS delivery_leases_expiry;
ALTER TABLE delivery_leases SET (fillfactor = 50);

DROP INDEX IF EXISTS endpoint_health_buckets_last_success;
DROP INDEX IF EXISTS endpoint_health_buckets_last_failure;
ALTER TABLE endpoint_health_buckets SET (fillfactor = 80);
