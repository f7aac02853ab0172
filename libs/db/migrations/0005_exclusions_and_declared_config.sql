-- Event types a subscription never receives even when a filter matches (seed 002's
-- excluded_events), and the stable key of subscriptions declared in a config file, so applying
-- the same file again updates them instead of creating copies.
ALTER TABLE subscriptions
  ADD COLUMN excluded_event_types text[] NOT NULL DEFAULT '{}',
  ADD COLUMN config_key text;
CREATE UNIQUE INDEX subscriptions_config_key ON subscriptions (tenant_id, config_key)
  WHERE config_key IS NOT NULL AND deleted_at IS NULL;
