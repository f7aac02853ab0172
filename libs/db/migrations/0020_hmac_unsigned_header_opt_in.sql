-- ingress-gateway: a generic HMAC integration takes the event id and type from the signed body
-- only, unless its settings say `"trust_unsigned_headers": true` (a captured callback re-sent
-- with other id or type headers would otherwise become a new event of another type).
-- Integrations created before this rule that read the id or type from a header keep doing so:
-- they are marked as having opted in, so their event ids and types do not change under their
-- subscribers. Tenants can turn it off with PATCH /v1/integrations/:id (docs/partner-callbacks.md).
UPDATE integration_configs
   SET settings = settings || '{"trust_unsigned_headers": true}'::jsonb
 WHERE provider = 'hmac'
   AND (settings ? 'event_id_header' OR settings ? 'event_type_header')
   AND NOT settings ? 'trust_unsigned_headers';
