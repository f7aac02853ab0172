-- Batched delivery, opt-in per subscription (docs/guides/batching.md, docs/adr/0012-batched-delivery.md).

-- subscription-registry: {max_events, max_bytes, max_wait_ms}, validated by the API against
-- BATCH_LIMITS (libs/contracts); NULL: one event per request, as every subscription before this.
ALTER TABLE subscriptions
  ADD COLUMN batch jsonb CHECK (batch IS NULL OR jsonb_typeof(batch) = 'object');
