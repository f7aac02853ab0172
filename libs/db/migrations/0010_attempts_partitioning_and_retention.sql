-- Issue 7: delivery_attempts partitioned by day like events, and what retention needs.

-- dispatcher: delivery_attempts, partitioned by day of started_at --------------------------------

-- The primary key must contain the partition key. Attempt ids are random (one per attempt made),
-- so (id, started_at) identifies a row exactly as id did, and ON CONFLICT keeps its meaning.
ALTER TABLE delivery_attempts RENAME TO delivery_attempts_unpartitioned;
ALTER TABLE delivery_attempts_unpartitioned RENAME CONSTRAINT delivery_attempts_pkey TO delivery_attempts_unpartitioned_pkey;
ALTER INDEX delivery_attempts_delivery RENAME TO delivery_attempts_unpartitioned_delivery;

-- Partitions are named delivery_attempts_pYYYYMMDD and hold one UTC day, [day, day + 1). The
-- dispatcher creates them ahead of time and moves rows out of the default partition (the rows
-- migrated below land there first); retention drops whole expired ones.
CREATE TABLE delivery_attempts (
  id                 uuid NOT NULL,
  delivery_id        uuid NOT NULL,
  tenant_id          text NOT NULL,
  subscription_id    uuid NOT NULL,
  attempt            integer NOT NULL,
  origin             text NOT NULL,
  outcome            text NOT NULL CHECK (outcome IN ('delivered', 'retry_scheduled', 'dead_lettered', 'postponed')),
  status_code        integer,
  error_class        text,
  error_message      text,
  response_body      text,                     -- first 4 KiB
  request_url        text NOT NULL,
  started_at         timestamptz NOT NULL,
  duration_ms        integer,
  PRIMARY KEY (id, started_at)
) PARTITION BY RANGE (started_at);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, started_at);
-- Retention deletes one tenant's expired rows (a per-tenant override) without scanning the rest.
CREATE INDEX delivery_attempts_tenant ON delivery_attempts (tenant_id, started_at);

CREATE TABLE delivery_attempts_default PARTITION OF delivery_attempts DEFAULT;
CREATE INDEX delivery_attempts_default_started_at ON delivery_attempts_default (started_at);

INSERT INTO delivery_attempts SELECT * FROM delivery_attempts_unpartitioned;
DROP TABLE delivery_attempts_unpartitioned;

-- subscription-registry: a tenant's own retention of events and delivery attempts ---------------

-- Null: the services' RETENTION_DAYS. Shorter or longer than the default, both are honoured.
ALTER TABLE tenants ADD COLUMN retention_days integer CHECK (retention_days BETWEEN 1 AND 3650);

-- ingress-gateway: what retention of events and audit rows reads -------------------------------

-- Dedup keys expire with their events; retention finds old ones without a full scan.
CREATE INDEX event_keys_received_at ON event_keys (received_at);

-- Audit rows are never deleted: past AUDIT_RETENTION_DAYS their content (payload, raw body,
-- signature, source address) is scrubbed and this says when.
ALTER TABLE incoming_webhooks ADD COLUMN scrubbed_at timestamptz;
CREATE INDEX incoming_webhooks_unscrubbed ON incoming_webhooks (received_at) WHERE scrubbed_at IS NULL;
