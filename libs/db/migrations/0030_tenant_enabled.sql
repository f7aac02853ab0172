-- subscription-registry: a tenant-wide switch (seed 002's `enabled`). A disabled tenant's events
-- are still accepted and stored by the gateway; the dispatcher parks their fan-outs and holds
-- their pending deliveries until the tenant is enabled again.
ALTER TABLE tenants
  ADD COLUMN enabled boolean NOT NULL DEFAULT true,
  ADD COLUMN enabled_changed_at timestamptz;

-- dispatcher: a fan-out parked because its tenant was disabled when its event arrived. A parked
-- job has done nothing yet (after_id is the zero uuid) and is resumed, by any dispatcher, once
-- its tenant is enabled.
ALTER TABLE fanout_jobs ADD COLUMN parked boolean NOT NULL DEFAULT false;
CREATE INDEX fanout_jobs_parked ON fanout_jobs (tenant_id) WHERE parked;
