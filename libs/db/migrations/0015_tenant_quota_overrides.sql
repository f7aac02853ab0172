-- Per-tenant quota overrides, set by an operator (PUT /v1/tenants/:id/limits). Keys are quota
-- names (subscriptions, event_types, api_keys, ...), values whole numbers; a quota not named here
-- takes the platform default from the services' QUOTA_<NAME> settings.
ALTER TABLE tenants
  ADD COLUMN quota_overrides jsonb NOT NULL DEFAULT '{}'::jsonb
    CONSTRAINT tenants_quota_overrides_object CHECK (jsonb_typeof(quota_overrides) = 'object');

