-- subscription-registry: who created each subscription (seed 003's `created_by`): the id of the
-- API key that made it, `admin:bootstrap` for ADMIN_API_KEY, or `declarative-config` for one the
-- GitOps file declared. NULL for subscriptions created before this was recorded.
ALTER TABLE subscriptions ADD COLUMN created_by text;
