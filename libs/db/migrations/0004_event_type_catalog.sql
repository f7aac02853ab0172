-- The event-type catalog (owned by subscription-registry). A tenant in strict mode may only
-- subscribe to and publish known types, and ingress validates payloads against their schema.
CREATE TABLE event_types (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  name         text NOT NULL,
  description  text,
  schema       jsonb,                         -- JSON Schema for `data`, optional
  deprecated   boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

ALTER TABLE tenants ADD COLUMN strict_event_types boolean NOT NULL DEFAULT false;
