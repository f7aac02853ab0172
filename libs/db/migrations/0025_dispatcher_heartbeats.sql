-- dispatcher: keep leases alive with one heartbeat row per dispatcher instead of an expiry on
-- every lease.
--
-- Until now each dispatcher rewrote the expiry of every lease it held, every third of
-- LEASE_TTL_MS: in hostile_tenant, 9,000 leases on slow endpoints cost 150,000 row rewrites
-- (5 s of statement time and 138 MB of WAL in one minute), and the renewal locked those rows in
-- physical order while the outcome recorder deleted them in key order, which deadlocked. Now a
-- lease is written once and deleted once. It lives as long as its owner's row here, which the
-- owner extends by itself; the sweeper takes the leases of owners whose row has expired.
CREATE TABLE dispatcher_owners (
  owner       text PRIMARY KEY,          -- host:pid:nonce, as delivery_leases.owner
  expires_at  timestamptz NOT NULL
);

-- Leases written before this migration keep their own expiry: their owners get a row that
-- expires with their latest lease, and a dispatcher still running the previous version goes on
-- renewing their expires_at, which the sweeper and the duplicate check still honour (the partial
-- index below). Leases written from now on leave expires_at NULL and stay out of that index.
INSERT INTO dispatcher_owners (owner, expires_at)
  SELECT owner, max(expires_at) FROM delivery_leases GROUP BY owner;
ALTER TABLE delivery_leases ALTER COLUMN expires_at DROP NOT NULL;
DROP INDEX IF EXISTS delivery_leases_expiry;
CREATE INDEX delivery_leases_legacy_expiry ON delivery_leases (expires_at) WHERE expires_at IS NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON dispatcher_owners TO hookstream_dispatcher;
