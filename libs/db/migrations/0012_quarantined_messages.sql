-- Poison isolation (issue 13): every consumer quarantines a message it cannot process to its
-- topic's quarantine topic (`<topic>.quarantine`; ingest's is hookstream.ingest.rejected). The
-- dlq-inspector stores what those topics carry, so operators can list quarantined messages and
-- re-drive them to their source topic once the cause is fixed.

-- dlq-inspector ---------------------------------------------------------------------------------

-- One row per quarantined message per consumer group (two groups reading one topic may both
-- refuse a message). The key, value and original headers are kept as bytes, exactly as they were
-- consumed, so a re-drive produces them back byte for byte: the value may be anything (not JSON,
-- NUL bytes), so it is bytea, and headers are [name, value] pairs in base64, which jsonb can hold
-- whatever they contain. details is the refusal's JSON as text, for the same reason.
CREATE TABLE quarantined_messages (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  quarantine_topic     text NOT NULL,
  quarantine_partition integer NOT NULL,
  quarantine_offset    bigint NOT NULL,
  source_topic         text NOT NULL,
  source_partition     integer NOT NULL,
  source_offset        bigint NOT NULL,
  source_timestamp     timestamptz,
  consumer_group       text NOT NULL,
  -- The tenant the message names, when it names a valid one: that tenant's keys may read it.
  tenant_id            text,
  code                 text NOT NULL,
  reason               text NOT NULL,
  details              text NOT NULL,
  message_key          bytea,
  value                bytea,
  headers              jsonb NOT NULL,
  quarantined_at       timestamptz NOT NULL,
  stored_at            timestamptz NOT NULL DEFAULT now(),
  status               text NOT NULL DEFAULT 'quarantined' CHECK (status IN ('quarantined', 'redriven')),
  redriven_at          timestamptz,
  redriven_by          text,
  redrive_count        integer NOT NULL DEFAULT 0,
  UNIQUE (source_topic, source_partition, source_offset, consumer_group)
);

CREATE INDEX quarantined_messages_listed ON quarantined_messages (quarantined_at DESC, id DESC);
CREATE INDEX quarantined_messages_tenant ON quarantined_messages (tenant_id, quarantined_at DESC, id DESC) WHERE tenant_id IS NOT NULL;

-- Who re-drove what, where it landed: the audit of every re-drive.
CREATE TABLE quarantine_redrives (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  quarantined_id  uuid NOT NULL REFERENCES quarantined_messages (id) ON DELETE CASCADE,
  tenant_id       text,
  requested_by    text NOT NULL,
  requested_at    timestamptz NOT NULL DEFAULT now(),
  target_topic    text NOT NULL
);
CREATE INDEX quarantine_redrives_message ON quarantine_redrives (quarantined_id, requested_at);
