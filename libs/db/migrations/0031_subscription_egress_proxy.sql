-- subscription-registry: which of the operator's egress proxies (EGRESS_PROXIES, by name) a
-- subscription's deliveries leave through; NULL: the default (EGRESS_PROXY_URL, or direct).
-- A name, never a URL: a proxy a tenant could point anywhere would bypass the SSRF guard.
ALTER TABLE subscriptions ADD COLUMN egress_proxy text;
